#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// The protocol suite (``StoreContract``, in `NurtureTestSupport`) against ``PostgresStore``, each behaviour on a
    /// new, migrated database of the throwaway cluster.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct PostgresStoreContractTests {
        /// Behaviours that exercise the ledger (planning, claims, outcomes, the send log; most plan a send as a
        /// fixture), whose PostgreSQL methods are written separately: skipped until they are in, when this set is
        /// emptied and every behaviour runs.
        static let awaitingLedger: Set<StoreContract.Behaviour> = [.sendContextReadsAllThree]

        /// Every behaviour but those ``awaitingLedger`` skips.
        static let behaviours = StoreContract.Behaviour.allCases.filter { !awaitingLedger.contains($0) }

        @Test(arguments: behaviours)
        func contract(_ behaviour: StoreContract.Behaviour) async throws {
            let contract = StoreContract(
                makeStore: {
                    let settings = try PostgresPeer.freshDatabase(behaviour.rawValue)
                    let store = try PostgresStore.started(
                        settings, instance: .current(host: "contract", pid: 1, at: StoreContract.t0),
                        logger: Logger(label: "contract"))
                    do {
                        try await store.migrate()
                    } catch {
                        await store.shutdown()
                        throw error
                    }
                    return store
                },
                releaseStore: { store in await (store as? PostgresStore)?.shutdown() })
            try await contract.check(behaviour)
        }

        @Test func theSchemaVersionIsKnown() {
            #expect(PostgresStore.schemaVersion >= 1)
        }
    }
#endif
