import NurtureCore
import Testing

@Suite("SHA-256, HMAC and unsubscribe links")
struct HMACSHA256Tests {
    private func hex(_ bytes: [UInt8]) -> String { UnsubscribeLink.hex(bytes) }

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
        #expect(hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test("SHA-256 of a million 'a' (several blocks)")
    func sha256Long() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hex(SHA256.hash(message)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("HMAC-SHA256 known answers (RFC 4231 cases 1, 2 and 6)")
    func hmac() {
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(
            hex(HMACSHA256.authenticationCode(for: Array("Hi There".utf8), key: key1))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            hex(HMACSHA256.authenticationCode(for: Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let longKey = [UInt8](repeating: 0xaa, count: 131)
        let message = Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        #expect(
            hex(HMACSHA256.authenticationCode(for: message, key: longKey))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
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
