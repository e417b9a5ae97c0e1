import Foundation
import Testing

@testable import NurtureCore

/// The lenient MIME reader: encoded words, parameters, transfer encodings, charsets, headers, multiparts.
@Suite struct MIMEReaderTests {
    @Test(arguments: [
        ("=?utf-8?Q?Automatische_Antwort:?= Termin", "Automatische Antwort: Termin"),
        ("=?iso-8859-1?Q?R=E9ponse_automatique?=", "Réponse automatique"),
        ("=?UTF-8?B?UsOpcG9uc2U=?= =?UTF-8?B?IGF1dG9tYXRpcXVl?=", "Réponse automatique"),
        ("=?windows-1252?B?UmVzcHVlc3RhIGF1dG9t4XRpY2E=?=", "Respuesta automática"),
        ("=?iso-8859-15?Q?=A4?=", "€"),
        ("plain =?utf-8?X?bad?= text", "plain =?utf-8?X?bad?= text"),
        ("=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated"),
        ("Re: =?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Re: Grüße"),
    ])
    func decodesEncodedWords(_ input: String, _ expected: String) {
        #expect(EncodedWordDecoder.decode(input) == expected)
    }

    @Test(arguments: [
        ("multipart/report; report-type=delivery-status; boundary=\"a;b\"", "boundary", "a;b"),
        ("text/plain; CHARSET=ISO-8859-1", "charset", "ISO-8859-1"),
        ("attachment; filename*=utf-8''na%C3%AFve.txt", "filename", "naïve.txt"),
        ("attachment; filename*0=\"long\"; filename*1=\"-name.txt\"", "filename", "long-name.txt"),
        ("attachment; filename*0*=iso-8859-1''%E9t%E9; filename*1=\".txt\"", "filename", "été.txt"),
    ])
    func readsParameters(_ value: String, _ name: String, _ expected: String) {
        #expect(MIMEContentType(value).parameters[name] == expected)
    }

    @Test func malformedContentTypeFallsBackToTextPlain() {
        #expect(MIMEContentType("garbage").mimeType == "text/plain")
        #expect(MIMEContentType(nil).mimeType == "text/plain")
        #expect(MIMEContentType("Multipart/Mixed; boundary=x").mimeType == "multipart/mixed")
    }

    @Test(arguments: [
        ("SGVsbG8=", "Hello"), ("SGVs\r\nbG8=", "Hello"), ("SGV*sbG8", "Hello"), ("", ""), ("!!!!", ""),
    ])
    func decodesBase64Leniently(_ input: String, _ expected: String) {
        #expect(String(decoding: TransferDecoder.base64(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: [
        ("caf=C3=A9", "café"), ("soft=\r\nbreak", "softbreak"), ("soft=  \nbreak", "softbreak"),
        ("broken=ZZescape", "broken=ZZescape"), ("trailing=", "trailing"),
    ])
    func decodesQuotedPrintableLeniently(_ input: String, _ expected: String) {
        #expect(String(decoding: TransferDecoder.quotedPrintable(Array(input.utf8)), as: UTF8.self) == expected)
    }

    @Test(arguments: [
        ([0x63, 0x61, 0x66, 0xE9] as [UInt8], "iso-8859-1", "café", false),
        ([0x80, 0x20, 0x93, 0x94], "windows-1252", "€ “”", false),
        ([0xA4], "ISO-8859-15", "€", false),
        ([0x63, 0x61, 0x66, 0xC3, 0xA9], "utf-8", "café", false),
        ([0x63, 0x61, 0x66, 0xE9], "us-ascii", "café", false),
        ([0x63, 0x61, 0x66, 0xC3, 0xA9], "koi8-r", "café", true),
    ])
    func decodesCharsets(_ bytes: [UInt8], _ charset: String, _ expected: String, _ lossy: Bool) {
        let decoded = CharsetDecoder.decode(bytes, charset: charset)
        #expect(decoded.text == expected)
        #expect((decoded.note != nil) == lossy)
    }

    @Test func unfoldsHeadersAndFindsTheBody() {
        let raw = Array("Subject: one\r\n two\r\nX-Empty:\r\nTo: a@example.com\r\n\r\nbody\r\n".utf8)
        let (headers, bodyStart) = MIMEHeaders.parse(raw[...])
        #expect(headers.value("subject") == "one two")
        #expect(headers.value("x-empty") == "")
        #expect(String(decoding: raw[bodyStart...], as: UTF8.self) == "body\r\n")
    }

    @Test func aMissingBlankLineEndsTheHeaderAtTheFirstNonField() {
        let raw = Array("Subject: hi\nthis is body text\n".utf8)
        let (headers, bodyStart) = MIMEHeaders.parse(raw[...])
        #expect(headers.fields.count == 1)
        #expect(String(decoding: raw[bodyStart...], as: UTF8.self) == "this is body text\n")
    }

    @Test func readsNestedMultipartsAndEmbeddedMessages() {
        let raw = Array(
            """
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain

            hello
            --inner--
            --outer
            Content-Type: message/rfc822

            Message-ID: <x@example.com>
            Subject: returned

            original
            --outer--
            """.utf8)
        var parser = MIMEParser()
        let root = parser.parse(raw)
        #expect(parser.problems.isEmpty)
        #expect(root.parts.count == 2)
        #expect(root.parts[0].parts.first.map { String(decoding: $0.decodedBody, as: UTF8.self) } == "hello")
        #expect(root.parts[1].parts.first?.headers.value("message-id") == "<x@example.com>")
        #expect(root.walk(intoEmbedded: false).count == 4)
    }

    @Test func notesAnUnclosedBoundaryAndAGuessedOne() {
        var parser = MIMEParser()
        _ = parser.parse(Array("Content-Type: multipart/mixed\n\n--guess\n\nhi\n".utf8))
        #expect(parser.problems.contains { $0.contains("no boundary parameter") })
        #expect(parser.problems.contains { $0.contains("never closed") })
    }

    @Test(arguments: [
        ("Mon, 30 Nov 2026 09:00:00 +0000", 1_796_029_200.0), ("30 Nov 2026 09:00:00 -0000", 1_796_029_200.0),
        ("Mon, 30 Nov 2026 01:00:00 -0800 (PST)", 1_796_029_200.0), ("Mon, 30 Nov 26 09:00 GMT", 1_796_029_200.0),
        ("Mon, 30 Nov 2026 04:00:00 EST", 1_796_029_200.0),
    ])
    func readsMailDates(_ value: String, _ expected: TimeInterval) {
        #expect(MailDateReader.date(value)?.timeIntervalSince1970 == expected)
    }

    @Test(arguments: ["", "yesterday", "Mon, 31 Feb 2026 09:00:00 +0000", "Mon, 30 Nov 2026 25:00:00 +0000"])
    func rejectsBadMailDates(_ value: String) {
        #expect(MailDateReader.date(value) == nil)
    }

    @Test func readsAddressesAndMessageIDs() {
        #expect(
            HeaderValues.addresses("\"Doe, Jane\" <Jane@Example.com>, bob@example.org (Bob)")
                == ["jane@example.com", "bob@example.org"])
        #expect(HeaderValues.messageIDs("<a@b> <c@d>\n <e@f>") == ["a@b", "c@d", "e@f"])
        #expect(HeaderValues.messageIDs("bare@example.com") == ["bare@example.com"])
        #expect(
            HeaderValues.addresses(inText: "said: <Nobody@Example.com>: user unknown", limit: 5) == [
                "nobody@example.com"
            ])
    }
}
