import Foundation
import NurtureCore
import NurtureDKIM
import NurtureTestSupport
import Testing

/// Keys: what loads, what is refused, and the DNS record derived from the private key.
@Suite("DKIM keys and records", .ownQueue)
struct DKIMKeyTests {
    /// `openssl pkey -pubout` of a fixture, DER, base64: the public key as a tool other than ours derives it.
    static func opensslPublicKey(_ name: String, rawEd25519: Bool) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "pkey", "-in", DKIMTestKeys.fixtures.appendingPathComponent(name).path, "-pubout", "-outform",
            "DER",
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let der = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (rawEd25519 ? der.suffix(32) : der).base64EncodedString()
    }

    @Test(
        "the record's public key is the one openssl derives from the same private key",
        .enabled(if: TestTools.hasOpenSSL, "the openssl command is not installed"))
    func publicKeys() throws {
        #expect(DKIMTestKeys.rsa.publicKeyBase64 == (try Self.opensslPublicKey("test-rsa-2048.pem", rawEd25519: false)))
        #expect(
            DKIMTestKeys.ed25519.publicKeyBase64 == (try Self.opensslPublicKey("test-ed25519.pem", rawEd25519: true)))
    }

    @Test("an Ed25519 key loads alike from its PEM and from its base64 seed")
    func seedAndPEM() throws {
        let seed = try DKIMPrivateKey(text: DKIMTestKeys.text("test-ed25519.seed"), algorithm: .ed25519SHA256)
        #expect(seed.publicKeyBase64 == DKIMTestKeys.ed25519.publicKeyBase64)
    }

    @Test(
        "what is not a usable key is refused with the reason",
        arguments: [
            ("test-rsa-1024.pem", DKIMAlgorithm.rsaSHA256, DKIMKeyError.tooShort(bits: 1024)),
            ("test-ed25519.pem", .rsaSHA256, .wrongAlgorithm(configured: "rsa-sha256", found: "ed25519-sha256")),
            ("test-rsa-2048.pem", .ed25519SHA256, .wrongAlgorithm(configured: "ed25519-sha256", found: "rsa-sha256")),
            ("README.md", .ed25519SHA256, .notAKey("ed25519-sha256")),
        ])
    func refused(file: String, algorithm: DKIMAlgorithm, expected: DKIMKeyError) {
        #expect(throws: expected) { try DKIMPrivateKey(text: DKIMTestKeys.text(file), algorithm: algorithm) }
    }

    @Test("a public key or a passphrase-protected key is refused, and a key's description never shows it")
    func publicAndEncrypted() {
        let publicKey = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"
        #expect(throws: DKIMKeyError.publicKey) { try DKIMPrivateKey(text: publicKey, algorithm: .ed25519SHA256) }
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkq\n-----END ENCRYPTED PRIVATE KEY-----\n"
        #expect(throws: DKIMKeyError.encrypted) { try DKIMPrivateKey(text: encrypted, algorithm: .rsaSHA256) }
        #expect("\(DKIMTestKeys.rsa)" == "<DKIM private key: rsa-sha256, 2048 bits>")
        #expect(String(reflecting: DKIMTestKeys.ed25519) == "<DKIM private key: ed25519-sha256, 256 bits>")
    }

    @Test("a 2048-bit RSA record is split into strings of at most 255 bytes that join back to the record")
    func recordStrings() {
        let record = DKIMTestKeys.keys(domain: "acme-analytics.example")[0].record
        #expect(record.name == "rsa-test._domainkey.acme-analytics.example")
        #expect(record.text.hasPrefix("v=DKIM1; k=rsa; p=MIIBIjAN"))
        let strings = record.quotedStrings
        #expect(strings.count == 2)
        #expect(strings.allSatisfy { $0.utf8.count <= 255 + 2 && $0.hasPrefix("\"") && $0.hasSuffix("\"") })
        #expect(strings.map { $0.dropFirst().dropLast() }.joined() == record.text)
        #expect(record.zoneLine.hasPrefix("rsa-test._domainkey.acme-analytics.example. IN TXT ( \"v=DKIM1; k=rsa; p="))
        let ed = DKIMTestKeys.keys(domain: "acme-analytics.example")[1].record
        #expect(ed.zoneLine == "ed-test._domainkey.acme-analytics.example. IN TXT \"\(ed.text)\"")
    }

    @Test("every key signs a probe that its own public key verifies")
    func probe() {
        #expect(DKIMSigner(keys: DKIMTestKeys.keys(domain: "acme-analytics.example")).probeProblems().isEmpty)
    }

    @Test("mail From another domain is left as it is; the domain is compared without case")
    func otherDomain() throws {
        let signer = DKIMSigner(keys: DKIMTestKeys.keys(domain: "acme-analytics.example"))
        let message = Array("From: a@example.org\r\n\r\nHi\r\n".utf8)
        let date = Date(timeIntervalSince1970: 0)
        #expect(try signer.sign(message, domain: "example.org", at: date) == message)
        #expect(try signer.sign(message, domain: "ACME-Analytics.example", at: date).count > message.count)
    }
}
