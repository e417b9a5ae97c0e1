import Foundation
import NurtureCore
import Testing

/// VERP envelope senders: the token names the send, reads back in any case, and nothing else reads.
@Suite("VERP codec")
struct VERPCodecTests {
    private let codec = VERPCodec(
        localPart: "bounces", domain: "bounces.acme.example", secret: Array("verp-test-secret-0123456789abcdef".utf8))

    @Test("round trip for send ids", arguments: [Int64(1), 42, 9_999, 1_234_567_890, Int64.max])
    func roundTrip(id: Int64) throws {
        let address = try #require(codec.address(forSend: id))
        #expect(address.domain == "bounces.acme.example")
        #expect(address.localPart.hasPrefix("bounces+\(id)-"))
        #expect(address.localPart.utf8.count <= 64)
        #expect(address.description == address.description.lowercased())
        #expect(codec.sendID(in: address.description) == id)
        #expect(codec.sendID(in: address.description.uppercased()) == id)
    }

    @Test("no address for ids that are not positive", arguments: [Int64(0), -1, Int64.min])
    func nonPositive(id: Int64) {
        #expect(codec.address(forSend: id) == nil)
    }

    @Test("a configured local part in capitals still makes a lower-case address that reads back")
    func capitalLocalPart() throws {
        let mixed = VERPCodec(localPart: "Bounces", domain: "Bounces.Acme.Example", secret: Array("k".utf8))
        let address = try #require(mixed.address(forSend: 7))
        #expect(address.description.hasPrefix("bounces+7-"))
        #expect(address.description.hasSuffix("@bounces.acme.example"))
        #expect(mixed.sendID(in: address.description) == 7)
    }

    @Test(
        "mangled, forged or foreign addresses name no send",
        arguments: [
            "", "bounces@bounces.acme.example", "bounces+@bounces.acme.example",
            "bounces+42@bounces.acme.example", "bounces+42-@bounces.acme.example",
            "bounces+42-0000000000000000000@bounces.acme.example",
            "other+42-0000000000000000000a@bounces.acme.example",
            "<bounces+42-TOKEN@bounces.acme.example>", " bounces+42-TOKEN@bounces.acme.example",
            "bounces+42-TOKEN@other.example", "bounces+42-TOKEN@bounces.acme.example.evil",
            "bounces+042-TOKEN@bounces.acme.example", "bounces+43-TOKEN@bounces.acme.example",
            "bounces+42-TOKEN-1@bounces.acme.example", "bounces+42-TOKENff@bounces.acme.example",
            "bounces+42-TOKEN@bounces.acme.example@bounces.acme.example",
            "bounces+-42-TOKEN@bounces.acme.example", "bounces+99999999999999999999-TOKEN@bounces.acme.example",
        ])
    func rejects(template: String) throws {
        let good = try #require(codec.address(forSend: 42)).description
        let token = String(good.split(separator: "-").last!.split(separator: "@").first!)
        let text = template.replacingOccurrences(of: "TOKEN", with: token)
        #expect(codec.sendID(in: text) == nil, "\(text)")
    }

    @Test("a one-character change in the signature is refused, wherever it is")
    func flippedSignature() throws {
        let good = try #require(codec.address(forSend: 42)).description
        let at = try #require(good.firstIndex(of: "@"))
        let tokenStart = try #require(good.firstIndex(of: "-")).utf16Offset(in: good) + 1
        for offset in tokenStart..<at.utf16Offset(in: good) {
            var characters = Array(good)
            characters[offset] = characters[offset] == "0" ? "1" : "0"
            #expect(codec.sendID(in: String(characters)) == nil)
        }
    }

    @Test("another secret reads nothing")
    func otherSecret() throws {
        let address = try #require(codec.address(forSend: 42)).description
        let other = VERPCodec(localPart: "bounces", domain: "bounces.acme.example", secret: Array("other".utf8))
        #expect(other.sendID(in: address) == nil)
        #expect(other.address(forSend: 42) != codec.address(forSend: 42))
    }

    @Test("the longest local part leaves room for the longest token")
    func lengthBudget() throws {
        let local = String(repeating: "b", count: VERPCodec.maximumLocalPartLength)
        let longest = VERPCodec(localPart: local, domain: "example.com", secret: [1, 2, 3])
        let address = try #require(longest.address(forSend: .max))
        #expect(address.localPart.utf8.count == 64)
        #expect(longest.sendID(in: address.description) == .max)
    }

    @Test("random tokens never read, and random send ids always round-trip (seeded, 5000 each)")
    func randomized() throws {
        var generator = SeededGenerator(seed: 0x5EED_0014)
        let alphabet = Array("0123456789abcdef-+@.x")
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...45, using: &generator)
            let token = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(codec.sendID(in: "bounces+\(token)@bounces.acme.example") == nil, "\(token)")
            let id = Int64.random(in: 1...Int64.max, using: &generator)
            let address = try #require(codec.address(forSend: id))
            #expect(codec.sendID(in: address.description) == id)
        }
    }
}
