import Foundation
import NurtureTestSupport

/// `Tests/Support/smtp_peer.py` (aiosmtpd) running on a free loopback port, capturing messages byte for byte.
final class AioSMTPPeer: @unchecked Sendable {
    /// Options mapped to the script's flags.
    struct Options {
        var tls: TestCertificate?
        var implicitTLS = false
        var authMechanism: String?
        var user = "nurture"
        var password = ""
        var slowSeconds: Double = 3
        /// Answers every MAIL FROM with this reply instead of 250 (e.g. `553 5.7.1 Sender address rejected`).
        var mailReply: String?
    }

    let port: Int
    let captureDirectory: URL
    private let process: PeerProcess

    /// Starts the peer and waits until it listens.
    init(_ options: Options = Options()) throws {
        guard TestTools.hasAiosmtpd else { throw PeerError.missingTool("python3 with aiosmtpd") }
        captureDirectory = try TestTools.makeTemporaryDirectory("aiosmtpd")
        var arguments = [
            TestTools.supportScript("smtp_peer.py"), "--capture-dir", captureDirectory.path,
            "--slow-seconds", String(options.slowSeconds),
        ]
        if let tls = options.tls { arguments += ["--tls-cert", tls.certificate.path, "--tls-key", tls.key.path] }
        if options.implicitTLS { arguments.append("--implicit-tls") }
        if let mailReply = options.mailReply { arguments += ["--mail-reply", mailReply] }
        if let mechanism = options.authMechanism {
            arguments += ["--auth-mechanism", mechanism, "--user", options.user, "--password", options.password]
        }
        process = try PeerProcess(executable: "/usr/bin/env", arguments: ["python3"] + arguments)
        let ready = try process.waitForLine(prefix: "READY ")
        port = Int(ready.dropFirst("READY ".count).trimmingCharacters(in: .whitespaces))!
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(at: captureDirectory)
    }

    /// Captured messages, oldest first, exactly as received after the DATA command (dot-unstuffed).
    func capturedMessages() throws -> [Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: captureDirectory.path)
            .filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { try Data(contentsOf: captureDirectory.appendingPathComponent($0)) }
    }

    /// Path of captured message number `index` (0-based), for the Python validator.
    func capturedMessagePath(_ index: Int) -> String {
        captureDirectory.appendingPathComponent(String(format: "%04d.eml", index + 1)).path
    }

    /// Envelope of each captured message: (MAIL FROM, RCPT TO list, TLS used).
    func capturedEnvelopes() throws -> [(from: String, to: [String], tls: Bool)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: captureDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: captureDirectory.appendingPathComponent(name))
            let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            return (object["mail_from"] as! String, object["rcpt_tos"] as! [String], object["tls"] as! Bool)
        }
    }

    /// The peer's event lines: `CONNECT`, `MAIL tls=... from=...`, `AUTH mechanism=... ok=...`.
    func events() -> [String] {
        let url = captureDirectory.appendingPathComponent("events.log")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Waits (bounded) until `count` messages are captured; for a reply that arrives after a client timeout.
    func waitForCaptures(_ count: Int, timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var seen = try capturedMessages().count
        while seen < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            seen = try capturedMessages().count
        }
        return seen
    }
}

/// A self-signed certificate for `localhost` and `127.0.0.1`, made with the openssl command.
struct TestCertificate {
    let certificate: URL
    let key: URL

    static func make() throws -> TestCertificate {
        guard TestTools.hasOpenSSL else { throw PeerError.missingTool("openssl") }
        let directory = try TestTools.makeTemporaryDirectory("tls")
        let certificate = directory.appendingPathComponent("cert.pem")
        let key = directory.appendingPathComponent("key.pem")
        let status = TestTools.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.path, "-out",
                certificate.path,
            ])
        guard status == 0 else { throw PeerError.exited(status: status, stderr: "openssl req failed") }
        return TestCertificate(certificate: certificate, key: key)
    }
}
