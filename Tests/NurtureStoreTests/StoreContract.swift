import Foundation
import NurtureCore
import Testing

/// The behaviour every ``SendStore`` must show, written once and run against each implementation.
///
/// A suite for an implementation runs every ``Behaviour`` with a factory for empty stores:
///
/// ```swift
/// @Test(arguments: StoreContract.Behaviour.allCases)
/// func contract(_ behaviour: StoreContract.Behaviour) throws {
///     try StoreContract(makeStore: { try MyStore(...) }).check(behaviour)
/// }
/// ```
///
/// Dates are whole milliseconds, the precision every store must keep.
struct StoreContract {
    /// Makes a new, empty store each time it is called.
    let makeStore: () throws -> any SendStore

    /// One documented behaviour of ``SendStore``.
    enum Behaviour: String, CaseIterable, Sendable {
        case leadRoundTrip, leadUpsertIgnoresCase, saveLeadsCountsNew, leadPaging, auditOrder
        case createLeadsWritesEverything, leadsByAddresses, planAllIsPlanPerRow, sendsForEnrollments
        case enrollEndsOthers, endEnrollmentCancelsWaiting, enrollmentsNeedingPlan
        case planIsIdempotent, earliestWaiting, claimDueOrderAndLimit, claimDueConcurrently
        case recordAppliesLogsAndPlansNext, attemptsCountTransfersOnly, recoverInFlight, cancelWaiting
        case stateCounts, logFilters, sentCount, suppressions, roundRobinCursor
        case unsubscribeTokens, eraseLead, eraseLeadInFlight, probeWrite
        case enrollAllInOrder, planAllMatchesPlan, recordAllAppliesInOrderAndClaims, recordAllIsAllOrNothing
        case sentTimes, logKeepsAttemptStart, sendContextReadsAllThree
        case relayPauses, unsuppressReopensAndRevives, releaseInFlightRestoresWaitingState
        case sentCountIncludesUnknown, legacySuppressionsStillSuppress, newSuppressionsAreKeyed
    }

    /// Runs `behaviour` against a new store.
    func check(_ behaviour: Behaviour) throws {
        let store = try makeStore()
        switch behaviour {
        case .leadRoundTrip: try leadRoundTrip(store)
        case .leadUpsertIgnoresCase: try leadUpsertIgnoresCase(store)
        case .saveLeadsCountsNew: try saveLeadsCountsNew(store)
        case .leadPaging: try leadPaging(store)
        case .auditOrder: try auditOrder(store)
        case .createLeadsWritesEverything: try createLeadsWritesEverything(store)
        case .leadsByAddresses: try leadsByAddresses(store)
        case .planAllIsPlanPerRow: try planAllIsPlanPerRow(store)
        case .sendsForEnrollments: try sendsForEnrollments(store)
        case .enrollEndsOthers: try enrollEndsOthers(store)
        case .endEnrollmentCancelsWaiting: try endEnrollmentCancelsWaiting(store)
        case .enrollmentsNeedingPlan: try enrollmentsNeedingPlan(store)
        case .planIsIdempotent: try planIsIdempotent(store)
        case .earliestWaiting: try earliestWaiting(store)
        case .claimDueOrderAndLimit: try claimDueOrderAndLimit(store)
        case .claimDueConcurrently: try claimDueConcurrently(store)
        case .recordAppliesLogsAndPlansNext: try recordAppliesLogsAndPlansNext(store)
        case .attemptsCountTransfersOnly: try attemptsCountTransfersOnly(store)
        case .recoverInFlight: try recoverInFlight(store)
        case .releaseInFlightRestoresWaitingState: try releaseInFlightRestoresWaitingState(store)
        case .cancelWaiting: try cancelWaiting(store)
        case .stateCounts: try stateCounts(store)
        case .logFilters: try logFilters(store)
        case .sentCount: try sentCount(store)
        case .suppressions: try suppressions(store)
        case .roundRobinCursor: try roundRobinCursor(store)
        case .unsubscribeTokens: try unsubscribeTokens(store)
        case .eraseLead: try eraseLead(store)
        case .eraseLeadInFlight: try eraseLeadInFlight(store)
        case .probeWrite: try store.probeWrite(at: Self.t0)
        case .enrollAllInOrder: try enrollAllInOrder(store)
        case .planAllMatchesPlan: try planAllMatchesPlan(store)
        case .recordAllAppliesInOrderAndClaims: try recordAllAppliesInOrderAndClaims(store)
        case .recordAllIsAllOrNothing: try recordAllIsAllOrNothing(store)
        case .sentTimes: try sentTimes(store)
        case .logKeepsAttemptStart: try logKeepsAttemptStart(store)
        case .sendContextReadsAllThree: try sendContextReadsAllThree(store)
        case .relayPauses: try relayPauses(store)
        case .unsuppressReopensAndRevives: try unsuppressReopensAndRevives(store)
        case .sentCountIncludesUnknown: try sentCountIncludesUnknown(store)
        case .legacySuppressionsStillSuppress: try legacySuppressionsStillSuppress(store)
        case .newSuppressionsAreKeyed: try newSuppressionsAreKeyed(store)
        }
    }

    // MARK: Fixtures

    /// The keying the scenarios hash addresses with (a pseudonym secret of 40 bytes).
    static let keying = AddressKeying(secret: Array("contract-test-pseudonym-secret-0123456789".utf8))

    /// The start of every scenario: a whole second, so every offset below stays on a millisecond.
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// `t0` plus `seconds`.
    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func address(_ text: String) throws -> EmailAddress { try EmailAddress(text) }

    /// A new send for `enrollment`, due and first attempted at `t0 + offset`.
    static func newSend(
        _ enrollment: EnrollmentRecord, step: String, number: Int = 1, offset: Double = 0, track: Track = .marketing
    ) -> NewPlannedSend {
        NewPlannedSend(
            enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: enrollment.sequence, step: step,
            stepNumber: number, track: track, dueAt: at(offset), nextAttemptAt: at(offset),
            messageID: "<\(enrollment.id).\(step)@nurture.example>")
    }

    /// Saves a lead, enrolls it in `sequence` and plans `step`; returns the enrollment and the row.
    @discardableResult
    static func plannedSend(
        _ store: any SendStore, _ email: String, sequence: String = "welcome", step: String = "day-1",
        offset: Double = 0
    ) throws -> (EnrollmentRecord, PlannedSend) {
        let address = try address(email)
        try store.saveLead(Lead(email: address), at: t0)
        let enrollment = try store.enroll(address, in: sequence, at: t0, endingOthers: .stageChanged)
        let send = try store.plan(newSend(enrollment, step: step, offset: offset), at: t0)
        return (enrollment, send)
    }

    /// The log line a worker writes for an attempt on `send`.
    static func logLine(
        _ send: PlannedSend, _ state: SendState, attempt: Int = 1, at seconds: Double = 0, code: Int? = nil,
        sender: String? = "news@acme.example"
    ) -> SendLogEntry {
        SendLogEntry(
            at: at(seconds), sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
            messageID: send.messageID, state: state, attempt: attempt, code: code, reply: code.map { "\($0) ok" },
            detail: nil, sender: sender, recipientDomain: send.leadEmail.domain)
    }
}
