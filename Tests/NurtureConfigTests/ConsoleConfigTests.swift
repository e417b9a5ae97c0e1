import Foundation
import NurtureCore
import Testing

@testable import NurtureConfig

@Suite("The console section")
struct ConsoleConfigTests {
    /// The shipped configuration with `section` appended.
    static func text(_ section: String) -> String { ConfigFixtures.shippedText + "\n" + section }

    /// Loads `text` with a users file (mode `mode`) beside it, unless `mode` is nil.
    static func load(_ text: String, mode: Int? = 0o600, environment: [String: String] = [:]) throws
        -> NurtureConfiguration
    {
        try ConfigFixtures.withConfig(text, environment: environment) { file, loader in
            let directory = (file as NSString).deletingLastPathComponent
            if let mode {
                _ = FileManager.default.createFile(
                    atPath: directory + "/console-users", contents: Data("# none yet\n".utf8),
                    attributes: [.posixPermissions: mode])
            }
            return try loader.load(file: file)
        }
    }

    @Test("absent: the console is off")
    func absent() throws {
        #expect(try Self.load(ConfigFixtures.shippedText).console == nil)
    }

    @Test("users_file resolves beside the configuration; no session key file by default")
    func usersFile() throws {
        let configuration = try Self.load(Self.text("console:\n  users_file: console-users\n"))
        let console = try #require(configuration.console)
        #expect(console.usersFile.hasSuffix("/config/console-users"))
        #expect(console.usersKey == "console.users_file")
        #expect(console.sessionKeyFile == nil)
        #expect(!configuration.warnings.contains { $0.description.contains("console") })
    }

    @Test("a users file others can read is an error naming the field and the fix")
    func readableByOthers() {
        #expect(throws: ConfigurationErrors.self) {
            try Self.load(Self.text("console:\n  users_file: console-users\n"), mode: 0o644)
        }
        let problems = ConfigFixtures.problems(Self.text("console:\n  users_file: missing-users\n"))
        #expect(problems.isEmpty, "a missing users file is only a warning: \(problems)")
    }

    @Test("a missing users file is a warning that says how to add a user")
    func missing() throws {
        let configuration = try Self.load(Self.text("console:\n  users_file: console-users\n"), mode: nil)
        #expect(configuration.console != nil)
        #expect(configuration.warnings.contains { $0.description.contains("nurture console add-user") })
    }

    @Test(
        "bad sections are refused with the field named",
        arguments: [
            ("console:\n  users_file: a\n  users_credential: b\n", "both `users_file` and `users_credential`"),
            ("console: {}\n", "the console has no users file"),
            ("console:\n  users_file: console-users\n  password: x\n", "password"),
            ("console:\n  users_credential: console-users\n", "$CREDENTIALS_DIRECTORY is not set"),
        ])
    func bad(section: String, message: String) {
        let problems = ConfigFixtures.problems(Self.text(section))
        #expect(problems.contains { $0.description.contains(message) }, "\(problems)")
    }

    @Test("users_credential reads under $CREDENTIALS_DIRECTORY")
    func credential() throws {
        let configuration = try Self.load(
            Self.text("console:\n  users_credential: console-users\n"),
            environment: ["CREDENTIALS_DIRECTORY": "/run/credentials/nurture.service"])
        #expect(configuration.console?.usersFile == "/run/credentials/nurture.service/console-users")
    }
}
