import Foundation
package import NurtureCore
import Testing

/// Incoming mail: processed-message records, mailbox cursors, attribution by Message-ID, and the out-of-office
/// pause of an enrollment (issue 14).
extension StoreContract {
    /// A processed message of `mailbox` (UIDVALIDITY 7) with `uid`, processed at `t0 + seconds`.
    package static func inboundRecord(
        _ uid: UInt32, mailbox: String = "sales", at seconds: Double = 0, kind: InboundKind = .reply,
        lead: EmailAddress? = nil, from: String? = "ann@example.com"
    ) -> InboundRecord {
        InboundRecord(
            mailbox: mailbox, uidValidity: 7, uid: uid, at: at(seconds), messageID: "reply-\(uid)@mail.example",
            from: from, subject: "Re: hello \(uid)", kind: kind, evidence: "no automatic-reply marker",
            rule: lead == nil ? nil : .messageID, leadEmail: lead, sendID: lead == nil ? nil : 1,
            action: lead == nil ? "nothing: unattributed" : "ended welcome (replied)")
    }

    func inboundRecordsReadBack(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let records = [
            Self.inboundRecord(3, at: 20, kind: .softBounce, lead: ann),
            Self.inboundRecord(1, at: 10, lead: ann),
            Self.inboundRecord(2, mailbox: "bounces", at: 30, kind: .softBounce, lead: ann),
            Self.inboundRecord(4, at: 40, kind: .unrelated, from: "news@shop.example"),
        ]
        for record in records { try await store.recordInbound(record) }
        #expect(try await store.inboundRecord(mailbox: "sales", uidValidity: 7, uid: 1) == records[1])
        #expect(try await store.inboundRecord(mailbox: "sales", uidValidity: 8, uid: 1) == nil, "another UIDVALIDITY")
        #expect(try await store.inboundRecord(mailbox: "bounces", uidValidity: 7, uid: 1) == nil, "another mailbox")
        #expect(try await store.inbound(for: ann) == [records[1], records[0], records[2]], "oldest first")
        #expect(try await store.inbound(for: try Self.address("ANN@example.com")).count == 3, "any case")
        #expect(try await store.inboundLog(mailbox: nil, limit: 10).map(\.uid) == [4, 2, 3, 1], "newest first")
        #expect(try await store.inboundLog(mailbox: "sales", limit: 2).map(\.uid) == [4, 3])
        #expect(try await store.inboundLog(mailbox: nil, limit: 0).isEmpty)
        #expect(try await store.inboundCount(ann, kind: .softBounce, since: Self.t0) == 2)
        #expect(try await store.inboundCount(ann, kind: .softBounce, since: Self.at(25)) == 1, "since is inclusive")
        #expect(try await store.inboundCount(ann, kind: .hardBounce, since: Self.t0) == 0)
    }

    func recordInboundTwiceIsConstraint(_ store: any SendStore) async throws {
        let first = Self.inboundRecord(9)
        try await store.recordInbound(first)
        var again = Self.inboundRecord(9, at: 60, kind: .optOut)
        again.action = "unsubscribed"
        let error = await #expect(throws: StoreError.self) { try await store.recordInbound(again) }
        #expect(error?.code == .constraint)
        #expect("\(error.map(String.init(describing:)) ?? "")".contains("already processed"))
        #expect(try await store.inboundRecord(mailbox: "sales", uidValidity: 7, uid: 9) == first, "unchanged")
        again.uidValidity = 8
        try await store.recordInbound(again)
        #expect(try await store.inboundLog(mailbox: "sales", limit: 10).count == 2, "a new UIDVALIDITY is new mail")
    }

    func leadChangeRecordsInboundOrNothing(_ store: any SendStore) async throws {
        let (enrollment, _) = try await Self.plannedSend(store, "ann@example.com", offset: 600)
        let ann = enrollment.leadEmail
        let key = Self.keying.suppressionKey(for: ann)
        let record = Self.inboundRecord(5, at: 60, lead: ann)
        let change = LeadChange(
            lead: Lead(email: ann), suppressionKey: key,
            steps: [
                .end(enrollment: enrollment.id, sequence: enrollment.sequence, reason: .replied), .inbound(record),
            ])
        let result = try await store.apply(change, at: Self.at(60))
        #expect(result.cancelled == [1])
        #expect(try await store.inbound(for: ann) == [record])
        // The same message again, with an unsubscribe: the whole change fails and writes nothing.
        let audit = try await store.audit(for: ann)
        let repeated = LeadChange(
            lead: Lead(email: ann, isUnsubscribed: true), suppressionKey: key,
            steps: [
                .audit(LeadAuditEntry(at: Self.at(70), leadEmail: ann, kind: "unsubscribed", detail: "opt-out")),
                .suppress(reason: "unsubscribed"), .inbound(record),
            ])
        let error = await #expect(throws: StoreError.self) { try await store.apply(repeated, at: Self.at(70)) }
        #expect(error?.code == .constraint)
        #expect(try await store.lead(ann)?.isUnsubscribed == false)
        #expect(try await store.isSuppressed(key) == false)
        #expect(try await store.audit(for: ann) == audit)
        #expect(try await store.inbound(for: ann) == [record])
    }

    func pauseSetsPausedUntil(_ store: any SendStore) async throws {
        let (enrollment, send) = try await Self.plannedSend(store, "ann@example.com", offset: 600)
        let ann = enrollment.leadEmail
        let key = Self.keying.suppressionKey(for: ann)
        func pause(until: Double, at: Double) -> LeadChange {
            LeadChange(
                lead: Lead(email: ann), suppressionKey: key,
                steps: [
                    .pause(enrollment: enrollment.id, until: Self.at(until)),
                    .inbound(
                        Self.inboundRecord(
                            UInt32(at), at: at, kind: .autoReply, lead: ann)),
                ])
        }
        _ = try await store.apply(pause(until: 86_400, at: 60), at: Self.at(60))
        #expect(try await store.enrollment(enrollment.id)?.pausedUntil == Self.at(86_400))
        let context = try await store.sendContext(lead: ann, enrollment: enrollment.id, suppressionKey: key)
        #expect(context.enrollment?.pausedUntil == Self.at(86_400), "the gate's facts carry the pause")
        #expect(try await store.sends(for: ann).map(\.state) == [.planned], "the waiting send stays waiting")
        #expect(try await store.earliestWaiting() == send.nextAttemptAt, "the daemon still wakes for it")
        _ = try await store.apply(pause(until: 3_600, at: 120), at: Self.at(120))
        #expect(try await store.enrollment(enrollment.id)?.pausedUntil == Self.at(3_600), "a later pause replaces")
        let paused = try await store.audit(for: ann).filter { $0.kind == "paused" }
        #expect(paused.count == 2)
        #expect(paused.last?.detail == "paused welcome until \(ScheduleTime.describe(Self.at(3_600))) (out of office)")
        // The gate holds the claimed send until the pause ends; the hold is what wakes the daemon then.
        _ = try await store.claimDue(now: Self.at(600), limit: 1)
        try await store.record(
            send.id,
            update: SendUpdate(state: .held, nextAttemptAt: Self.at(3_600), attempted: false, reason: "paused"),
            log: Self.logLine(send, .held, attempt: 0, at: 600, sender: nil), next: nil, at: Self.at(600))
        #expect(try await store.earliestWaiting() == Self.at(3_600))
        try await store.endEnrollment(enrollment.id, reason: .replied, at: Self.at(700))
        _ = try await store.apply(pause(until: 90_000, at: 800), at: Self.at(800))
        let ended = try await store.enrollment(enrollment.id)
        #expect(ended?.pausedUntil == Self.at(3_600), "a pause of an ended enrollment does nothing")
        #expect(try await store.audit(for: ann).filter { $0.kind == "paused" }.count == 2)
        #expect(try await store.inbound(for: ann).count == 3, "the message is still recorded")
        let ghost = LeadChange(
            lead: Lead(email: ann), suppressionKey: key, steps: [.pause(enrollment: 999_999, until: Self.at(1))])
        let error = await #expect(throws: StoreError.self) { try await store.apply(ghost, at: Self.at(900)) }
        #expect(error?.code == .notFound)
    }

    func mailboxCursors(_ store: any SendStore) async throws {
        #expect(try await store.mailboxCursors().isEmpty)
        let sales = MailboxCursor(mailbox: "sales", uidValidity: 7, lastUID: 40, checkedAt: Self.at(10))
        let bounces = MailboxCursor(
            mailbox: "bounces", uidValidity: UInt32.max, lastUID: UInt32.max, checkedAt: nil,
            lastError: "login refused", failingSince: Self.at(5), failures: 3)
        try await store.saveMailboxCursor(sales)
        try await store.saveMailboxCursor(bounces)
        #expect(try await store.mailboxCursors() == [bounces, sales], "ordered by mailbox; 32-bit numbers kept")
        let recovered = MailboxCursor(mailbox: "bounces", uidValidity: 9, lastUID: 2, checkedAt: Self.at(20))
        try await store.saveMailboxCursor(recovered)
        #expect(try await store.mailboxCursors() == [recovered, sales], "saving replaces the mailbox's cursor")
    }

    func sendsByMessageID(_ store: any SendStore) async throws {
        let (enrollment, first) = try await Self.plannedSend(store, "ann@example.com")
        let second = try await store.plan(Self.newSend(enrollment, step: "day-2", number: 2, offset: 60), at: Self.t0)
        let (_, other) = try await Self.plannedSend(store, "bob@example.com")
        let bare = { (send: PlannedSend) in String(send.messageID.dropFirst().dropLast()) }
        #expect(try await store.sends(messageIDs: [bare(first)]) == [first], "without angle brackets")
        #expect(try await store.sends(messageIDs: [second.messageID]) == [second], "with angle brackets")
        let found = try await store.sends(messageIDs: [bare(other), "nobody@nowhere.example", bare(first)])
        #expect(found.map(\.id).sorted() == [first.id, other.id].sorted())
        #expect(try await store.sends(messageIDs: []).isEmpty)
        #expect(try await store.sends(messageIDs: ["unknown@mail.example"]).isEmpty)
    }

    func eraseLeadErasesInbound(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        try await store.saveLead(Lead(email: ann), at: Self.t0)
        var attributed = Self.inboundRecord(1, lead: ann)
        attributed.evidence = "Final-Recipient: rfc822; ann@example.com"
        try await store.recordInbound(attributed)
        try await store.recordInbound(Self.inboundRecord(2, at: 5, kind: .unrelated, from: "Ann@Example.com"))
        try await store.recordInbound(Self.inboundRecord(3, at: 6, kind: .unrelated, from: "bob@example.com"))
        // Ann writing about Bob (a forwarded report, say): Bob's message, which keeps its attribution.
        let bob = try Self.address("bob@example.com")
        try await store.recordInbound(Self.inboundRecord(4, at: 7, kind: .complaint, lead: bob))
        let erasure = try #require(try await store.eraseLead(ann, keying: Self.keying, at: Self.at(10)))
        #expect(try await store.inbound(for: ann).isEmpty)
        let erased = try await store.inbound(for: erasure.pseudonym)
        #expect(erased.map(\.uid) == [1])
        #expect(erased.first?.from == nil && erased.first?.subject == nil)
        #expect(erased.first?.evidence.contains("ann@example.com") == false)
        let log = try await store.inboundLog(mailbox: nil, limit: 10)
        #expect(log.contains { "\($0)".lowercased().contains("ann@example.com") } == false)
        #expect(log.first { $0.uid == 2 }?.leadEmail == nil, "an unattributed message stays unattributed")
        #expect(log.first { $0.uid == 3 }?.from == "bob@example.com", "another sender's message is kept")
        #expect(log.first { $0.uid == 4 }?.leadEmail == bob, "a message from Ann tied to Bob stays Bob's")
        #expect(log.first { $0.uid == 4 }?.from == nil, "but Ann's address is not kept on it")
    }
}
