import Foundation
import Testing

@testable import NurtureCore

/// The pure parts of DKIM: relaxed canonicalization, header selection and the signature field's layout.
@Suite("DKIM canonicalization and header selection")
struct DKIMCanonicalizationTests {
    @Test(
        "relaxed header canonicalization (RFC 6376 3.4.2)",
        arguments: [
            ("Subject: Hello\r\n", "subject:Hello\r\n"),
            ("SUBJECT :  Hello   world  \r\n", "subject:Hello world\r\n"),
            ("Subject:\tHello\r\n\tworld\r\n", "subject:Hello world\r\n"),
            (
                "List-Unsubscribe: <https://a.example/u>,\r\n <mailto:u@a.example>\r\n",
                "list-unsubscribe:<https://a.example/u>, <mailto:u@a.example>\r\n"
            ),
            ("X-Empty:\r\n", "x-empty:\r\n"),
            ("X-Empty:   \r\n", "x-empty:\r\n"),
            ("DKIM-Signature: v=1; a=rsa-sha256;\r\n b=", "dkim-signature:v=1; a=rsa-sha256; b=\r\n"),
        ])
    func relaxedHeader(field: String, expected: String) {
        #expect(String(decoding: DKIMCanonicalization.relaxedHeader(Array(field.utf8)), as: UTF8.self) == expected)
    }

    @Test(
        "relaxed body canonicalization (RFC 6376 3.4.4)",
        arguments: [
            ("", ""),
            ("\r\n", ""),
            ("\r\n\r\n\r\n", ""),
            ("Hi\r\n", "Hi\r\n"),
            ("Hi", "Hi\r\n"),
            ("Hi  \t there \r\n", "Hi there\r\n"),
            ("A\r\n\r\nB\r\n\r\n\r\n", "A\r\n\r\nB\r\n"),
            (" C \r\n  \r\n", " C\r\n"),
            ("\tlead\r\n", " lead\r\n"),
            ("x\r\n \r\ny\r\n", "x\r\n\r\ny\r\n"),
        ])
    func relaxedBody(body: String, expected: String) {
        #expect(String(decoding: DKIMCanonicalization.relaxedBody(Array(body.utf8)), as: UTF8.self) == expected)
    }

    @Test(
        "the signed names: present fields in a fixed order, the listed ones over-signed",
        arguments: [
            (
                ["date", "message-id", "from", "to", "subject", "mime-version", "content-type"],
                "from:from:to:to:subject:subject:date:date:message-id:mime-version:content-type"
            ),
            (
                [
                    "date", "message-id", "from", "reply-to", "to", "subject", "mime-version", "content-type",
                    "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post", "x-mailer",
                ],
                "from:from:to:to:subject:subject:date:date:message-id:reply-to:mime-version:content-type:"
                    + "content-transfer-encoding:list-unsubscribe:list-unsubscribe:list-unsubscribe-post:"
                    + "list-unsubscribe-post"
            ),
            (["from", "to", "in-reply-to", "references", "received"], "from:from:to:to:in-reply-to:references"),
        ])
    func names(present: [String], expected: String) {
        #expect(DKIMHeaderSelection.names(present: present).joined(separator: ":") == expected)
    }

    @Test("selection takes instances from the bottom up; an over-signed name matches nothing")
    func selection() {
        let fields = ["From: a\r\n", "To: b\r\n", "From: c\r\n"].map { DKIMHeaderField(bytes: Array($0.utf8)) }
        let selected = DKIMHeaderSelection.select(["from", "from", "from", "to"], from: fields)
        #expect(
            selected.map { String(decoding: $0.bytes, as: UTF8.self) } == ["From: c\r\n", "From: a\r\n", "To: b\r\n"])
    }

    @Test("a message splits into its folded fields and its body")
    func split() {
        let message = Array("A: 1\r\nB: 2\r\n 3\r\nC:4\r\n\r\nbody\r\n".utf8)
        let (fields, start) = DKIMHeaderField.split(message)
        #expect(fields.map(\.lowercasedName) == ["a", "b", "c"])
        #expect(String(decoding: fields[1].bytes, as: UTF8.self) == "B: 2\r\n 3\r\n")
        #expect(String(decoding: message[start...], as: UTF8.self) == "body\r\n")
    }

    @Test("the signature field: no line over 78 octets, the same text before b= whether signed or not")
    func fieldLayout() {
        let header = DKIMSignatureHeader(
            algorithm: .rsaSHA256, domain: "acme-analytics.example", selector: "nurture2026",
            timestamp: 1_795_000_000,
            signedHeaders: DKIMHeaderSelection.names(present: [
                "date", "message-id", "from", "reply-to", "to", "subject", "mime-version", "content-type",
                "list-unsubscribe", "list-unsubscribe-post",
            ]), bodyHash: String(repeating: "h", count: 43) + "=")
        let signature = String(repeating: "S", count: 344)
        let signed = String(decoding: header.signed(signature: signature), as: UTF8.self)
        let unsigned = String(decoding: header.unsigned, as: UTF8.self)
        #expect(signed.hasPrefix(unsigned))
        #expect(unsigned.hasSuffix("b="))
        #expect(signed.hasSuffix("\r\n"))
        let lines = signed.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(signed)")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") }, "continuation lines start with a space")
        let unfolded = signed.replacingOccurrences(of: "\r\n ", with: " ")
        #expect(unfolded.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=acme-analytics.example;"))
        #expect(unfolded.contains(" t=1795000000;"))
        #expect(!unfolded.contains("l="))
        #expect(unfolded.replacingOccurrences(of: " ", with: "").contains("b=" + signature))
    }
}
