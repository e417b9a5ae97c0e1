import Foundation
import Testing

@testable import NurtureCore

/// Property: no input crashes or hangs the classifier, and the work is bounded by the reader's caps. Every case
/// must return a reading with evidence; the caps' notes prove the limits were applied.
@Suite struct InboundRobustnessTests {
    static func read(_ bytes: [UInt8]) -> InboundReading {
        let reading = InboundClassifier.read(bytes, now: InboundFixtures.now)
        #expect(!reading.evidence.isEmpty)
        return reading
    }

    @Test func randomBytes() {
        var generator = SeededGenerator(seed: 14)
        for _ in 0..<300 {
            let count = Int.random(in: 0...4096, using: &generator)
            _ = Self.read((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
        #expect(Self.read([]).classification == .unrelated)
    }

    @Test(arguments: InboundFixtures.names)
    func truncationsAndByteFlipsOfEveryFixture(_ name: String) throws {
        let bytes = try InboundFixtures.bytes(name)
        var generator = SeededGenerator(seed: name.hashValueStable)
        for step in 1...24 {
            _ = Self.read(Array(bytes.prefix(bytes.count * step / 25)))
            _ = Self.read(Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator))))
        }
        for _ in 0..<20 {
            var flipped = bytes
            for _ in 0..<16 {
                flipped[Int.random(in: 0..<flipped.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            _ = Self.read(flipped)
        }
    }

    @Test func aThousandNestedMultipartsStopAtTheDepthCap() {
        var text = "From: a@example.com\r\nSubject: deep\r\n"
        for level in 0..<1000 {
            text += "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n"
        }
        text += "Content-Type: text/plain\r\n\r\nunsubscribe\r\n"
        let reading = Self.read(Array(text.utf8))
        #expect(reading.evidence.contains("deeper than \(MIMELimits.depth) levels"))
    }

    @Test func aThousandNestedMessagesStopAtTheDepthCap() {
        let text = String(repeating: "Content-Type: message/rfc822\r\n\r\n", count: 1000) + "Subject: x\r\n\r\nhi"
        let reading = Self.read(Array(("From: a@example.com\r\n" + text).utf8))
        #expect(reading.evidence.contains("deeper than"))
    }

    @Test func aTwentyMegabyteBodyIsCutAtTheMessageCap() {
        let header = "From: Lead <lead@example.com>\r\nSubject: Re: hi\r\nContent-Type: text/plain\r\n\r\n"
        let line = Array("a fairly ordinary line of text that repeats, please unsubscribe\r\n".utf8)
        var bytes = Array(header.utf8)
        bytes.reserveCapacity(20 * 1024 * 1024 + line.count)
        while bytes.count < 20 * 1024 * 1024 { bytes += line }
        var reading: InboundReading?
        let elapsed = ContinuousClock().measure { reading = Self.read(bytes) }
        #expect(reading?.evidence.contains("only the first \(MIMELimits.messageBytes)") == true)
        #expect(reading?.classification == .optOut)
        print("20 MB body read in \(elapsed)")
    }

    @Test func aTwentyMegabyteLineWithoutBreaks() {
        let bytes = Array("From: a@example.com\r\nSubject: x\r\n\r\n".utf8) + [UInt8](repeating: 0x3C, count: 20 << 20)
        #expect(Self.read(bytes).evidence.contains("only the first"))
    }

    @Test(arguments: [
        "Content-Type: multipart/mixed\r\n\r\nno delimiters at all\r\n",
        "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\nx\r\n",
        "Content-Type: multipart/report; report-type=delivery-status\r\n\r\nbody\r\n",
        "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n",
        "Content-Type: text/plain; charset=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!====\r\n",
    ])
    func malformedMultipartsAreRead(_ tail: String) {
        _ = Self.read(Array(("From: Lead <lead@example.com>\r\nSubject: Re: hi\r\n" + tail).utf8))
    }

    @Test func tenThousandPartsStopAtThePartCap() {
        var text = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n"
        for _ in 0..<10_000 { text += "--p\r\nContent-Type: text/plain\r\n\r\nx\r\n" }
        let reading = Self.read(Array((text + "--p--\r\n").utf8))
        #expect(reading.evidence.contains("more than \(MIMELimits.parts) parts"))
    }

    @Test func hugeHeadersAndHeaderValuesAreBounded() {
        var text = "From: a@example.com\r\nSubject: " + String(repeating: "=?utf-8?Q?a?= ", count: 50_000) + "\r\n"
        text += String(repeating: "X-Filler: y\r\n", count: 50_000)
        text += "References: " + String(repeating: "<", count: 100_000) + "\r\n\r\nbody"
        let reading = Self.read(Array(text.utf8))
        #expect((reading.headers.subject?.count ?? 0) <= EncodedWordDecoder.maximumCharacters)
        #expect(reading.headers.references.count <= 100)
    }

    @Test func pathologicalTextForTheTextReaders() {
        let angles = String(repeating: "<", count: 200_000)
        #expect(ReplyText.plainText(fromHTML: angles).count == 200_000)
        let ids = String(repeating: "Message-ID: x ", count: 20_000)
        #expect(DeliveryReportReader.quotedMessageID(in: ids) == nil)
        _ = HeaderValues.addresses(inText: String(repeating: "@", count: 200_000), limit: 10)
        _ = BounceSeverity.enhancedStatus(in: String(repeating: "5.", count: 100_000))
    }
}
