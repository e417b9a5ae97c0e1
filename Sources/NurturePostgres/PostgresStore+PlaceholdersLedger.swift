#if PostgreSQL
    package import Foundation
    package import NurtureCore

    // Placeholders of the contract commit: the ledger, claims and the send log. Each method moves to its own file as it is written; this file
    // is deleted when none is left.
    extension PostgresStore {
        package func planAll(_ sends: [NewPlannedSend], at: Date) async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.planAll is not written yet")
        }

        package func send(_ id: Int64) async throws(StoreError) -> PlannedSend? {
            throw StoreError(.unavailable, "PostgresStore.send is not written yet")
        }

        package func sends(for email: EmailAddress) async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.sends is not written yet")
        }

        package func sends(forEnrollments ids: [Int64]) async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.sends is not written yet")
        }

        package func earliestWaiting() async throws(StoreError) -> Date? {
            throw StoreError(.unavailable, "PostgresStore.earliestWaiting is not written yet")
        }

        package func recordAll(_ records: [SendRecord], at: Date, claiming: Int, dueBy: Date) async throws(StoreError)
            -> [PlannedSend]
        {
            throw StoreError(.unavailable, "PostgresStore.recordAll is not written yet")
        }

        package func sendContexts(_ keys: [SendContext.Key]) async throws(StoreError) -> [SendContext] {
            throw StoreError(.unavailable, "PostgresStore.sendContexts is not written yet")
        }

        package func recoverInFlight(at: Date) async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.recoverInFlight is not written yet")
        }

        package func inFlightSends() async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.inFlightSends is not written yet")
        }

        package func releaseInFlight(_ ids: [Int64], detail: String, at: Date) async throws(StoreError) -> [PlannedSend]
        {
            throw StoreError(.unavailable, "PostgresStore.releaseInFlight is not written yet")
        }

        package func cancelWaiting(sequence: String, keepingSteps: Set<String>, reason: String, at: Date)
            async throws(StoreError) -> Int
        {
            throw StoreError(.unavailable, "PostgresStore.cancelWaiting is not written yet")
        }

        package func stateCounts() async throws(StoreError) -> [SendState: Int] {
            throw StoreError(.unavailable, "PostgresStore.stateCounts is not written yet")
        }

        package func log(_ filter: SendLogFilter) async throws(StoreError) -> [SendLogEntry] {
            throw StoreError(.unavailable, "PostgresStore.log is not written yet")
        }

        package func sentCount(_ query: RateQuery) async throws(StoreError) -> Int {
            throw StoreError(.unavailable, "PostgresStore.sentCount is not written yet")
        }

        package func sentTimes(_ query: RateQuery) async throws(StoreError) -> [Date] {
            throw StoreError(.unavailable, "PostgresStore.sentTimes is not written yet")
        }

        package func sends(messageIDs: [String]) async throws(StoreError) -> [PlannedSend] {
            throw StoreError(.unavailable, "PostgresStore.sends is not written yet")
        }
    }
#endif
