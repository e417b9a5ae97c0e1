import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import Testing

/// `unsuppress` undoes a wrong bounce through ``LeadService`` over a real SQLite store, and the scheduler resumes
/// the sequence at the step the bounce stopped: not step 1 again, nothing sent twice.
@Suite struct UnsuppressTests {
    /// Tuesday 2026-11-24 10:00 in New York.
    static let tuesdayMorning = Date.at("2026-11-24T15:00:00Z")

    @Test("a lead bounced at step 2 is unsuppressed: step 2 goes again (same Message-ID), then step 3; audited")
    func resumesWhereTheBounceStopped() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let address = try EmailAddress("wrongly@example.com")
        try await fixture.add("wrongly@example.com")
        await fixture.scheduler.pass()
        fixture.transport.script([.failed])  // 550 5.1.1 at RCPT TO: a recipient refusal
        await fixture.advance(by: .seconds(7 * 86_400 + 60))
        #expect(try await fixture.store.lead(address)?.hasBounced == true)
        #expect(fixture.transport.sent.count == 2)
        let service = LeadService(store: fixture.store, configuration: fixture.configuration)

        let change = try await service.unsuppress(address, by: "cli", at: fixture.clock.now())
        #expect(change.notes.first == "unsuppressed (by cli)")
        #expect(try await fixture.store.lead(address)?.hasBounced == false)
        #expect(try await !fixture.store.isSuppressed(fixture.configuration.addressKeying.suppressionKey(for: address)))
        #expect(
            try await fixture.store.enrollments(for: address).last?.isActive == true, "the bounced enrollment re-opened"
        )
        let audit = try await fixture.store.audit(for: address)
        #expect(audit.contains { $0.kind == "unsuppressed" && $0.detail.hasPrefix("cli unsuppressed") })
        #expect(audit.contains { $0.kind == "enrollment-resumed" && $0.detail.contains("step `guide`") })

        await fixture.scheduler.pass()
        let sent = fixture.transport.sent
        #expect(sent.count == 3)
        #expect(sent[2].messageID == sent[1].messageID, "the stopped send goes again with its Message-ID")
        #expect(sent[2].messageID != sent[0].messageID, "the welcome is not sent again")
        let rows = try await fixture.sends("wrongly@example.com")
        #expect(rows.map(\.step) == ["welcome", "guide", "case-study"])
        #expect(rows.map(\.state) == [.sent, .sent, .planned])
    }

    @Test("refused with the reason: not suppressed, unsubscribed (the lead's choice), no such lead")
    func refusals() async throws {
        let fixture = try SchedulerFixture(start: Self.tuesdayMorning)
        let service = LeadService(store: fixture.store, configuration: fixture.configuration)
        let now = fixture.clock.now()
        try await fixture.add("fine@example.com")
        await #expect(throws: UnsuppressError.self) {
            try await service.unsuppress(EmailAddress("fine@example.com"), by: "cli", at: now)
        }
        try await fixture.add("leaver@example.com")
        _ = try await service.apply(.unsubscribed, to: EmailAddress("leaver@example.com"), at: now)
        do {
            _ = try await service.unsuppress(EmailAddress("leaver@example.com"), by: "cli", at: now)
            Issue.record("an unsubscribed lead was unsuppressed")
        } catch {
            #expect("\(error)".contains("leaver@example.com unsubscribed"))
        }
        #expect(
            try await fixture.store.isSuppressed(
                fixture.configuration.addressKeying.suppressionKey(for: EmailAddress("leaver@example.com"))))
        do {
            _ = try await service.unsuppress(EmailAddress("nobody@example.com"), by: "cli", at: now)
            Issue.record("a missing lead was unsuppressed")
        } catch {
            #expect("\(error)".contains("no lead nobody@example.com"))
        }
    }
}
