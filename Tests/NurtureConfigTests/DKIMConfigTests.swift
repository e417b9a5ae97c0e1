import Foundation
import NurtureCore
import NurtureDKIM
import Testing

@testable import NurtureConfig

/// The `dkim:` section: keys that load, are long enough, match their configuration and are kept private.
@Suite("DKIM keys in the configuration")
struct DKIMConfigTests {
    static let fixtures = ConfigFixtures.packageRoot.appendingPathComponent("Tests/Fixtures/dkim")

    /// Loads the shipped configuration plus `section`, with fixture keys copied next to it (name → mode).
    private func load(_ section: String, keys: [String: Int], environment: [String: String] = [:]) -> (
        configuration: NurtureConfiguration?, problems: [ConfigurationProblem], warnings: [ConfigurationProblem]
    ) {
        ConfigFixtures.withConfig(ConfigFixtures.shippedText + "\n" + section, environment: environment) {
            file, loader in
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            for (name, mode) in keys {
                let data = try! Data(contentsOf: Self.fixtures.appendingPathComponent(name))
                _ = FileManager.default.createFile(
                    atPath: folder.appendingPathComponent(name).path, contents: data,
                    attributes: [.posixPermissions: mode])
            }
            do throws(ConfigurationErrors) {
                let configuration = try loader.load(file: file)
                return (configuration, [], configuration.warnings)
            } catch {
                return (nil, error.problems, [])
            }
        }
    }

    static func section(_ entries: [(algorithm: String, file: String)], domain: String = "acme-analytics.example")
        -> String
    {
        "dkim:\n"
            + entries.enumerated().map { index, entry in
                "  - domain: \(domain)\n    selector: nurture\(index)\n    algorithm: \(entry.algorithm)\n"
                    + "    private_key_file: \(entry.file)\n"
            }.joined()
    }

    @Test("an RSA and an Ed25519 key (PEM and base64 seed) load and sign mail From their domain")
    func goodKeys() throws {
        for edFile in ["test-ed25519.pem", "test-ed25519.seed"] {
            let result = load(
                Self.section([("rsa-sha256", "test-rsa-2048.pem"), ("ed25519-sha256", edFile)]),
                keys: ["test-rsa-2048.pem": 0o600, edFile: 0o600])
            #expect(result.problems.isEmpty, "\(result.problems)")
            let signer = try #require(result.configuration?.dkim.signer)
            #expect(signer.keys(forDomain: "ACME-analytics.example").map(\.algorithm) == [.rsaSHA256, .ed25519SHA256])
            #expect(signer.keys.map(\.privateKey.bits) == [2048, 256])
        }
    }

    @Test(
        "keys that cannot be used are errors naming the key file and the field",
        arguments: [
            ("rsa-sha256", "test-rsa-1024.pem", 0o600, "has 1024 bits; DKIM keys must have at least 2048"),
            ("rsa-sha256", "test-ed25519.pem", 0o600, "holds a ed25519-sha256 key but the configuration says rsa"),
            ("ed25519-sha256", "test-rsa-2048.pem", 0o600, "holds a rsa-sha256 key but the configuration says ed"),
            ("rsa-sha256", "README.md", 0o600, "it is not an RSA private key in PEM form"),
            ("rsa-sha256", "test-rsa-2048.pem", 0o644, "can be read by every user on this machine"),
            ("rsa-sha256", "missing.pem", 0o600, "missing.pem"),
        ])
    func unusableKeys(algorithm: String, file: String, mode: Int, expected: String) {
        let written = file == "missing.pem" ? [:] : [file: mode]
        let result = load(Self.section([(algorithm, file)]), keys: written)
        let problem = result.problems.first { $0.field == "dkim[0].private_key_file" }
        #expect(problem?.description.contains(expected) == true, "\(result.problems)")
        #expect(problem?.description.contains(file) == true, "the problem names the key file")
        #expect(problem?.line != nil)
        let keyText = (try? String(contentsOf: Self.fixtures.appendingPathComponent(file), encoding: .utf8)) ?? ""
        let secretLine = keyText.split(separator: "\n").dropFirst().first.map(String.init) ?? "-----"
        #expect(result.problems.allSatisfy { !$0.description.contains(secretLine) }, "never the key itself")
    }

    @Test("a key for a domain no sender uses is an error; a sending domain without a key is a warning")
    func mismatchedDomain() {
        let result = load(
            Self.section([("rsa-sha256", "test-rsa-2048.pem")], domain: "acme-analytic.example"),
            keys: ["test-rsa-2048.pem": 0o600])
        let problem = result.problems.first { $0.field == "dkim[0].domain" }
        #expect(problem?.description.contains("no sender's From address is in acme-analytic.example") == true)
        #expect(problem?.description.contains("acme-analytics.example") == true, "names the domains in use")

        let otherDomain = ConfigFixtures.shippedText.replacingOccurrences(
            of: "email: marco@acme-analytics.example", with: "email: marco@acme-sales.example")
        let warned = ConfigFixtures.withConfig(
            otherDomain + "\n" + Self.section([("rsa-sha256", "test-rsa-2048.pem")])
        ) { file, loader in
            let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
            _ = FileManager.default.createFile(
                atPath: folder.appendingPathComponent("test-rsa-2048.pem").path,
                contents: try! Data(contentsOf: Self.fixtures.appendingPathComponent("test-rsa-2048.pem")),
                attributes: [.posixPermissions: 0o600])
            return (try? loader.load(file: file))?.warnings ?? []
        }
        #expect(
            warned.contains {
                $0.problem.contains("mail From acme-sales.example") && $0.field.hasPrefix("salespeople")
            },
            "\(warned)")
    }

    @Test("two keys of one algorithm for one domain are refused")
    func duplicateAlgorithm() {
        let result = load(
            Self.section([("rsa-sha256", "test-rsa-2048.pem"), ("rsa-sha256", "test-rsa-2048.pem")]),
            keys: ["test-rsa-2048.pem": 0o600])
        #expect(result.problems.contains { $0.problem.contains("is already given by dkim[0]") }, "\(result.problems)")
    }

    @Test("a key from a systemd credential loads; `dkim: false` leaves a salesperson unsigned")
    func credentialAndOptOut() throws {
        let credentials = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: credentials) }
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("test-ed25519.seed"),
            to: credentials.appendingPathComponent("dkim-ed25519"))
        let section = """
            dkim:
              - domain: acme-analytics.example
                selector: ed
                algorithm: ed25519-sha256
                private_key_credential: dkim-ed25519
            """
        var text = ConfigFixtures.shippedText + "\n" + section
        text = text.replacingOccurrences(
            of: "    email: marco@acme-analytics.example\n",
            with: "    email: marco@acme-analytics.example\n    dkim: false\n")
        let configuration = try ConfigFixtures.withConfig(
            text, environment: ["CREDENTIALS_DIRECTORY": credentials.path]
        ) {
            file, loader in try loader.load(file: file)
        }
        #expect(configuration.dkim.signer.keys.map(\.source) == ["credential `dkim-ed25519`"])
        #expect(configuration.dkim.unsignedSalespeople == ["marco"])
        let message = Array("From: a@acme-analytics.example\r\n\r\nHi\r\n".utf8)
        let address = try EmailAddress("marco@acme-analytics.example")
        let date = Date(timeIntervalSince1970: 0)
        #expect(try configuration.dkim.sign(message, from: address, salesperson: "marco", at: date) == message)
        #expect(try configuration.dkim.sign(message, from: address, salesperson: nil, at: date) != message)
    }

    @Test("without a dkim section nothing is signed and nothing is said")
    func absent() throws {
        let configuration = try ConfigFixtures.withConfig(ConfigFixtures.shippedText) { file, loader in
            try loader.load(file: file)
        }
        #expect(configuration.dkim.signer.keys.isEmpty)
        #expect(!configuration.warnings.contains { $0.problem.contains("DKIM") })
    }
}
