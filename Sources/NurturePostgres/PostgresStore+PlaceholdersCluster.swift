#if PostgreSQL
    package import Foundation
    package import NurtureCore

    // Placeholders of the contract commit: the cluster port (heartbeat, leases, leader, reservations, wake-ups).
    // Each method moves to its own file as it is written; this file is deleted when none is left.
    extension PostgresStore {
        package func heartbeat(at: Date) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.heartbeat is not written yet")
        }

        package func signOff(at: Date) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.signOff is not written yet")
        }

        package func daemons(since: Date) async throws(StoreError) -> [DaemonRecord] {
            throw StoreError(.unavailable, "PostgresStore.daemons is not written yet")
        }

        package func markStarted(_ sendID: Int64, at: Date) async throws(StoreError) -> Bool {
            throw StoreError(.unavailable, "PostgresStore.markStarted is not written yet")
        }

        package func reclaimExpired(at: Date) async throws(StoreError) -> ReclaimedSends {
            throw StoreError(.unavailable, "PostgresStore.reclaimExpired is not written yet")
        }

        package func holdLeadership(at: Date) async throws(StoreError) -> Bool {
            throw StoreError(.unavailable, "PostgresStore.holdLeadership is not written yet")
        }

        package func reserve(
            _ sendID: Int64, keys: RateKeys, at: Date, admit: @Sendable (RateSnapshot) -> Bool
        ) async throws(StoreError) -> (snapshot: RateSnapshot, reserved: Bool) {
            throw StoreError(.unavailable, "PostgresStore.reserve is not written yet")
        }

        package func wakeups() -> AsyncStream<Void> {
            AsyncStream { $0.finish() }
        }

        package func notifyOthers() async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.notifyOthers is not written yet")
        }
    }
#endif
