import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite
import Testing

/// One incoming message through the processor, over the shipped configuration and a real SQLite store: the lead
/// change and the message's record are one transaction, and a message is acted on once.
@Suite("Inbound processor")
struct InboundProcessorTests {
    static let now = Date(timeIntervalSince1970: 1_796_133_600)  // Tuesday 2026-12-01 14:00 UTC
    static let lead = "ada@lead.example"

    /// A sales-qualified inbound lead owned by Priya (enrolled in inbound-sales) with its intro in the ledger.
    static func leadWithIntro(_ configuration: NurtureConfiguration, _ store: SQLiteStore) async throws -> PlannedSend {
        let lead = Lead(
            email: try EmailAddress(Self.lead), firstName: "Ada", timeZone: "America/New_York", stage: .salesQualified,
            source: .inbound, owner: "priya")
        _ = try await LeadService(store: store, configuration: configuration).upsert(lead, at: now)
        let enrollment = try #require(try await store.enrollments(for: lead.email).last { $0.isActive })
        return try await store.plan(
            NewPlannedSend(
                enrollmentID: enrollment.id, leadEmail: lead.email, sequence: enrollment.sequence, step: "intro",
                stepNumber: 1, track: .sales, dueAt: now, nextAttemptAt: now,
                messageID: "<\(enrollment.id).intro.x1y2@acme-analytics.example>"),
            at: now)
    }

    static func reply(to messageID: String, body: String = "Sounds good, let's talk on Thursday.") -> [UInt8] {
        Array(
            """
            From: Ada <\(lead)>\r
            To: Priya <priya@acme-analytics.example>\r
            Subject: Re: Quick question\r
            Date: Tue, 01 Dec 2026 14:30:00 +0000\r
            Message-ID: <r1@lead.example>\r
            In-Reply-To: \(messageID)\r
            References: \(messageID)\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            \(body)\r

            """.utf8)
    }

    static func message(_ bytes: [UInt8], uid: UInt32 = 1) -> InboundProcessor.Message {
        InboundProcessor.Message(mailbox: "sales-priya", owner: "priya", uidValidity: 9, uid: uid, bytes: bytes)
    }

    @Test("a reply to the intro ends the enrollment, audited and recorded in one change; a second reading does nothing")
    func replyEndsOnce() async throws {
        try await AppFixture.withStore { configuration, store in
            let intro = try await Self.leadWithIntro(configuration, store)
            let processor = InboundProcessor(store: store, configuration: configuration)
            let email = try EmailAddress(Self.lead)

            let outcome = try await processor.process(Self.message(Self.reply(to: intro.messageID)), now: Self.now)
            #expect(outcome.isNew)
            #expect(outcome.action == .replied)
            #expect(outcome.record.kind == .reply)
            #expect(outcome.record.rule == .messageID)
            #expect(outcome.record.sendID == intro.id)
            #expect(try await store.enrollments(for: email).last?.endReason == .replied)
            let audit = try await store.audit(for: email)
            let line = try #require(audit.first { $0.kind == "inbound" })
            #expect(line.detail.hasPrefix("reply from sales-priya: "), "\(line.detail)")
            #expect(line.detail.hasSuffix("(rule message-id)"), "\(line.detail)")
            #expect(try await store.inboundRecord(mailbox: "sales-priya", uidValidity: 9, uid: 1) == outcome.record)

            let again = try await processor.process(Self.message(Self.reply(to: intro.messageID)), now: Self.now)
            #expect(!again.isNew)
            #expect(again.action == .none)
            #expect(again.record == outcome.record)
            #expect(try await store.audit(for: email) == audit, "nothing is acted on twice")
        }
    }

    @Test("an out-of-office pauses the active enrollment until the first business day after the return date")
    func outOfOfficePauses() async throws {
        try await AppFixture.withStore { configuration, store in
            let intro = try await Self.leadWithIntro(configuration, store)
            let text = String(
                decoding: Self.reply(
                    to: intro.messageID, body: "I am out of the office and will be back on Monday, 14 December 2026."),
                as: UTF8.self
            )
            .replacingOccurrences(
                of: "Subject: Re: Quick question",
                with: "Subject: Automatic reply: Quick question\r\nAuto-Submitted: auto-replied")
            let outcome = try await InboundProcessor(store: store, configuration: configuration)
                .process(Self.message(Array(text.utf8)), now: Self.now)
            #expect(outcome.action == .paused, "\(outcome.record)")
            let enrollment = try #require(try await store.enrollments(for: try EmailAddress(Self.lead)).last)
            #expect(enrollment.isActive)
            // Back Monday the 14th: from Tuesday the 15th, 00:00 in New York (the lead's zone).
            #expect(enrollment.pausedUntil == Date(timeIntervalSince1970: 1_797_310_800))
        }
    }

    @Test("a message tied to no lead is recorded and changes nothing")
    func unrelatedIsRecorded() async throws {
        try await AppFixture.withStore { configuration, store in
            _ = try await Self.leadWithIntro(configuration, store)
            let newsletter =
                Array(
                    "From: news@shop.example\r\nTo: priya@acme-analytics.example\r\nSubject: Our December deals\r\n"
                        .utf8)
                + Array("List-Unsubscribe: <https://shop.example/u>\r\nPrecedence: bulk\r\n\r\nDeals.\r\n".utf8)
            let outcome = try await InboundProcessor(store: store, configuration: configuration)
                .process(Self.message(newsletter, uid: 2), now: Self.now)
            #expect(outcome.isNew)
            #expect(outcome.action == .none)
            #expect(outcome.record.leadEmail == nil)
            #expect(try await store.inboundLog(mailbox: "sales-priya", limit: 5) == [outcome.record])
            #expect(try await store.enrollments(for: try EmailAddress(Self.lead)).last?.isActive == true)
        }
    }

    @Test("assessing a message (inbound classify) reads the store and writes nothing")
    func assessWritesNothing() async throws {
        try await AppFixture.withStore { configuration, store in
            let intro = try await Self.leadWithIntro(configuration, store)
            let assessment = try await InboundProcessor(store: store, configuration: configuration)
                .assess(Self.reply(to: intro.messageID), now: Self.now)
            #expect(assessment.reading.classification == .reply)
            #expect(assessment.attribution?.rule == .messageID)
            #expect(assessment.attribution?.lead == (try EmailAddress(Self.lead)))
            #expect(assessment.decision.events == [.replied])
            #expect(try await store.inboundLog(mailbox: nil, limit: 5).isEmpty)
            #expect(try await store.enrollments(for: try EmailAddress(Self.lead)).last?.isActive == true)
        }
    }
}
