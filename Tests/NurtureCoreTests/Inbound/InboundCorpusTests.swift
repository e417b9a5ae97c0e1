import Foundation
import NurtureCore
import Testing

/// Every fixture of the corpus classified as its `.expect` sidecar says: the kind always; for bounces the
/// severity (in the kind), status, recipient, original Message-ID and format; for complaints the feedback type,
/// recipient and original Message-ID; for automatic replies the return date or its absence.
@Suite struct InboundCorpusTests {
    @Test func theCorpusIsThereAndEveryFixtureHasExpectations() throws {
        #expect(InboundFixtures.names.count >= 50)
        for name in InboundFixtures.names {
            let expected = try InboundFixtures.expectations(name)
            let kind = try #require(expected["kind"], "\(name) has no kind")
            #expect(InboundKind(rawValue: kind) != nil, "\(name): unknown kind \(kind)")
            switch kind {
            case "hard-bounce", "soft-bounce":
                for key in ["status", "recipient", "original-message-id", "format"] {
                    #expect(expected[key] != nil, "\(name) does not say its \(key)")
                }
            case "auto-reply": #expect(expected["return-date"] != nil, "\(name) does not say its return date")
            case "complaint":
                for key in ["recipient", "original-message-id"] {
                    #expect(expected[key] != nil, "\(name) does not say its \(key)")
                }
            default: break
            }
        }
    }

    @Test(arguments: InboundFixtures.names)
    func fixtureIsClassifiedAsExpected(_ name: String) throws {
        let expected = try InboundFixtures.expectations(name)
        let reading = try InboundFixtures.read(name)
        #expect(reading.classification.kind.rawValue == expected["kind"], "\(name): \(reading.evidence)")
        #expect(!reading.evidence.isEmpty)
        func check(_ key: String, _ actual: String?) {
            guard let value = expected[key] else { return }
            #expect(actual == (value == "none" ? nil : value), "\(name) \(key); evidence: \(reading.evidence)")
        }
        switch reading.classification {
        case .bounce(let bounce):
            check("status", bounce.status)
            check("recipient", bounce.recipient)
            check("original-message-id", bounce.originalMessageID)
            check("format", bounce.format)
            #expect(bounce.diagnostic != nil || bounce.status == nil, "\(name) has a status but no diagnostic")
        case .complaint(let complaint):
            check("feedback-type", complaint.feedbackType)
            check("recipient", complaint.recipient)
            check("original-message-id", complaint.originalMessageID)
        case .autoReply(let reply):
            check("return-date", reply.returnDate?.description)
        default: break
        }
        check("subject", reading.headers.subject)
        if let recipient = expected["recipients"] {
            #expect(reading.headers.recipients.contains(recipient), "\(name): \(reading.headers.recipients)")
        }
    }

    @Test func everyFixtureHasTheHeaderFactsAttributionNeeds() throws {
        for name in InboundFixtures.names where !name.hasPrefix("malformed-") {
            let reading = try InboundFixtures.read(name)
            #expect(reading.headers.messageID != nil, "\(name) has no Message-ID read")
            #expect(reading.headers.date != nil, "\(name) has no Date read")
            #expect(!reading.headers.recipients.isEmpty, "\(name) has no recipient read")
            #expect(reading.headers.messageID.map { !$0.contains("<") && !$0.contains(">") } ?? true)
        }
    }

    @Test func repliesCarryTheirThreadHeaders() throws {
        let reading = try InboundFixtures.read("reply-en-quoting-unsubscribe.eml")
        #expect(reading.headers.inReplyTo == ["20261201.abc123@nurture.acme.example"])
        #expect(reading.headers.references == ["20261201.abc123@nurture.acme.example"])
        #expect(reading.headers.from?.description == "ada@example.com")
        #expect(reading.headers.subject == "Re: Quick question about your pipeline")
        #expect(reading.headers.recipients == ["sam@acme.example"])
    }

    /// The count per kind, for the record (the closing note quotes it).
    @Test func countsPerKind() throws {
        var total: [String: Int] = [:]
        var right: [String: Int] = [:]
        for name in InboundFixtures.names {
            let kind = try InboundFixtures.expectations(name)["kind"] ?? "?"
            total[kind, default: 0] += 1
            if try InboundFixtures.read(name).classification.kind.rawValue == kind { right[kind, default: 0] += 1 }
        }
        let summary = total.keys.sorted().map { "\($0) \(right[$0] ?? 0)/\(total[$0] ?? 0)" }
        print("inbound corpus: " + summary.joined(separator: ", "))
        #expect(right == total)
    }
}
