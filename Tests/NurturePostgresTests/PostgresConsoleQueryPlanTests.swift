#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurtureTestSupport
    import PostgresNIO
    import Testing

    @testable import NurturePostgres

    /// The console's send-log page on PostgreSQL can be answered from the indexes made for it: with sequential scans
    /// off, the plan of each filter names its index and, but for a lead prefix, no sort (on a real table the planner
    /// picks them once the table is large; an empty one is scanned whatever the indexes).
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct PostgresConsoleQueryPlanTests {
        @Test(arguments: [
            (
                SendQuery(leadPrefix: "Ann"), ["text", "text", "bigint"], "'ann', 'ann' || chr(1114111), 50",
                "planned_sends_by_lead_prefix"
            ),
            (SendQuery(sequence: "welcome"), ["text", "bigint"], "'welcome', 50", "planned_sends_by_sequence_id"),
            (SendQuery(state: .held), ["text", "bigint"], "'held', 50", "planned_sends_by_state_id"),
            (
                SendQuery(
                    from: Date(timeIntervalSince1970: 1e9), to: Date(timeIntervalSince1970: 2e9), after: 7,
                    afterDue: Date(timeIntervalSince1970: 1.5e9)),
                ["bigint", "bigint", "bigint", "bigint", "bigint"],
                "1000000000000, 2000000000000, 1500000000000, 7, 50",
                "planned_sends_by_due_id"
            ),
        ])
        func aSendLogPageReadsAnIndex(query: SendQuery, types: [String], values: String, index: String) async throws {
            let settings = try PostgresPeer.freshDatabase("consoleplan")
            let store = try PostgresStore.started(
                settings, instance: .current(host: "plan", pid: 1, at: StoreContract.t0), logger: Logger(label: "plan"))
            do {
                try await store.migrate()
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
            let sql = try PostgresStore.sendPageStatement(query).sql
            let plan = try PostgresPeer.psql(
                "PREPARE page(\(types.joined(separator: ", "))) AS \(sql); SET enable_seqscan = off;"
                    + " EXPLAIN EXECUTE page(\(values))", database: settings.database)
            #expect(plan.contains(index), "\(plan)")
            if query.leadPrefix == nil {
                // A prefix's matches come in address order and are sorted (a prefix matches few rows).
                #expect(!plan.contains("Sort"), "no sort of every match: \(plan)")
            }
        }
    }
#endif
