#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// The console's queries (``StoreContract/ConsoleBehaviour``) against ``PostgresStore``, each on a new, migrated
    /// database of the throwaway cluster.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct PostgresConsoleQueriesTests {
        @Test(arguments: StoreContract.ConsoleBehaviour.allCases)
        func console(_ behaviour: StoreContract.ConsoleBehaviour) async throws {
            let contract = StoreContract(
                makeStore: {
                    let settings = try PostgresPeer.freshDatabase("console-" + behaviour.rawValue)
                    let store = try PostgresStore.started(
                        settings, instance: .current(host: "console", pid: 1, at: StoreContract.t0),
                        logger: Logger(label: "console"))
                    do {
                        try await store.migrate()
                    } catch {
                        await store.shutdown()
                        throw error
                    }
                    return store
                },
                releaseStore: { store in await (store as? PostgresStore)?.shutdown() })
            try await contract.checkConsole(behaviour)
        }
    }
#endif
