import Foundation
import NurtureCore
import Testing

/// Relay pauses and undoing a bounce.
extension StoreContract {
    func relayPauses(_ store: any SendStore) async throws {
        #expect(try await store.relayPauses().isEmpty)
        let first = RelayPause(
            relay: "b.example:587", cause: "550 at MAIL FROM", since: Self.t0, until: Self.at(30), refusals: 1)
        let other = RelayPause(
            relay: "a.example:25", cause: "535 at AUTH", since: Self.t0, until: Self.at(30), refusals: 1)
        try await store.saveRelayPause(first)
        try await store.saveRelayPause(other)
        var extended = first
        extended.until = Self.at(90)
        extended.refusals = 2
        try await store.saveRelayPause(extended)
        #expect(try await store.relayPauses() == [other, extended], "one row per relay, ordered by relay")
        try await store.clearRelayPause(relay: "a.example:25")
        try await store.clearRelayPause(relay: "never.example:25")
        #expect(try await store.relayPauses() == [extended])
    }

    func unsuppressReopensAndRevives(_ store: any SendStore) async throws {
        let (enrollment, send) = try await Self.plannedSend(store, "ann@example.com")
        let address = try Self.address("ann@example.com")
        // Suppressed under the legacy unkeyed hash; unsuppressing with the keyed key removes it too.
        let keying = AddressKeying(secret: Array("contract-pseudonym-secret-0123456789abcdef".utf8))
        let key = keying.suppressionKey(for: address)
        let legacy = Suppression.unkeyedHash(of: address)
        _ = try await store.claimDue(now: Self.t0, limit: 1)
        try await store.record(
            send.id, update: SendUpdate(state: .failed, attempted: true, code: 550, reply: "550 5.1.1 no such user"),
            log: Self.logLine(send, .failed, code: 550), next: nil, at: Self.at(1))
        var lead = try #require(try await store.lead(address))
        lead.hasBounced = true
        try await store.saveLead(lead, at: Self.at(1))
        try await store.suppress(SuppressionKey(written: legacy, accepted: [legacy]), reason: "bounced", at: Self.at(1))
        try await store.endEnrollment(enrollment.id, reason: .bounced, at: Self.at(1))
        #expect(try await store.suppressionReason(key) == "bounced")
        #expect(try await store.suppressionReason(keying.suppressionKey(for: Self.address("bob@example.com"))) == nil)

        lead.hasBounced = false
        let change = Unsuppression(
            lead: lead, suppressionKey: key, reopenEnrollment: enrollment.id, reviveSend: send.id, resumeAt: Self.at(5),
            detail: "cli unsuppressed ann@example.com",
            audit: [LeadAuditEntry(at: Self.at(5), leadEmail: address, kind: "unsuppressed", detail: "by cli")],
            notes: [])
        try await store.unsuppress(change, at: Self.at(5))
        #expect(try await store.lead(address)?.hasBounced == false)
        #expect(try await store.isSuppressed(key) == false)
        #expect(try await store.enrollment(enrollment.id)?.isActive == true)
        let revived = try #require(try await store.send(send.id))
        #expect(revived.state == .planned && revived.nextAttemptAt == Self.at(5) && revived.messageID == send.messageID)
        #expect(try await store.earliestWaiting() == Self.at(5))
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty, "the revived send is the enrollment's next")
        #expect(try await store.audit(for: address).last?.kind == "unsuppressed")
        #expect(try await store.log(SendLogFilter(leadEmail: address)).last?.state == .planned)
    }
}
