import Foundation
import NurtureCore

/// The facts and policy of a send every rung of ``SendGate`` lets through, for the gate's table tests: a
/// marketing step of an active enrollment, due 2025-06-03T09:00Z (a Tuesday), checked at its due time, in a
/// window open 08:00–18:00 UTC every day, with no limits reached and no relay paused.
enum GateFixtures {
    static let due = Date(timeIntervalSince1970: 1_748_941_200)

    static func after(_ seconds: Int, _ date: Date = due) -> Date { date.addingTimeInterval(TimeInterval(seconds)) }

    static let address = try! EmailAddress("dana@example.com")

    static let window = SendWindow(
        days: Set(Weekday.allCases), start: TimeOfDay(hour: 8)!, end: TimeOfDay(hour: 18)!,
        timeZoneRule: .fixed("UTC"))

    static let marketing = EmailSequence(
        id: "nurture", name: "Nurture", track: .marketing,
        steps: [
            SequenceStep(id: "welcome", delay: .zero),
            SequenceStep(
                id: "company-only", delay: .seconds(86_400), condition: StepCondition(field: .company, test: .present)),
        ], window: window)

    static let sales = EmailSequence(
        id: "sales", name: "Sales", track: .sales, steps: [SequenceStep(id: "intro", delay: .zero)],
        window: SendWindow(
            days: Set(Weekday.allCases), start: TimeOfDay(hour: 8)!, end: TimeOfDay(hour: 18)!,
            timeZoneRule: .owner))

    static let priya = Salesperson(
        id: "priya", name: "Priya Shah", email: try! EmailAddress("priya@acme.example"), title: "AE",
        timeZone: "Europe/Berlin", dailyLimit: 5)

    static func policy(
        limits: SendLimits = SendLimits(perLeadMinimumGap: .seconds(86_400)),
        scheduling: SchedulingPolicy = SchedulingPolicy()
    ) -> SendPolicy {
        SendPolicy(
            sequences: [marketing, sales], salespeople: [priya],
            marketingSender: MarketingSender(name: "Acme", address: try! EmailAddress("news@acme.example")),
            limits: limits, defaultTimeZone: "UTC", scheduling: scheduling,
            unsubscribeBaseURL: "https://acme.example/u", unsubscribeKey: Array("test-key".utf8))
    }

    static func row(
        sequence: String = "nurture", step: String = "welcome", attempts: Int = 0, reasonKind: ReasonKind? = nil,
        messageID: String = "<abc.123@acme.example>", nextAttemptAt: Date = due
    ) -> PlannedSend {
        PlannedSend(
            id: 7, enrollmentID: 3, leadEmail: address, sequence: sequence, step: step, stepNumber: 1,
            track: sequence == "sales" ? .sales : .marketing, dueAt: due, nextAttemptAt: nextAttemptAt,
            state: .inFlight, attempts: attempts, messageID: messageID, reasonKind: reasonKind, createdAt: due,
            updatedAt: due)
    }

    static func facts(
        row: PlannedSend = row(), lead: Lead? = Lead(email: address, firstName: "Dana"),
        enrollment: EnrollmentRecord? = EnrollmentRecord(
            id: 3, leadEmail: address, sequence: "nurture", startedAt: due),
        suppressed: Bool = false, history: SendHistory = SendHistory()
    ) -> SendFacts {
        SendFacts(row: row, lead: lead, enrollment: enrollment, isSuppressed: suppressed, history: history)
    }

    static func pause(until: Date) -> RelayPause {
        RelayPause(relay: "relay:25", cause: "550 5.7.1 at MAIL FROM", since: after(-60), until: until, refusals: 1)
    }
}
