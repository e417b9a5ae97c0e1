import Foundation
import NurtureCore
import Testing

/// The operator console's queries (``ConsoleQueries``), checked against every store that serves the console.
extension StoreContract {
    /// One documented behaviour of ``ConsoleQueries``.
    package enum ConsoleBehaviour: String, CaseIterable, Sendable {
        case sendPageNewestFirstAndKeyset, sendPageFilters, sendPageLeadPrefixIgnoresCase, sendLogAndInboundOfOneSend
        case funnelCountsByStepStateAndReason, missedRowsOfAStep, hourlyAttemptsByTrackAndState
        case resolveUnknownOnlyWhileUnknown, sendPageByDueForADateRange, countsFollowEveryWrite
        case enrollmentsEndedBeforeAStep
    }

    /// Runs `behaviour` against a new store, which must implement ``ConsoleQueries``.
    package func checkConsole(_ behaviour: ConsoleBehaviour) async throws {
        let store = try await makeStore()
        do {
            let queries = try #require(store as? any ConsoleQueries, "the store serves the console")
            try await runConsole(behaviour, store, queries)
        } catch {
            await releaseStore(store)
            throw error
        }
        await releaseStore(store)
    }

    private func runConsole(
        _ behaviour: ConsoleBehaviour, _ store: any SendStore, _ queries: any ConsoleQueries
    ) async throws {
        switch behaviour {
        case .sendPageNewestFirstAndKeyset: try await sendPageNewestFirstAndKeyset(store, queries)
        case .sendPageFilters: try await sendPageFilters(store, queries)
        case .sendPageLeadPrefixIgnoresCase: try await sendPageLeadPrefixIgnoresCase(store, queries)
        case .sendLogAndInboundOfOneSend: try await sendLogAndInboundOfOneSend(store, queries)
        case .funnelCountsByStepStateAndReason: try await funnelCountsByStepStateAndReason(store, queries)
        case .missedRowsOfAStep: try await missedRowsOfAStep(store, queries)
        case .hourlyAttemptsByTrackAndState: try await hourlyAttemptsByTrackAndState(store, queries)
        case .resolveUnknownOnlyWhileUnknown: try await resolveUnknownOnlyWhileUnknown(store, queries)
        case .sendPageByDueForADateRange: try await sendPageByDueForADateRange(store, queries)
        case .countsFollowEveryWrite: try await countsFollowEveryWrite(store, queries)
        case .enrollmentsEndedBeforeAStep: try await enrollmentsEndedBeforeAStep(store, queries)
        }
    }

    private func sendPageNewestFirstAndKeyset(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        var ids: [Int64] = []
        for index in 0..<5 { ids.append(try await Self.plannedSend(store, "lead\(index)@example.com").1.id) }
        let first = try await queries.sendPage(SendQuery(limit: 2))
        #expect(first.map(\.send.id) == [ids[4], ids[3]], "newest first, cut at the limit")
        let second = try await queries.sendPage(SendQuery(after: first.last?.send.id, limit: 2))
        #expect(second.map(\.send.id) == [ids[2], ids[1]], "the next page starts below the last id")
        let last = try await queries.sendPage(SendQuery(after: ids[1], limit: 2))
        #expect(last.map(\.send.id) == [ids[0]])
        #expect(try await queries.sendPage(SendQuery(limit: 0)).isEmpty)
    }

    private func sendPageFilters(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", sequence: "welcome", step: "day-1")
        let (_, bob) = try await Self.plannedSend(
            store, "bob@example.com", sequence: "webinar", step: "invite", offset: 86_400)
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com", sequence: "welcome", step: "day-3")
        try await attempt(store, ann, .sent, at: 10, sender: "news@acme.example")
        try await attempt(store, bob, .deferred, at: 20, sender: "sam@acme.example")
        func ids(_ query: SendQuery) async throws -> [Int64] { try await queries.sendPage(query).map(\.send.id) }
        #expect(try await ids(SendQuery(sequence: "welcome")) == [cid.id, ann.id])
        #expect(try await ids(SendQuery(sequence: "welcome", step: "day-1")) == [ann.id])
        #expect(try await ids(SendQuery(state: .sent)) == [ann.id])
        #expect(try await ids(SendQuery(state: .inFlight)) == [cid.id], "claimed by the first attempt's claim")
        #expect(try await ids(SendQuery(track: .marketing)).count == 3)
        #expect(try await ids(SendQuery(track: .sales)).isEmpty)
        #expect(try await ids(SendQuery(sender: "sam@acme.example")) == [bob.id])
        #expect(try await ids(SendQuery(from: Self.at(3_600))) == [bob.id], "due on the next day")
        #expect(try await ids(SendQuery(to: Self.at(3_600))) == [cid.id, ann.id])
        let page = try await queries.sendPage(SendQuery(sequence: "welcome", step: "day-1"))
        #expect(page.first?.sender == "news@acme.example", "the From address of the latest attempt")
        #expect(try await queries.sendPage(SendQuery(step: "day-3")).first?.sender == nil)
    }

    private func sendPageLeadPrefixIgnoresCase(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "Ann.Lee@example.com")
        let (_, anna) = try await Self.plannedSend(store, "anna@example.com")
        _ = try await Self.plannedSend(store, "bob@example.com")
        _ = try await Self.plannedSend(store, "zann@example.com")
        func ids(_ prefix: String) async throws -> [Int64] {
            try await queries.sendPage(SendQuery(leadPrefix: prefix)).map(\.send.id)
        }
        #expect(try await ids("ann") == [anna.id, ann.id])
        #expect(try await ids("ANN.") == [ann.id])
        #expect(try await ids("ann.lee@example.com") == [ann.id])
        #expect(try await ids("b%").isEmpty, "a LIKE wildcard is a plain character")
        #expect(try await ids("c").isEmpty)
    }

    private func sendLogAndInboundOfOneSend(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        try await attempt(store, ann, .deferred, at: 10)
        try await attempt(store, bob, .sent, at: 15)
        try await attempt(store, ann, .sent, at: 20, attempt: 2)
        let log = try await queries.sendLog(send: ann.id)
        #expect(log.map(\.state) == [.deferred, .sent])
        #expect(log.map(\.attempt) == [1, 2])
        let reply = InboundRecord(
            mailbox: "sales", uidValidity: 1, uid: 7, at: Self.at(30), messageID: "<r1@example.com>",
            from: "ann@example.com", subject: "Re: hello", kind: .reply, evidence: "In-Reply-To", rule: .messageID,
            leadEmail: ann.leadEmail, sendID: ann.id, action: "ended the enrollment")
        try await store.recordInbound(reply)
        #expect(try await queries.inbound(send: ann.id).map(\.uid) == [7])
        #expect(try await queries.inbound(send: bob.id).isEmpty)
        #expect(try await queries.replies(sequence: "welcome") == ["day-1": 1])
    }

    private func funnelCountsByStepStateAndReason(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", step: "day-1")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com", step: "day-1")
        _ = try await Self.plannedSend(store, "cid@example.com", step: "day-1")
        _ = try await Self.plannedSend(store, "dan@example.com", sequence: "other", step: "day-1")
        try await attempt(store, ann, .sent, at: 10)
        try await holdOnARateLimit(store, bob)
        let counts = try await queries.funnel(sequence: "welcome")
        let byState = Dictionary(counts.map { ($0.state, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(counts.allSatisfy { $0.step == "day-1" && $0.stepNumber == 1 })
        #expect(byState[.sent]?.count == 1)
        #expect(byState[.inFlight]?.count == 1)
        #expect(byState[.held]?.count == 1)
        #expect(byState[.held]?.reasonKind == .rateLimit)
        #expect(counts.map(\.count).reduce(0, +) == 3, "the other sequence is not counted")
    }

    private func missedRowsOfAStep(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", step: "day-1")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com", step: "day-1")
        let (cidEnrollment, _) = try await Self.plannedSend(store, "cid@example.com", step: "day-1", offset: 86_400)
        try await attempt(store, ann, .sent, at: 10)
        try await attempt(store, bob, .failed, at: 10)
        try await store.endEnrollment(cidEnrollment.id, reason: .replied, at: Self.at(20))
        let missed = try await queries.missed(sequence: "welcome", step: "day-1", limit: 10)
        #expect(missed.map(\.leadEmail.description).sorted() == ["bob@example.com", "cid@example.com"])
        #expect(Set(missed.map(\.state)) == [.failed, .cancelled])
        #expect(try await queries.missed(sequence: "welcome", step: "day-1", limit: 1).count == 1)
        #expect(try await queries.missed(sequence: "welcome", step: "day-2", limit: 10).isEmpty)
    }

    private func hourlyAttemptsByTrackAndState(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com")
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com")
        try await attempt(store, ann, .deferred, at: 10)
        try await attempt(store, ann, .sent, at: 20, attempt: 2)
        try await attempt(store, bob, .sent, at: 30)
        try await attempt(store, cid, .sent, at: 7_300, sender: "sam@acme.example")
        // A line without a From address (an outcome found at start-up) counts under its send's track; `dan` was
        // claimed by the first attempt's claim.
        try await store.record(
            dan.id, update: SendUpdate(state: .unknown, attempted: true),
            log: Self.logLine(dan, .unknown, attempt: 1, at: 40, sender: nil), next: nil, at: Self.at(40))
        let marketing = "news@acme.example"
        let hours = try await queries.hourlyAttempts(since: Self.t0, marketingSender: marketing)
        let hour0 = Date(timeIntervalSince1970: (Self.t0.timeIntervalSince1970 / 3_600).rounded(.down) * 3_600)
        #expect(hours.contains(HourlyCount(hour: hour0, track: .marketing, state: .sent, count: 2)))
        #expect(hours.contains(HourlyCount(hour: hour0, track: .marketing, state: .deferred, count: 1)))
        #expect(hours.contains(HourlyCount(hour: hour0, track: .marketing, state: .unknown, count: 1)))
        #expect(hours.map(\.count).reduce(0, +) == 5)
        let later = try await queries.hourlyAttempts(since: Self.at(7_000), marketingSender: marketing)
        #expect(later.map(\.track) == [.sales], "another From address is a salesperson's")
        #expect(later.map(\.count) == [1])
    }

    private func resolveUnknownOnlyWhileUnknown(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com")
        try await attempt(store, ann, .unknown, at: 10)
        try await attempt(store, bob, .unknown, at: 10)
        let resend = SendUpdate(state: .planned, nextAttemptAt: Self.at(100), attempted: false, reason: "resend asked")
        let line = Self.logLine(ann, .planned, attempt: 0, at: 20, sender: nil)
        #expect(try await queries.resolveUnknown(ann.id, update: resend, log: line, at: Self.at(20)))
        let resent = try #require(try await store.send(ann.id))
        #expect(resent.state == .planned)
        #expect(resent.nextAttemptAt == Self.at(100))
        #expect(resent.attempts == 1, "the attempt made stays counted")
        #expect(resent.messageID == ann.messageID)
        #expect(try await queries.sendLog(send: ann.id).map(\.state) == [.unknown, .planned])
        #expect(
            try await !queries.resolveUnknown(ann.id, update: resend, log: line, at: Self.at(30)),
            "no longer unknown: nothing is written")
        #expect(try await queries.sendLog(send: ann.id).count == 2)
        let abandon = SendUpdate(state: .failed, attempted: false, reason: "abandoned", reasonKind: .outcomeUnknown)
        #expect(
            try await queries.resolveUnknown(
                bob.id, update: abandon, log: Self.logLine(bob, .failed, attempt: 0, at: 20, sender: nil),
                at: Self.at(20)))
        let abandoned = try #require(try await store.send(bob.id))
        #expect(abandoned.state == .failed)
        #expect(abandoned.reason == "abandoned")
        #expect(abandoned.reasonKind == .outcomeUnknown)
    }

    /// With a date range the page is ordered by due time (latest first), then id, and the cursor is both: rows due
    /// at the same instant are split across pages without one lost or repeated.
    private func sendPageByDueForADateRange(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", offset: 10_800)
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com", offset: 3_600)
        let (_, cid) = try await Self.plannedSend(store, "cid@example.com", offset: 10_800)
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com", offset: 7_200)
        _ = try await Self.plannedSend(store, "eve@example.com", offset: 90_000)
        let range = SendQuery(from: Self.at(-60), to: Self.at(86_400), limit: 2)
        #expect(range.ordersByDue)
        let first = try await queries.sendPage(range)
        #expect(first.map(\.send.id) == [cid.id, ann.id], "latest due first; the same due time by id")
        var next = range
        (next.after, next.afterDue) = (first.last?.send.id, first.last?.send.dueAt)
        let second = try await queries.sendPage(next)
        #expect(second.map(\.send.id) == [dan.id, bob.id])
        (next.after, next.afterDue) = (bob.id, bob.dueAt)
        #expect(try await queries.sendPage(next).isEmpty, "eve is due after the range")
        (next.after, next.afterDue) = (cid.id, cid.dueAt)
        #expect(try await queries.sendPage(next).first?.send.id == ann.id, "a cursor inside one due time")
    }

    /// The counts by state (``SendStore/stateCounts()``) and the funnels are kept as rows are written, not counted
    /// from the ledger: after plans, claims, outcomes, holds, cancellations and an operator's resolution they equal
    /// the ledger grouped by hand, before and after a shared store folds its changes.
    private func countsFollowEveryWrite(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (_, ann) = try await Self.plannedSend(store, "ann@example.com", step: "day-1")
        let (_, bob) = try await Self.plannedSend(store, "bob@example.com", step: "day-1")
        let (cidEnrollment, _) = try await Self.plannedSend(store, "cid@example.com", step: "day-2", offset: 86_400)
        let (_, dan) = try await Self.plannedSend(store, "dan@example.com", sequence: "other", step: "intro")
        try await expectCountsMatchTheLedger(store, queries, "after planning")
        try await attempt(store, ann, .sent, at: 10)
        try await attempt(store, bob, .unknown, at: 10)
        try await holdOnARateLimit(store, dan)
        try await store.endEnrollment(cidEnrollment.id, reason: .replied, at: Self.at(20))
        try await expectCountsMatchTheLedger(store, queries, "after outcomes, a hold and a cancellation")
        if let cluster = store as? any ClusterStore {
            try await cluster.foldCounts()
            try await expectCountsMatchTheLedger(store, queries, "after a fold")
        }
        let abandon = SendUpdate(state: .failed, attempted: false, reason: "abandoned", reasonKind: .outcomeUnknown)
        #expect(
            try await queries.resolveUnknown(
                bob.id, update: abandon, log: Self.logLine(bob, .failed, attempt: 0, at: 30, sender: nil),
                at: Self.at(30)))
        try await expectCountsMatchTheLedger(store, queries, "after an operator's resolution")
        if let cluster = store as? any ClusterStore {
            try await cluster.foldCounts()
            try await cluster.foldCounts()
            try await expectCountsMatchTheLedger(store, queries, "after two folds in a row")
        }
        #expect(try await store.stateCounts() == [.sent: 1, .failed: 1, .held: 1, .cancelled: 1])
    }

    /// Every ledger row (read through the send log) grouped by state, and by sequence, step, state and reason kind,
    /// against ``SendStore/stateCounts()`` and ``ConsoleQueries/funnel(sequence:)``.
    private func expectCountsMatchTheLedger(
        _ store: any SendStore, _ queries: any ConsoleQueries, _ when: Comment
    ) async throws {
        let rows = try await queries.sendPage(SendQuery(limit: 1_000)).map(\.send)
        #expect(!rows.isEmpty)
        let byState = Dictionary(grouping: rows, by: \.state).mapValues(\.count)
        #expect(try await store.stateCounts() == byState, when)
        for sequence in Set(rows.map(\.sequence)) {
            let expected = Dictionary(
                grouping: rows.filter { $0.sequence == sequence },
                by: {
                    FunnelCount(
                        step: $0.step, stepNumber: $0.stepNumber, state: $0.state, reasonKind: $0.reasonKind, count: 0)
                }
            ).map { key, rows in
                var count = key
                count.count = rows.count
                return count
            }
            #expect(Set(try await queries.funnel(sequence: sequence)) == Set(expected), when)
        }
    }

    /// Who did not get a step because their enrollment ended before it was planned: the most recently ended
    /// enrollments of the sequence, newest first, each with the highest step number planned for it.
    private func enrollmentsEndedBeforeAStep(_ store: any SendStore, _ queries: any ConsoleQueries) async throws {
        let (ann, annSend) = try await Self.plannedSend(store, "ann@example.com", step: "day-1")
        try await attempt(store, annSend, .sent, at: 10)
        _ = try await store.endEnrollment(ann.id, reason: .replied, at: Self.at(20))
        _ = try await Self.plannedSend(store, "bob@example.com", step: "day-1")
        let cidAddress = try Self.address("cid@example.com")
        try await store.saveLead(Lead(email: cidAddress), at: Self.t0)
        let cid = try await store.enroll(cidAddress, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
        _ = try await store.endEnrollment(cid.id, reason: .unsubscribed, at: Self.at(30))
        let (dan, _) = try await Self.plannedSend(store, "dan@example.com", sequence: "other", step: "intro")
        _ = try await store.endEnrollment(dan.id, reason: .replied, at: Self.at(40))
        let ended = try await queries.endedEnrollments(sequence: "welcome", limit: 10)
        #expect(
            ended.map(\.enrollment.leadEmail.description) == ["cid@example.com", "ann@example.com"], "newest first")
        #expect(ended.map(\.plannedThrough) == [0, 1], "cid left before any step; ann after step 1")
        #expect(ended.map(\.enrollment.endReason) == [.unsubscribed, .replied])
        #expect(try await queries.endedEnrollments(sequence: "welcome", limit: 1).count == 1)
        #expect(try await queries.endedEnrollments(sequence: "none", limit: 10).isEmpty)
    }

    /// Records `send` held on a daily rate limit at t0 + 10 s, until an hour later.
    private func holdOnARateLimit(_ store: any SendStore, _ send: PlannedSend) async throws {
        try await store.record(
            send.id,
            update: SendUpdate(
                state: .held, nextAttemptAt: Self.at(3_600), attempted: false, reason: "rate limit: 10 per day",
                reasonKind: .rateLimit),
            log: Self.logLine(send, .held, attempt: 0, at: 10, sender: nil), next: nil, at: Self.at(10))
    }
}
