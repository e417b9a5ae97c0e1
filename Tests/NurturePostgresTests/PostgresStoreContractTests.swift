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
        @Test(arguments: StoreContract.Behaviour.allCases)
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
