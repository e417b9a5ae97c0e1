import Foundation
import NurtureCore
import Testing

/// Unsubscribe tokens and erasure: what the HTTP interface relies on.
extension StoreContract {
    func unsubscribeTokens(_ store: any SendStore) async throws {
        let ann = try Self.address("Ann@Example.com")
        try await store.saveLead(Lead(email: ann, firstName: "Ann"), at: Self.t0)
        let enrollment = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        let token = String(repeating: "ab", count: 32)
        #expect(try await store.lead(unsubscribeToken: token) == nil, "a token never issued resolves to nothing")
        var send = Self.newSend(enrollment, step: "day-1")
        send.unsubscribeToken = token
        _ = try await store.plan(send, at: Self.t0)
        #expect(try await store.lead(unsubscribeToken: token)?.firstName == "Ann")
        #expect(try await store.lead(unsubscribeToken: String(repeating: "ab", count: 31) + "ac") == nil)
        // Planning the next step with the same token keeps one registration.
        var next = Self.newSend(enrollment, step: "day-2", number: 2, offset: 60)
        next.unsubscribeToken = token
        _ = try await store.plan(next, at: Self.at(1))
        #expect(try await store.lead(unsubscribeToken: token)?.email == ann)
    }

    func eraseLead(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        #expect(try await store.eraseLead(ann, keying: Self.keying, at: Self.t0) == nil, "nothing to erase")
        try await store.saveLead(Lead(email: ann, firstName: "Ann", company: "Globex"), at: Self.t0)
        try await store.appendAudit(
            LeadAuditEntry(at: Self.t0, leadEmail: ann, kind: "created", detail: "Ann of Globex"))
        let enrollment = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        var first = Self.newSend(enrollment, step: "day-1")
        first.unsubscribeToken = String(repeating: "cd", count: 32)
        let sent = try await store.plan(first, at: Self.t0)
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        var line = Self.logLine(sent, .sent, code: 250)
        line.reply = "250 2.1.5 <ann@example.com> ok"
        try await store.record(
            sent.id, update: SendUpdate(state: .sent, attempted: true, code: 250, reply: line.reply), log: line,
            next: Self.newSend(enrollment, step: "day-2", number: 2, offset: 60), at: Self.at(1))

        let erasure = try #require(try await store.eraseLead(ann, keying: Self.keying, at: Self.at(2)))
        #expect(erasure.endedSequence == "welcome")
        #expect(erasure.cancelledSends == 1)
        #expect(erasure.pseudonym == Self.keying.pseudonym(for: ann))
        let unkeyed = "erased-\(Suppression.unkeyedHash(of: ann).prefix(24))@erased.invalid"
        #expect(erasure.pseudonym.description != unkeyed, "not derived from SHA-256 of the address")
        #expect(erasure.pseudonym.domain == "erased.invalid")
        #expect(try await store.lead(ann) == nil)
        #expect(try await store.audit(for: ann).isEmpty)
        #expect(try await store.sends(for: ann).isEmpty)
        #expect(try await store.enrollments(for: ann).isEmpty)
        #expect(try await store.log(SendLogFilter(leadEmail: ann)).isEmpty)
        #expect(try await store.lead(unsubscribeToken: String(repeating: "cd", count: 32)) == nil)
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: ann)))
        #expect(try await !store.isSuppressed(Self.unkeyedOnly(ann)), "the erasure's entry is keyed")
        let kept = try await store.log(SendLogFilter(leadEmail: erasure.pseudonym))
        #expect(kept.map(\.state).contains(.sent), "the send log keeps its lines, under the pseudonym")
        #expect(kept.allSatisfy { $0.reply == nil || !$0.reply!.contains("ann@") }, "replies quoting the address go")
        #expect(try await store.sentCount(RateQuery(since: Self.t0)) == 1, "rate limits still count the send")
        let pseudonymous = try await store.sends(for: erasure.pseudonym)
        #expect(pseudonymous.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.cancelled, .sent])
        #expect(try await store.enrollments(for: erasure.pseudonym).first?.endReason == .erased)
        #expect(try await store.audit(for: erasure.pseudonym).map(\.kind) == ["erased"])
        #expect(try await store.earliestWaiting() == nil)
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty)
    }

    func eraseLeadInFlight(_ store: any SendStore) async throws {
        let (_, send) = try await Self.plannedSend(store, "bob@example.com")
        #expect(try await store.claimDue(now: Self.t0, limit: 1).map(\.id) == [send.id])
        let erasure = try #require(
            try await store.eraseLead(try Self.address("bob@example.com"), keying: Self.keying, at: Self.at(1)))
        #expect(erasure.sendsInFlight == 1)
        // The transfer ends after the erasure; its outcome is recorded with what the worker still holds.
        var line = Self.logLine(send, .sent, code: 250)
        line.reply = "250 2.1.5 <bob@example.com> ok"
        try await store.record(
            send.id, update: SendUpdate(state: .sent, attempted: true, code: 250), log: line, next: nil, at: Self.at(2))
        #expect(try await store.log(SendLogFilter(leadEmail: try Self.address("bob@example.com"))).isEmpty)
        let kept = try await store.log(SendLogFilter(leadEmail: erasure.pseudonym))
        #expect(kept.map(\.state) == [.sent])
        #expect(kept.first?.reply == nil, "a reply quoting the erased address is not kept")
    }

    /// The key an older version wrote and read: the unkeyed SHA-256 only.
    static func unkeyedOnly(_ email: EmailAddress) -> SuppressionKey {
        let hash = Suppression.unkeyedHash(of: email)
        return SuppressionKey(written: hash, accepted: [hash])
    }

    /// A suppression an older version wrote (unkeyed SHA-256) still stops mail once a pseudonym secret is set.
    func legacySuppressionsStillSuppress(_ store: any SendStore) async throws {
        let (enrollment, send) = try await Self.plannedSend(store, "ann@example.com")
        try await store.suppress(Self.unkeyedOnly(send.leadEmail), reason: "unsubscribed", at: Self.t0)
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: send.leadEmail)))
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: Self.address("ANN@Example.com"))))
        let context = try await store.sendContext(
            lead: send.leadEmail, enrollment: enrollment.id,
            suppressionKey: Self.keying.suppressionKey(for: send.leadEmail))
        #expect(context.isSuppressed, "the check before each send sees the legacy entry")
        #expect(try await !store.isSuppressed(Self.keying.suppressionKey(for: Self.address("bob@example.com"))))
    }

    /// A new suppression is written under the keyed hash: the stored value is not SHA-256 of the address.
    func newSuppressionsAreKeyed(_ store: any SendStore) async throws {
        let bob = try Self.address("bob@example.com")
        let key = Self.keying.suppressionKey(for: bob)
        #expect(key.written != Suppression.unkeyedHash(of: bob))
        #expect(key.accepted == [key.written, Suppression.unkeyedHash(of: bob)])
        try await store.suppress(key, reason: "bounced", at: Self.t0)
        #expect(try await store.isSuppressed(key))
        #expect(try await !store.isSuppressed(Self.unkeyedOnly(bob)), "nothing stored under SHA-256(address)")
        let other = AddressKeying(secret: Array("another-secret-of-at-least-32-bytes!!".utf8))
        #expect(
            try await !store.isSuppressed(
                SuppressionKey(
                    written: other.suppressionKey(for: bob).written, accepted: [other.suppressionKey(for: bob).written])
            ))
    }
}
