import Crypto
import NurtureCore
import Testing

/// SHA-256 and HMAC-SHA256 come from swift-crypto. The known answers pin the library calls the code makes
/// (`SHA256.hash(data:)` and `HMAC<SHA256>` over byte arrays); the legacy vectors pin what is stored: keyed
/// suppression keys, unsubscribe tokens and unkeyed legacy hashes must keep the values earlier versions wrote.
@Suite("SHA-256, HMAC and unsubscribe links")
struct HMACSHA256Tests {
    private func hex(_ bytes: [UInt8]) -> String { UnsubscribeLink.hex(bytes) }
    private func sha256(_ message: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: message)) }
    private func hmac(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    @Test(
        "SHA-256 known answers (FIPS 180-4 examples)",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256(message: String, digest: String) {
        #expect(hex(sha256(Array(message.utf8))) == digest)
    }

    @Test("SHA-256 of a million 'a' (several blocks)")
    func sha256Long() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hex(sha256(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(
        "HMAC-SHA256 known answers (RFC 4231 test cases 1, 2, 3, 4, 6 and 7)",
        arguments: [
            (
                [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
            ),
            (
                Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
            ),
            (
                [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
                "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
            ),
            (
                [UInt8](1...25), [UInt8](repeating: 0xcd, count: 50),
                "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
            ),
            (
                [UInt8](repeating: 0xaa, count: 131),
                Array(
                    ("This is a test using a larger than block-size key and a larger than block-size data. The key needs"
                        + " to be hashed before being used by the HMAC algorithm.").utf8),
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
            ),
        ])
    func hmac(key: [UInt8], message: [UInt8], code: String) {
        #expect(hex(hmac(message, key: key)) == code)
    }

    // The vectors below were computed by the hand-written SHA-256/HMAC this project used before swift-crypto;
    // they are the values already stored in databases and sent in links, and must never change.

    @Test("an unsubscribe token keeps the value earlier versions put in links")
    func legacyToken() {
        let token = UnsubscribeLink.token(
            for: DomainFixtures.address("Dana@Example.com"), secret: Array("nurture-demo-unsubscribe-key".utf8))
        #expect(hex(token) == "1ff6701f9f996ef85673f784cb7338919b6530fb001c5a33f8bafd2c74cbf240")
    }

    @Test("keyed and unkeyed suppression keys keep the values earlier versions stored")
    func legacySuppressionKeys() {
        let address = DomainFixtures.address("dana@example.com")
        let legacy = "07e2f1394b0ea80e2adca010ea8318df697001a005ba7452720edda4b0ce57b3"
        #expect(Suppression.unkeyedHash(of: address) == legacy)
        #expect(
            AddressKeying(secret: nil).suppressionKey(for: address)
                == SuppressionKey(written: legacy, accepted: [legacy]))
        let keyed = AddressKeying(secret: Array("pseudonym secret 0123456789".utf8)).suppressionKey(for: address)
        let written = "90c8441a6e07202098da2281f9a99d0c796786d2b35e40bec084048c62d45ee7"
        #expect(keyed == SuppressionKey(written: written, accepted: [written, legacy]))
    }

    @Test("a key longer than one block and a one-block message: the value the old code computed")
    func legacyLongKey() {
        let code = hmac([UInt8](repeating: 0x61, count: 64), key: [UInt8](repeating: 0x42, count: 70))
        #expect(hex(code) == "7659624e9a8c63413b11eb21205943d82b0905afbf10332a466b69f72db94743")
        // 55 and 56 bytes: the last lengths whose padding fits one block, and the first that needs two.
        #expect(
            hex(sha256([UInt8](repeating: 0x61, count: 55)))
                == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            hex(sha256([UInt8](repeating: 0x61, count: 56)))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
    }

    @Test("the unsubscribe URL is base + one slash + hex token; headers follow RFC 2369 and RFC 8058")
    func unsubscribeLink() {
        #expect(
            UnsubscribeLink.url(baseURL: "https://acme.example/u/", token: [0x00, 0xab, 0xff])
                == "https://acme.example/u/00abff")
        #expect(UnsubscribeLink.url(baseURL: "https://acme.example/u", token: [0x01]) == "https://acme.example/u/01")
        let list = UnsubscribeLink.listUnsubscribe(
            url: "https://acme.example/u/01", mailbox: DomainFixtures.address("unsubscribe@acme.example"))
        #expect(list == "<https://acme.example/u/01>, <mailto:unsubscribe@acme.example?subject=unsubscribe>")
        #expect(UnsubscribeLink.listUnsubscribePost == "List-Unsubscribe=One-Click")
    }

    @Test("the token does not depend on the address's case and does depend on the secret")
    func token() {
        let lower = UnsubscribeLink.token(for: DomainFixtures.address("dana@example.com"), secret: [1, 2, 3])
        let upper = UnsubscribeLink.token(for: DomainFixtures.address("DANA@Example.com"), secret: [1, 2, 3])
        let other = UnsubscribeLink.token(for: DomainFixtures.address("dana@example.com"), secret: [9])
        #expect(lower == upper)
        #expect(lower != other)
        #expect(lower.count == 32)
    }
}
