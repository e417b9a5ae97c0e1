package import Foundation
package import NurtureCore
import Testing

/// The behaviour every ``SendStore`` must show, written once and run against each implementation.
///
/// It ships in the `NurtureTestSupport` target, so a second backend's test target runs it unchanged: a suite for
/// an implementation runs every ``Behaviour`` with a factory for empty stores:
///
/// ```swift
/// import NurtureTestSupport
///
/// @Test(arguments: StoreContract.Behaviour.allCases)
/// func contract(_ behaviour: StoreContract.Behaviour) async throws {
///     try await StoreContract(makeStore: { try await MyStore(...) }).check(behaviour)
/// }
/// ```
///
/// Dates are whole milliseconds, the precision every store must keep.
package struct StoreContract {
    /// Makes a new, empty store each time it is called.
    let makeStore: () async throws -> any SendStore
    /// Releases a store after its behaviour ran, passed or failed (a PostgreSQL store stops its pool).
    let releaseStore: (any SendStore) async -> Void

    /// A contract whose behaviours each run against a new store from `makeStore`, handed to `releaseStore` after.
    package init(
        makeStore: @escaping () async throws -> any SendStore,
        releaseStore: @escaping (any SendStore) async -> Void = { _ in }
    ) {
        self.makeStore = makeStore
        self.releaseStore = releaseStore
    }

    /// One documented behaviour of ``SendStore``.
    package enum Behaviour: String, CaseIterable, Sendable {
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
        case leadChangeWritesEveryStep, leadChangeFailurePartWayWritesNothing
        case inboundRecordsReadBack, recordInboundTwiceIsConstraint, leadChangeRecordsInboundOrNothing
        case pauseSetsPausedUntil, mailboxCursors, sendsByMessageID, eraseLeadErasesInbound
    }

    /// Runs `behaviour` against a new store.
    package func check(_ behaviour: Behaviour) async throws {
        let store = try await makeStore()
        do {
            try await run(behaviour, store)
        } catch {
            await releaseStore(store)
            throw error
        }
        await releaseStore(store)
    }

    /// Runs `behaviour` against `store`.
    private func run(_ behaviour: Behaviour, _ store: any SendStore) async throws {
        switch behaviour {
        case .leadRoundTrip: try await leadRoundTrip(store)
        case .leadChangeWritesEveryStep: try await leadChangeWritesEveryStep(store)
        case .leadChangeFailurePartWayWritesNothing: try await leadChangeFailurePartWayWritesNothing(store)
        case .leadUpsertIgnoresCase: try await leadUpsertIgnoresCase(store)
        case .saveLeadsCountsNew: try await saveLeadsCountsNew(store)
        case .leadPaging: try await leadPaging(store)
        case .auditOrder: try await auditOrder(store)
        case .createLeadsWritesEverything: try await createLeadsWritesEverything(store)
        case .leadsByAddresses: try await leadsByAddresses(store)
        case .planAllIsPlanPerRow: try await planAllIsPlanPerRow(store)
        case .sendsForEnrollments: try await sendsForEnrollments(store)
        case .enrollEndsOthers: try await enrollEndsOthers(store)
        case .endEnrollmentCancelsWaiting: try await endEnrollmentCancelsWaiting(store)
        case .enrollmentsNeedingPlan: try await enrollmentsNeedingPlan(store)
        case .planIsIdempotent: try await planIsIdempotent(store)
        case .earliestWaiting: try await earliestWaiting(store)
        case .claimDueOrderAndLimit: try await claimDueOrderAndLimit(store)
        case .claimDueConcurrently: try await claimDueConcurrently(store)
        case .recordAppliesLogsAndPlansNext: try await recordAppliesLogsAndPlansNext(store)
        case .attemptsCountTransfersOnly: try await attemptsCountTransfersOnly(store)
        case .recoverInFlight: try await recoverInFlight(store)
        case .releaseInFlightRestoresWaitingState: try await releaseInFlightRestoresWaitingState(store)
        case .cancelWaiting: try await cancelWaiting(store)
        case .stateCounts: try await stateCounts(store)
        case .logFilters: try await logFilters(store)
        case .sentCount: try await sentCount(store)
        case .suppressions: try await suppressions(store)
        case .roundRobinCursor: try await roundRobinCursor(store)
        case .unsubscribeTokens: try await unsubscribeTokens(store)
        case .eraseLead: try await eraseLead(store)
        case .eraseLeadInFlight: try await eraseLeadInFlight(store)
        case .probeWrite: try await store.probeWrite(at: Self.t0)
        case .enrollAllInOrder: try await enrollAllInOrder(store)
        case .planAllMatchesPlan: try await planAllMatchesPlan(store)
        case .recordAllAppliesInOrderAndClaims: try await recordAllAppliesInOrderAndClaims(store)
        case .recordAllIsAllOrNothing: try await recordAllIsAllOrNothing(store)
        case .sentTimes: try await sentTimes(store)
        case .logKeepsAttemptStart: try await logKeepsAttemptStart(store)
        case .sendContextReadsAllThree: try await sendContextReadsAllThree(store)
        case .relayPauses: try await relayPauses(store)
        case .unsuppressReopensAndRevives: try await unsuppressReopensAndRevives(store)
        case .sentCountIncludesUnknown: try await sentCountIncludesUnknown(store)
        case .legacySuppressionsStillSuppress: try await legacySuppressionsStillSuppress(store)
        case .newSuppressionsAreKeyed: try await newSuppressionsAreKeyed(store)
        case .inboundRecordsReadBack: try await inboundRecordsReadBack(store)
        case .recordInboundTwiceIsConstraint: try await recordInboundTwiceIsConstraint(store)
        case .leadChangeRecordsInboundOrNothing: try await leadChangeRecordsInboundOrNothing(store)
        case .pauseSetsPausedUntil: try await pauseSetsPausedUntil(store)
        case .mailboxCursors: try await mailboxCursors(store)
        case .sendsByMessageID: try await sendsByMessageID(store)
        case .eraseLeadErasesInbound: try await eraseLeadErasesInbound(store)
        }
    }

    // MARK: Fixtures

    /// The keying the scenarios hash addresses with (a pseudonym secret of 40 bytes).
    package static let keying = AddressKeying(secret: Array("contract-test-pseudonym-secret-0123456789".utf8))

    /// The start of every scenario: a whole second, so every offset below stays on a millisecond.
    package static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    /// `t0` plus `seconds`.
    package static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    package static func address(_ text: String) throws -> EmailAddress { try EmailAddress(text) }

    /// A new send for `enrollment`, due and first attempted at `t0 + offset`.
    package static func newSend(
        _ enrollment: EnrollmentRecord, step: String, number: Int = 1, offset: Double = 0, track: Track = .marketing
    ) -> NewPlannedSend {
        NewPlannedSend(
            enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: enrollment.sequence, step: step,
            stepNumber: number, track: track, dueAt: at(offset), nextAttemptAt: at(offset),
            messageID: "<\(enrollment.id).\(step)@nurture.example>")
    }

    /// Saves a lead, enrolls it in `sequence` and plans `step`; returns the enrollment and the row.
    @discardableResult
    package static func plannedSend(
        _ store: any SendStore, _ email: String, sequence: String = "welcome", step: String = "day-1",
        offset: Double = 0
    ) async throws -> (EnrollmentRecord, PlannedSend) {
        let address = try address(email)
        try await store.saveLead(Lead(email: address), at: t0)
        let enrollment = try await store.enroll(address, in: sequence, at: t0, endingOthers: .stageChanged)
        let send = try await store.plan(newSend(enrollment, step: step, offset: offset), at: t0)
        return (enrollment, send)
    }

    /// The log line a worker writes for an attempt on `send`.
    package static func logLine(
        _ send: PlannedSend, _ state: SendState, attempt: Int = 1, at seconds: Double = 0, code: Int? = nil,
        sender: String? = "news@acme.example"
    ) -> SendLogEntry {
        SendLogEntry(
            at: at(seconds), sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence, step: send.step,
            messageID: send.messageID, state: state, attempt: attempt, code: code, reply: code.map { "\($0) ok" },
            detail: nil, sender: sender, recipientDomain: send.leadEmail.domain)
    }
}
