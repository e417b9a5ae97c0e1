import Foundation
import NurtureCore
import NurtureSMTP
import Testing

@testable import NurtureConfig

@Suite("The http section")
struct HTTPConfigTests {
    static let shippedListen = "  listen: 127.0.0.1:8470        # host:port, [::1]:8470, or off\n"

    @Test("as shipped: loopback 8470, no tokens, a warning that the API refuses calls")
    func shipped() throws {
        let configuration = try ConfigurationLoader(environment: [:]).load(file: ConfigFixtures.shippedConfig)
        #expect(configuration.http == HTTPSettings())
        #expect(configuration.warnings.contains { $0.description.contains("no API tokens are configured") })
    }

    @Test(
        "listen addresses",
        arguments: [
            ("127.0.0.1:8470", "127.0.0.1", 8470), ("0.0.0.0:80", "0.0.0.0", 80), ("[::1]:9000", "::1", 9000),
            ("127.0.0.1:0", "127.0.0.1", 0),
        ])
    func listen(text: String, host: String, port: Int) {
        let parsed = ConfigParser.hostAndPort(text)
        #expect(parsed?.0 == host && parsed?.1 == port)
    }

    @Test(
        "bad listen addresses",
        arguments: [
            "localhost:8470", "127.0.0.1", "127.0.0.1:65536", "1.2.3:80", "[::1]80", "01.2.3.4:80", ":80",
            "127.0.0.1:8a",
        ])
    func badListen(text: String) {
        #expect(ConfigParser.hostAndPort(text) == nil)
    }

    @Test("a bad listen value names the field and line")
    func badListenReported() {
        let text = ConfigFixtures.shipped(replacing: Self.shippedListen, with: "  listen: localhost:8470\n")
        let problems = ConfigFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(
            problems.first?.description.contains("http.listen: `localhost:8470` is not an IP address and port") == true)
        #expect(problems.first?.line == ConfigFixtures.line(of: "  listen: localhost", in: text))
    }

    @Test("off disables the interface")
    func off() throws {
        let text = ConfigFixtures.shipped(replacing: Self.shippedListen, with: "  listen: off\n")
        let configuration = try ConfigFixtures.withConfig(text) { file, loader in try loader.load(file: file) }
        #expect(!configuration.http.enabled)
    }

    @Test("tokens come from a systemd credential; the file's problems name the line, never the token")
    func tokensFromCredential() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = String(repeating: "k", count: 32)
        try "# API tokens\ncrm \(good)\n\n\(good)z\n".write(
            to: directory.appendingPathComponent("api-tokens"), atomically: true, encoding: .utf8)
        let text = ConfigFixtures.shipped(
            replacing: Self.shippedListen, with: Self.shippedListen + "  api_tokens_credential: api-tokens\n")
        let configuration = try ConfigFixtures.withConfig(text, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        {
            file, loader in try loader.load(file: file)
        }
        #expect(configuration.http.tokens.map(\.name) == ["crm", "token-4"])
        #expect(configuration.http.tokens.first?.secret.value == good)
        #expect(!configuration.warnings.contains { $0.description.contains("no API tokens") })

        try "crm short\nweb \(good) extra\n".write(
            to: directory.appendingPathComponent("api-tokens"), atomically: true, encoding: .utf8)
        let problems = ConfigFixtures.problems(text, environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(problems.count == 2)
        #expect(problems.first?.description.contains("line 1 (crm): the token is shorter than 24 characters") == true)
        #expect(problems.last?.description.contains("line 2: write `NAME TOKEN`") == true)
        #expect(!problems.contains { $0.description.contains("short") && $0.description.contains(good) })
    }

    @Test func tokenFileParsing() throws {
        let good = String(repeating: "t", count: 24)
        #expect(try APIToken.parse("a \(good)\nb \(good)x\n").get().map(\.name) == ["a", "b"])
        guard case .failure(let error) = APIToken.parse("a \(good)\na \(good)y\nb\\ \(good)\n") else {
            Issue.record("accepted a duplicate name")
            return
        }
        #expect(
            error.problems == [
                "line 2: the name `a` is used twice", "line 3: the name may use letters, digits, - and _ only",
            ])
    }

    @Test("a world-readable token file is a warning")
    func worldReadable() throws {
        let good = String(repeating: "w", count: 32)
        let text = ConfigFixtures.shipped(
            replacing: Self.shippedListen, with: Self.shippedListen + "  api_tokens_file: api-tokens\n")
        let warnings = try ConfigFixtures.withConfig(text) { file, loader in
            let tokens = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("api-tokens")
            _ = FileManager.default.createFile(
                atPath: tokens.path, contents: Data("crm \(good)\n".utf8), attributes: [.posixPermissions: 0o644])
            return try loader.load(file: file).warnings
        }
        #expect(warnings.contains { $0.description.contains("can be read by every user") })
    }
}
