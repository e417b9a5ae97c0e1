import Foundation
import GRDB
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSQLite

/// The console's queries on SQLite use the indexes made for them (`v7-console`, `v8-console-scale`), read from
/// SQLite's own query plan: a page of the send log, whatever the filter, is read in id order (due time and id for
/// a date range) from an index (no sort of every match), so it stays fast at millions of rows.
@Suite struct SQLiteConsoleQueryPlanTests {
    /// SQLite's plan of `sql`, one step a line.
    static func plan(_ store: SQLiteStore, _ sql: String, _ arguments: [DatabaseValue]) async throws -> String {
        try await store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(arguments))
                .map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    @Test(arguments: [
        (SendQuery(leadPrefix: "Ann"), "planned_sends_by_lead"),
        (SendQuery(leadPrefix: "Ann", after: 1_000), "planned_sends_by_lead"),
        (SendQuery(sequence: "welcome", after: 1_000), "planned_sends_by_sequence_id"),
        (SendQuery(sequence: "welcome", step: "day-1"), "planned_sends_by_sequence_step"),
        (SendQuery(sequence: "welcome"), "planned_sends_by_sequence_id"),
        (SendQuery(state: .held), "planned_sends_by_state_id"),
        (SendQuery(after: 1_000), "PRIMARY KEY"),
        (
            SendQuery(from: Date(timeIntervalSince1970: 1e9), to: Date(timeIntervalSince1970: 2e9)),
            "planned_sends_by_due_id"
        ),
        (
            SendQuery(to: Date(timeIntervalSince1970: 2e9), after: 1_000, afterDue: Date(timeIntervalSince1970: 1.5e9)),
            "planned_sends_by_due_id"
        ),
        (
            SendQuery(sequence: "welcome", state: .failed, from: Date(timeIntervalSince1970: 1e9)),
            "planned_sends_by_due_id"
        ),
    ])
    func aSendLogPageReadsAnIndex(query: SendQuery, index: String) async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            let (sql, arguments) = SQLiteStore.sendPageSQL(query)
            let plan = try await Self.plan(store, sql, arguments)
            #expect(plan.contains(index), "\(plan)")
            if query.leadPrefix == nil {
                #expect(!plan.contains("TEMP B-TREE FOR ORDER BY"), "no sort of every match: \(plan)")
            }
            #expect(plan.contains("send_log_by_send"), "the sender of each row: \(plan)")
        }
    }

    @Test func theFunnelReadsTheKeptCountsByTheirKey() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            let plan = try await Self.plan(store, SQLiteStore.funnelSQL, ["welcome".databaseValue])
            #expect(plan.contains("SEARCH send_counts USING PRIMARY KEY (sequence=?)"), "\(plan)")
            #expect(!plan.contains("planned_sends"), "the ledger is not read: \(plan)")
        }
    }

    @Test func theRepliesAreReadFromTheRepliesNotTheSequence() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            let plan = try await Self.plan(
                store, SQLiteStore.repliesSQL, ["reply".databaseValue, "welcome".databaseValue])
            #expect(plan.hasPrefix("SEARCH i USING COVERING INDEX inbound_messages_by_kind_send (kind=?)"), "\(plan)")
            #expect(plan.contains("SEARCH p USING INTEGER PRIMARY KEY"), "\(plan)")
        }
    }

    @Test func theChartIsCountedFromItsIndexAlone() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
            let plan = try await Self.plan(
                store, SQLiteStore.hourlyAttemptsSQL, ["news@acme.example".databaseValue, 0.databaseValue])
            #expect(plan.contains("COVERING INDEX send_log_console_chart"), "\(plan)")
        }
    }
}
