import Foundation
import NurtureCore
import Testing

@Suite("Mailbox backoff")
struct MailboxBackoffTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func cursor(failures: Int, error: String? = nil, since: Date? = nil) -> MailboxCursor {
        MailboxCursor(
            mailbox: "sales", uidValidity: 7, lastUID: 42, checkedAt: start, lastError: error, failingSince: since,
            failures: failures)
    }

    @Test(
        "a healthy mailbox waits the poll interval; a failing one doubles it per failure, up to 15 minutes",
        arguments: [
            (0, 60, 60), (1, 60, 60), (2, 60, 120), (3, 60, 240), (4, 60, 480), (5, 60, 900), (6, 60, 900),
            (40, 60, 900), (Int.max, 60, 900), (0, 5, 5), (3, 5, 20), (1, 1_800, 1_800), (4, 1_800, 1_800),
        ])
    func waits(failures: Int, interval: Int64, expected: Int64) {
        let wait = MailboxBackoff.wait(
            after: Self.cursor(failures: failures, error: failures > 0 ? "down" : nil), pollInterval: .seconds(interval)
        )
        #expect(wait == .seconds(expected))
    }

    @Test("a failure keeps the position, counts the run and keeps when it began")
    func failure() {
        let first = MailboxBackoff.failed(Self.cursor(failures: 0), problem: "unreachable: refused", at: Self.start)
        #expect(first.lastError == "unreachable: refused")
        #expect(first.failures == 1)
        #expect(first.failingSince == Self.start)
        #expect(first.lastUID == 42 && first.uidValidity == 7)
        #expect(first.checkedAt == Self.start)
        let later = Self.start.addingTimeInterval(120)
        let second = MailboxBackoff.failed(first, problem: "unreachable: timeout", at: later)
        #expect(second.failures == 2)
        #expect(second.failingSince == Self.start)
        #expect(second.lastError == "unreachable: timeout")
    }

    @Test("a successful poll clears the failure and notes when it checked")
    func success() {
        let later = Self.start.addingTimeInterval(600)
        let healthy = MailboxBackoff.succeeded(
            Self.cursor(failures: 4, error: "down", since: Self.start), at: later)
        #expect(healthy.lastError == nil)
        #expect(healthy.failingSince == nil)
        #expect(healthy.failures == 0)
        #expect(healthy.checkedAt == later)
        #expect(healthy.lastUID == 42)
    }

    /// (before's error, after's error, the report expected: "failing", "recovered" or nil).
    @Test(
        "one line when a mailbox starts failing, when its problem changes and when it recovers; none for repeats",
        arguments: [
            (nil, nil, nil), (nil, "down", "failing"), ("down", "down", nil), ("down", "login refused", "failing"),
            ("down", nil, "recovered"),
        ] as [(String?, String?, String?)])
    func reports(before: String?, after: String?, expected: String?) {
        let was = Self.cursor(failures: before == nil ? 0 : 3, error: before, since: before == nil ? nil : Self.start)
        let now = Self.cursor(failures: after == nil ? 0 : 4, error: after, since: after == nil ? nil : Self.start)
        let report = MailboxBackoff.report(before: was, after: now)
        switch (report, expected) {
        case (nil, nil): break
        case (.failing(let problem, let failures)?, "failing"):
            #expect(problem == after)
            #expect(failures == 4)
        case (.recovered(let failures, let since)?, "recovered"):
            #expect(failures == 3)
            #expect(since == Self.start)
        default: Issue.record("expected \(expected ?? "no line"), got \(report.map { "\($0)" } ?? "none")")
        }
    }

    @Test("the first poll of a new mailbox logs only a failure")
    func firstPoll() {
        #expect(MailboxBackoff.report(before: nil, after: Self.cursor(failures: 0)) == nil)
        #expect(
            MailboxBackoff.report(before: nil, after: Self.cursor(failures: 1, error: "down"))
                == .failing(problem: "down", failures: 1))
    }

    @Test("the lines name the problem and say sending goes on")
    func wording() {
        let failing = MailboxBackoff.Report.failing(problem: "authentication: login refused", failures: 1)
        #expect(failing.description.contains("authentication: login refused (first failure)"))
        #expect(failing.description.contains("sending goes on"))
        let recovered = MailboxBackoff.Report.recovered(failures: 5, since: Self.start)
        #expect(recovered.description.hasPrefix("the mailbox is read again after 5 failed poll(s) since "))
    }
}

@Suite("Inbound action label")
struct InboundActionTests {
    @Test(
        "the label is the strongest event, else the pause, else none",
        arguments: [
            ([LeadEvent.bounced], false, InboundAction.bounced), ([.unsubscribed], false, .unsubscribed),
            ([.replied], false, .replied), ([.replied, .unsubscribed], false, .unsubscribed),
            ([.unsubscribed, .bounced], false, .bounced), ([], true, .paused), ([.replied], true, .replied),
            ([], false, InboundAction.none),
        ] as [([LeadEvent], Bool, InboundAction)])
    func label(events: [LeadEvent], paused: Bool, expected: InboundAction) {
        let decision = InboundDecision(
            events: events, pauseUntil: paused ? Date(timeIntervalSince1970: 1_800_000_000) : nil, action: "words")
        #expect(InboundAction(decision) == expected)
    }
}
