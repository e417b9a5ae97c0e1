import Foundation
import GRDB
import NurtureCore
import NurtureTestSupport
import Synchronization
import Testing

@testable import NurtureSQLite

/// Behaviour particular to the SQLite file: durability settings, sharing, migrations, permissions,
/// damaged data and the query plans that keep a million-lead store cheap.
@Suite struct SQLiteStoreTests {
    private static let t0 = StoreContract.t0

    /// Runs `body` with the path of a new store file in a new directory.
    private func withStorePath<T>(_ body: (String) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            try await body(directory.appendingPathComponent("data/nurture.sqlite").path)
        }
    }

    @Test func everyConnectionUsesWALAndFullSync() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let writer = try store.pool.writeWithoutTransaction { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            #expect(writer.0 == "wal")
            #expect(writer.1 == 2)
            let readers = Mutex<[Int?]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                let value = try? store.pool.read { db in
                    Thread.sleep(forTimeInterval: 0.05)
                    return try Int.fetchOne(db, sql: "PRAGMA synchronous")
                }
                readers.withLock { $0.append(value ?? nil) }
            }
            #expect(readers.withLock { $0 } == [2, 2, 2, 2])
            let foreignKeys = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA foreign_keys") }
            #expect(foreignKeys == 1)
        }
    }

    @Test func dataSurvivesReopening() async throws {
        try await withStorePath { path in
            let ann = try EmailAddress("ann@example.com")
            var sendID: Int64 = 0
            do {
                let store = try SQLiteStore(path: path)
                try await store.saveLead(Lead(email: ann, firstName: "Ann"), at: Self.t0)
                let enrollment = try await store.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
                sendID = try await store.plan(StoreContract.newSend(enrollment, step: "day-1"), at: Self.t0).id
                try await store.saveRoundRobinCursor(RoundRobinCursor(scores: ["sam": 1]))
            }
            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.lead(ann)?.firstName == "Ann")
            #expect(try await reopened.send(sendID)?.state == .planned)
            #expect(try await reopened.roundRobinCursor().scores == ["sam": 1])
            let migrations = try await reopened.pool.read { db in
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
            #expect(migrations == Schema.migrator.migrations, "each migration applied once, in order")
            #expect(migrations.first == "v1")
        }
    }

    @Test("the suppressions table holds keyed hashes only; a row an older version wrote still suppresses")
    func suppressionsOnDisk() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let (ann, bob) = (try EmailAddress("ann@example.com"), try EmailAddress("Bob@Example.com"))
            // What an older version wrote: SHA-256 of the lowercased address, in hex, straight into the table.
            try await store.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO suppressions (address_hash, reason, at) VALUES (?, 'unsubscribed', 0)",
                    arguments: [Suppression.unkeyedHash(of: ann)])
            }
            let keying = StoreContract.keying
            #expect(try await store.isSuppressed(keying.suppressionKey(for: ann)))
            try await store.suppress(keying.suppressionKey(for: bob), reason: "bounced", at: Self.t0)
            _ = try await store.createLeads(
                [NewLead(lead: Lead(email: try EmailAddress("cy@example.com")), suppression: "unsubscribed")],
                cursor: nil, keying: keying, at: Self.t0)
            let stored = try await store.pool.read { db in
                try String.fetchAll(
                    db, sql: "SELECT address_hash FROM suppressions WHERE reason != 'unsubscribed' OR at > 0")
            }
            #expect(stored.count == 2)
            for address in [bob, try EmailAddress("cy@example.com")] {
                #expect(!stored.contains(Suppression.unkeyedHash(of: address)), "SHA-256(\(address)) is not stored")
                #expect(stored.contains(keying.suppressionKey(for: address).written))
            }
        }
    }

    @Test func twoInstancesSeeEachOthersWrites() async throws {
        try await withStorePath { path in
            let cli = try SQLiteStore(path: path)
            let daemon = try SQLiteStore(path: path)
            let ann = try EmailAddress("ann@example.com")
            try await cli.saveLead(Lead(email: ann), at: Self.t0)
            #expect(try await daemon.lead(ann) != nil)
            let enrollment = try await daemon.enroll(ann, in: "welcome", at: Self.t0, endingOthers: .stageChanged)
            for step in 0..<40 {
                _ = try await daemon.plan(
                    StoreContract.newSend(enrollment, step: "s\(step)", number: step + 1), at: Self.t0)
            }
            #expect(try await cli.stateCounts() == [.planned: 40])
            let ids = await withTaskGroup(of: [Int64].self) { group in
                for store in [cli, daemon] {
                    group.addTask {
                        var claimed: [Int64] = []
                        while let batch = try? await store.claimDue(now: Self.t0, limit: 3), !batch.isEmpty {
                            claimed += batch.map(\.id)
                        }
                        return claimed
                    }
                }
                return await group.reduce(into: []) { $0 += $1 }
            }
            #expect(ids.count == 40)
            #expect(Set(ids).count == 40)
            #expect(try await cli.endEnrollment(enrollment.id, reason: .replied, at: Self.t0) == 0)
            #expect(try await daemon.enrollment(enrollment.id)?.isActive == false)
        }
    }

    @Test func filesAreNotReadableByOthers() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            try await store.saveLead(Lead(email: try EmailAddress("ann@example.com")), at: Self.t0)
            let directory = (path as NSString).deletingLastPathComponent
            for file in [path, path + "-wal", path + "-shm", directory] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
                #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
            }
        }
    }

    @Test func damagedRowsBecomeErrorsNamingTheRow() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let (_, send) = try await StoreContract.plannedSend(store, "ann@example.com")
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE leads SET email = 'not an address'")
                try db.execute(sql: "UPDATE planned_sends SET state = 'lost' WHERE id = ?", arguments: [send.id])
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('round-robin-cursor', '{oops')")
            }
            let leadError = await #expect(throws: StoreError.self) { try await store.leads(after: nil, limit: 10) }
            #expect(leadError?.message.contains("row 1 of table leads") == true)
            #expect(leadError?.message.contains("column email") == true)
            #expect(leadError?.message.contains(path) == true)
            #expect(leadError?.code == .failed, "an unreadable row is not a fault: retrying changes nothing")
            let sendError = await #expect(throws: StoreError.self) { try await store.send(send.id) }
            #expect(sendError?.message.contains("row \(send.id) of table planned_sends") == true)
            #expect(sendError?.message.contains("\"lost\"") == true)
            await #expect(throws: StoreError.self) { try await store.stateCounts() }
            await #expect(throws: StoreError.self) { try await store.roundRobinCursor() }
        }
    }

    @Test func aFileThatIsNotADatabaseIsReported() async throws {
        try await withStorePath { path in
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
            #expect(error?.message.contains(path) == true)
            #expect(error?.message.contains("not a Nurture database") == true)
            #expect(error?.code == .corrupt)
        }
    }

    @Test func aFileFromANewerVersionIsRefused() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            try store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')")
            }
            let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
            #expect(error?.message.contains("newer version") == true)
            #expect(error?.code == .incompatible)
        }
    }

    @Test func planningForAnEndedEnrollmentStoresACancelledRow() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let (enrollment, send) = try await StoreContract.plannedSend(store, "ann@example.com")
            _ = try await store.claimDue(now: Self.t0, limit: 1)
            try await store.endEnrollment(enrollment.id, reason: .replied, at: Self.t0)
            let late = try await store.plan(StoreContract.newSend(enrollment, step: "day-9", number: 9), at: Self.t0)
            #expect(late.state == .cancelled)
            try await store.record(
                send.id, update: SendUpdate(state: .deferred, nextAttemptAt: Self.t0, attempted: true, code: 421),
                log: StoreContract.logLine(send, .deferred, code: 421), next: nil, at: Self.t0)
            #expect(try await store.send(send.id)?.state == .cancelled)
            #expect(try await store.earliestWaiting() == nil)
            #expect(try await store.log(SendLogFilter()).map(\.state) == [.cancelled, .deferred, .cancelled])
            await #expect(throws: StoreError.self) {
                try await store.endEnrollment(424_242, reason: .replied, at: Self.t0)
            }
        }
    }

    /// The queries the daemon runs on every pass use their indexes rather than scanning tables.
    @Test func hotQueriesUseIndexes() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let plans: [(String, String)] = [
                (SQLiteStore.needingPlanSQL.replacingOccurrences(of: "?", with: "10"), "enrollments_needing_plan"),
                (
                    SQLiteStore.claimDueSQL.replacingOccurrences(of: "updated_at = ?", with: "updated_at = 5")
                        .replacingOccurrences(of: "<= ?", with: "<= 5").replacingOccurrences(of: "?", with: "10"),
                    "planned_sends_waiting"
                ),
                (SQLiteStore.earliestWaitingSQL, "planned_sends_waiting"),
                (
                    "SELECT COUNT(*) FROM send_log WHERE state = 'sent' AND sender = 'a' AND at >= 5",
                    "send_log_by_sender"
                ),
                (
                    "SELECT COUNT(*) FROM send_log WHERE state = 'sent' AND recipient_domain = 'a' AND at >= 5",
                    "send_log_by_domain"
                ),
                // The console's chart index (state, at, sender, send_id) covers this count too.
                ("SELECT COUNT(*) FROM send_log WHERE state = 'sent' AND at >= 5", "send_log_console_chart"),
                ("SELECT * FROM leads WHERE email > 'a' ORDER BY email LIMIT 10", "sqlite_autoindex_leads_1"),
                ("SELECT * FROM send_log WHERE lead_email = 'a' ORDER BY id", "send_log_by_lead"),
                (
                    "SELECT 1 FROM planned_sends WHERE enrollment_id = 1 AND +state IN \(Schema.openStates)",
                    "sqlite_autoindex_planned_sends_1"
                ),
                ("SELECT * FROM planned_sends WHERE message_id IN ('<a@b>', 'a@b')", "planned_sends_by_message_id"),
                (
                    "SELECT COUNT(*) FROM inbound_messages WHERE lead_email = 'a' AND kind = 'soft-bounce' AND at >= 5",
                    "inbound_messages_by_lead"
                ),
                ("SELECT * FROM inbound_messages ORDER BY at DESC, id DESC LIMIT 10", "inbound_messages_by_time"),
            ]
            for (sql, index) in plans {
                let plan = try store.pool.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { row in row["detail"] as String? ?? "" }
                }
                #expect(plan.contains { $0.contains(index) }, "\(sql): \(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql): \(plan)")
            }
        }
    }

    /// 100,000 leads in one call land whole. How fast is the import benchmark's business (benchmarks/scale.sh): a
    /// stopwatch here only measured how loaded the machine was.
    @Test func savingManyLeadsInOneCall() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let leads = try (0..<100_000).map { index in
                Lead(
                    email: try EmailAddress("lead\(index)@example\(index % 97).com"), firstName: "Lead",
                    company: "Company \(index % 1000)", attributes: ["row": "\(index)"])
            }
            #expect(try await store.saveLeads(leads, at: Self.t0) == 100_000)
            #expect(try await store.leadCount() == 100_000)
            let last = try #require(try await store.lead(try EmailAddress("lead99999@example89.com")))
            #expect(last.attributes["row"] == "99999")
        }
    }
}
