import Foundation
import NurtureApp
import NurtureCore
import Testing

/// The console's pure parts: the chart, the send-log filters, the funnel, the timeline, and which actions apply.
@Suite struct ConsoleViewTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000 + 1_800)  // half past an hour
    static let hour = Date(timeIntervalSince1970: 1_699_999_200)  // that hour's start

    @Test func theChartHasOneBarPartPerTrackAndStateWithCounts() {
        let counts = [
            HourlyCount(hour: Self.hour, track: .marketing, state: .sent, count: 30),
            HourlyCount(hour: Self.hour, track: .sales, state: .failed, count: 10),
            HourlyCount(hour: Self.hour.addingTimeInterval(-3_600), track: .marketing, state: .sent, count: 20),
            HourlyCount(hour: Self.hour.addingTimeInterval(-8 * 86_400), track: .marketing, state: .sent, count: 99),
        ]
        let svg = ConsoleChart.svg(counts, now: Self.now)
        #expect(svg.hasPrefix("<svg id=\"chart\""))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 3, "the hour outside the 7 days is not drawn")
        #expect(svg.contains("class=\"s-sales-failed\""))
        #expect(svg.contains("marketing sent: 30</title>"))
        #expect(svg.contains("60 in all, at most 40 in one hour"), "the title sums the range: \(svg.prefix(300))")
        // The tallest hour fills the height: 30 + 10 of 40 → 90 + 30 units of 120.
        #expect(svg.contains("x=\"668\" y=\"30\" width=\"3\" height=\"90\""))
        #expect(svg.contains("height=\"30\""))
    }

    @Test func anEmptyChartSaysSo() {
        let svg = ConsoleChart.svg([], now: Self.now)
        #expect(!svg.contains("<rect"))
        #expect(svg.contains("0 in all"))
    }

    @Test func theHoursEndWithTheCurrentOne() {
        let hours = ConsoleChart.hours(endingAt: Self.now, hours: 3)
        #expect(hours == [Self.hour.addingTimeInterval(-7_200), Self.hour.addingTimeInterval(-3_600), Self.hour])
    }

    @Test(arguments: [
        (["lead": " Ann "], nil as String?),
        (["state": "sent", "track": "sales"], nil),
        (["state": "lost"], "state: `lost` is not a state"),
        (["track": "radio"], "track: `radio` is not a track"),
        (["from": "2026-02-30"], "from: `2026-02-30` is not a date"),
        (["to": "31/01/2026"], "to: `31/01/2026` is not a date"),
        (["after": "-4"], "after: `-4` is not a send id"),
        (["from": "2026-01-05", "after": "4"], "after_due: `` is not the due time of a page's last send"),
        (["to": "2026-01-05", "after": "4", "after_due": "soon"], "after_due: `soon` is not the due time"),
        (["from": "2026-01-05", "after": "4", "after_due": "1767571200000"], nil),
        (["after": "4", "after_due": "soon"], nil),
    ])
    func filtersAreReadOrNamed(parameters: [String: String], problem: String?) {
        let filter = ConsoleSendFilter(parameters)
        if let problem {
            #expect(filter.problems.count == 1)
            #expect(filter.problems.first?.hasPrefix(problem) == true, "\(filter.problems)")
        } else {
            #expect(filter.problems.isEmpty)
        }
    }

    @Test func filtersBecomeAQuery() throws {
        let filter = ConsoleSendFilter([
            "lead": "Ann", "sequence": "welcome", "step": "day-1", "state": "held", "track": "marketing",
            "sender": "news@acme.example", "from": "2026-01-05", "to": "2026-01-05", "after": "77",
            "after_due": "1767571200000", "unknown": "x",
        ])
        #expect(filter.query.leadPrefix == "Ann")
        #expect(filter.query.state == .held)
        #expect(filter.query.track == .marketing)
        #expect(filter.query.from == ConsoleSendFilter.day("2026-01-05"))
        #expect(filter.query.to == ConsoleSendFilter.day("2026-01-06"), "the `to` day is included")
        #expect(filter.query.after == 77)
        #expect(filter.query.ordersByDue, "a date range pages by due time")
        #expect(filter.query.afterDue == Date(timeIntervalSince1970: 1_767_571_200))
        #expect(filter.query.limit == 50)
        #expect(
            filter.queryString(after: 12, due: Date(timeIntervalSince1970: 1_767_571_200.5))
                == "lead=Ann&sequence=welcome&step=day-1&state=held&track=marketing&sender=news%40acme.example"
                + "&from=2026-01-05&to=2026-01-05&after=12&after_due=1767571200500")
        #expect(ConsoleSendFilter(["lead": "a&b=c"]).queryString(after: nil) == "lead=a%26b%3Dc")
        #expect(
            ConsoleSendFilter(["state": "held"]).queryString(after: 9, due: Date()) == "state=held&after=9",
            "without dates the id alone is the cursor")
    }

    @Test func theFunnelCountsEachStepInConfiguredOrder() {
        let counts = [
            FunnelCount(step: "day-3", stepNumber: 2, state: .sent, reasonKind: nil, count: 4),
            FunnelCount(step: "day-1", stepNumber: 1, state: .sent, reasonKind: nil, count: 9),
            FunnelCount(step: "day-1", stepNumber: 1, state: .held, reasonKind: .rateLimit, count: 2),
            FunnelCount(step: "day-1", stepNumber: 1, state: .held, reasonKind: nil, count: 1),
            FunnelCount(step: "day-1", stepNumber: 1, state: .skipped, reasonKind: .tooLate, count: 1),
            FunnelCount(step: "old", stepNumber: 3, state: .cancelled, reasonKind: .stepRemoved, count: 5),
        ]
        let funnel = ConsoleFunnel(
            sequence: "welcome", configuredSteps: ["day-1", "day-3", "day-7"], counts: counts, replies: ["day-1": 3])
        #expect(funnel.steps.map(\.id) == ["day-1", "day-3", "day-7", "old"])
        let first = funnel.steps[0]
        #expect(first.planned == 13)
        #expect(first.sent == 9)
        #expect(first.held == ["rate_limit": 2, "unclassified": 1])
        #expect(first.skipped == 1)
        #expect(first.replied == 3)
        #expect(funnel.steps[2].planned == 0)
        #expect(!funnel.steps[3].configured)
        #expect(funnel.steps[3].cancelled == 5)
    }

    @Test func theTimelineIsNewestFirst() throws {
        let email = try EmailAddress("ann@example.com")
        let t = { (seconds: Double) in Date(timeIntervalSince1970: 1_700_000_000 + seconds) }
        let enrollment = EnrollmentRecord(
            id: 1, leadEmail: email, sequence: "welcome", startedAt: t(0), endedAt: t(300), endReason: .replied)
        let send = PlannedSend(
            id: 9, enrollmentID: 1, leadEmail: email, sequence: "welcome", step: "day-1", stepNumber: 1,
            track: .marketing, dueAt: t(10), nextAttemptAt: t(10), state: .sent, attempts: 1, messageID: "<m@x>",
            createdAt: t(0), updatedAt: t(100))
        let reply = InboundRecord(
            mailbox: "sales", uidValidity: 1, uid: 2, at: t(200), subject: "Re: hi", kind: .reply, evidence: "",
            sendID: 9, action: "ended the enrollment")
        let audit = LeadAuditEntry(at: t(50), leadEmail: email, kind: "stage-changed", detail: "lead → customer")
        let events = ConsoleTimeline.events(enrollments: [enrollment], sends: [send], inbound: [reply], audit: [audit])
        #expect(events.map(\.kind) == ["ended", "inbound", "send", "stage-changed", "enrolled"])
        #expect(events[1].sendID == 9)
        #expect(events[0].text == "enrollment in welcome ended (replied)")
    }

    @Test func actionsApplyOnlyWhereTheyMakeSense() throws {
        let email = try EmailAddress("ann@example.com")
        let now = Self.now
        var send = PlannedSend(
            id: 1, enrollmentID: 1, leadEmail: email, sequence: "s", step: "a", stepNumber: 1, track: .sales,
            dueAt: now, nextAttemptAt: now, state: .unknown, attempts: 1, messageID: "<m@x>", createdAt: now,
            updatedAt: now)
        #expect(ConsoleActions.applies(.resend, to: send))
        #expect(ConsoleActions.applies(.abandon, to: send))
        for state in SendState.allCases where state != .unknown {
            send.state = state
            #expect(!ConsoleActions.applies(.resend, to: send), "\(state)")
        }
        var enrollment = EnrollmentRecord(id: 1, leadEmail: email, sequence: "s", startedAt: now)
        #expect(!ConsoleActions.applies(.resume, to: enrollment, now: now))
        #expect(ConsoleActions.applies(.end, to: enrollment, now: now))
        enrollment.pausedUntil = now.addingTimeInterval(60)
        #expect(ConsoleActions.applies(.resume, to: enrollment, now: now))
        enrollment.pausedUntil = now.addingTimeInterval(-60)
        #expect(!ConsoleActions.applies(.resume, to: enrollment, now: now), "a pause that is over")
        enrollment.endedAt = now
        #expect(!ConsoleActions.applies(.end, to: enrollment, now: now))
    }
}
