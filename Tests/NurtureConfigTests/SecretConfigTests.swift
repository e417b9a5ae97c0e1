import Foundation
import NurtureCore
import NurtureSMTP
import Testing

@testable import NurtureConfig

/// Secrets: long enough to be keys, and in files only their owner can read.
@Suite("Secrets in the configuration")
struct SecretConfigTests {
    static let unsubscribeLine = "  # unsubscribe_secret_credential: unsubscribe-secret"

    /// Loads `text` with `files` (name → (contents, mode)) written next to the config file.
    private func load(_ text: String, files: [String: (String, Int)]) -> (
        problems: [ConfigurationProblem], warnings: [ConfigurationProblem]
    ) {
        ConfigFixtures.withConfig(text) { file, loader in
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            for (name, (contents, mode)) in files {
                let path = folder.appendingPathComponent(name).path
                _ = FileManager.default.createFile(
                    atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: mode])
            }
            do throws(ConfigurationErrors) {
                return ([], try loader.load(file: file).warnings)
            } catch {
                return (error.problems, [])
            }
        }
    }

    @Test("an unsubscribe secret under 32 bytes is refused, naming the field and how to make one")
    func shortUnsubscribeSecret() {
        let text = ConfigFixtures.shipped(
            replacing: Self.unsubscribeLine, with: "  unsubscribe_secret_file: unsubscribe.key")
        let (problems, _) = load(text, files: ["unsubscribe.key": ("abcde\n", 0o600)])
        let problem = problems.first { $0.field == "company.unsubscribe_secret_file" }
        #expect(
            problem?.description.contains("the secret is 5 bytes; it must be at least 32 bytes") == true, "\(problems)")
        #expect(problem?.description.contains("openssl rand -hex 32") == true)
        #expect(problem?.description.contains("abcde") == false, "the secret is never quoted")
        let (longProblems, _) = load(
            text, files: ["unsubscribe.key": (String(repeating: "a1", count: 16) + "\n", 0o600)])
        #expect(longProblems.isEmpty, "32 bytes are enough: \(longProblems)")
    }

    @Test(
        "every secret file readable by its group or by everyone is a warning",
        arguments: [
            ("company.unsubscribe_secret_file", 0o640, "the members of its group"),
            ("company.unsubscribe_secret_file", 0o604, "every user on this machine"),
            ("relay.password_file", 0o644, "every user on this machine"),
            ("privacy.pseudonym_secret_file", 0o640, "the members of its group"),
        ])
    func sharedSecretFiles(field: String, mode: Int, who: String) {
        let secret = String(repeating: "k", count: 40) + "\n"
        var text = ConfigFixtures.shipped(
            replacing: Self.unsubscribeLine, with: "  unsubscribe_secret_file: unsubscribe.key")
        text = text.replacingOccurrences(
            of: "  security: none\n", with: "  security: none\n  username: nurture\n  password_file: smtp-password\n")
        text += "\nprivacy:\n  pseudonym_secret_file: pseudonym.key\n"
        let name = [
            "company.unsubscribe_secret_file": "unsubscribe.key", "relay.password_file": "smtp-password",
            "privacy.pseudonym_secret_file": "pseudonym.key",
        ][field]!
        var files = [
            "unsubscribe.key": (secret, 0o600), "smtp-password": (secret, 0o600), "pseudonym.key": (secret, 0o600),
        ]
        files[name] = (secret, mode)
        let (problems, warnings) = load(text, files: files)
        #expect(problems.isEmpty, "\(problems)")
        let shared = warnings.filter { $0.description.contains("the secret file can be read by") }
        #expect(shared.map(\.field) == [field], "\(warnings)")
        #expect(shared.first?.description.contains(who) == true)
        #expect(shared.first?.description.contains("chmod 600") == true)
        let (_, quiet) = load(text, files: files.mapValues { ($0.0, 0o600) })
        #expect(!quiet.contains { $0.description.contains("the secret file can be read by") }, "mode 600 is quiet")
    }

    @Test("the pseudonym secret: absent is a warning, short is refused, 32 bytes key the suppression hashes")
    func pseudonymSecret() throws {
        let shipped = ConfigFixtures.shippedText
        #expect(
            load(shipped, files: [:]).warnings.contains {
                $0.field == "privacy" && $0.description.contains("no pseudonym secret")
            })
        let text = shipped + "\nprivacy:\n  pseudonym_secret_file: pseudonym.key\n"
        let (problems, _) = load(text, files: ["pseudonym.key": ("short", 0o600)])
        #expect(problems.map(\.field) == ["privacy.pseudonym_secret_file"])
        #expect(problems.first?.description.contains("at least 32 bytes") == true)
        let secret = String(repeating: "p", count: 32)
        let configuration = try ConfigFixtures.withConfig(text) { file, loader in
            try secret.write(
                to: URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("pseudonym.key"),
                atomically: true, encoding: .utf8)
            return try loader.load(file: file)
        }
        #expect(configuration.pseudonymSecret?.value == secret)
        #expect(configuration.addressKeying.isKeyed)
        #expect(!configuration.warnings.contains { $0.description.contains("no pseudonym secret") })
    }
}
