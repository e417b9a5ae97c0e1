import Foundation
import GRDB
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSQLite

/// Incoming mail on a real SQLite file: the upgrade of a store an earlier version wrote (`v6-inbound`), and
/// the table rules a processed message relies on.
@Suite struct InboundStoreTests {
    typealias C = StoreContract

    /// Runs `body` with the path of a new store file in a new directory.
    private func withStorePath<T>(_ body: (String) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            try await body(directory.appendingPathComponent("data/nurture.sqlite").path)
        }
    }

    @Test("a store from the version before incoming mail opens with its data, unpaused, and takes inbound mail")
    func upgradeFromV5() async throws {
        try await withStorePath { path in
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do {
                let old = try DatabaseQueue(path: path)
                try Schema.migrator.migrate(old, upTo: "v5-reason-kinds")
                try await old.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO leads (
                                email, stage, source, vision, budget, need, authority, timeframe, created_at,
                                updated_at
                            ) VALUES ('ann@example.com', 'lead', 'inbound', 'unknown', 'unknown', 'unknown',
                                'unknown', 'unknown', 0, 0)
                            """)
                    try db.execute(
                        sql: """
                            INSERT INTO enrollments (id, lead_email, sequence, started_at)
                            VALUES (1, 'ann@example.com', 'nurture', 0)
                            """)
                    try db.execute(
                        sql: """
                            INSERT INTO planned_sends (
                                id, enrollment_id, lead_email, sequence, step, step_number, track, due_at,
                                next_attempt_at, state, attempts, message_id, created_at, updated_at
                            ) VALUES (1, 1, 'ann@example.com', 'nurture', 'day-1', 1, 'marketing', 0, 0, 'planned', 0,
                                '<1.day-1@acme.example>', 0, 0)
                            """)
                }
            }
            let store = try SQLiteStore(path: path)
            let ann = try EmailAddress("ann@example.com")
            let enrollment = try #require(try await store.enrollment(1))
            #expect(enrollment.pausedUntil == nil)
            #expect(enrollment.isActive)
            #expect(try await store.sends(messageIDs: ["1.day-1@acme.example"]).map(\.id) == [1])
            #expect(try await store.mailboxCursors().isEmpty)
            #expect(try await store.inbound(for: ann).isEmpty)
            let record = C.inboundRecord(1, kind: .autoReply, lead: ann)
            _ = try await store.apply(
                LeadChange(
                    lead: try #require(try await store.lead(ann)), suppressionKey: C.keying.suppressionKey(for: ann),
                    steps: [.pause(enrollment: 1, until: C.at(86_400)), .inbound(record)]),
                at: C.t0)
            #expect(try await store.enrollment(1)?.pausedUntil == C.at(86_400))
            #expect(try await store.inbound(for: ann) == [record])
        }
    }

    @Test("a duplicate message is refused by the table itself, not only by the store's check")
    func uniqueMessageInTheTable() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            try await store.recordInbound(C.inboundRecord(1))
            let queue = try DatabaseQueue(path: path)
            #expect(throws: DatabaseError.self) {
                try queue.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO inbound_messages (mailbox, uid_validity, uid, at, kind, evidence, action)
                            VALUES ('sales', 7, 1, 0, 'reply', 'raw insert', 'nothing')
                            """)
                }
            }
            #expect(try await store.inboundLog(mailbox: nil, limit: 10).count == 1)
        }
    }

    @Test("a stored row the store cannot read is an error naming the table and column, not a crash")
    func unreadableRowsAreErrors() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO inbound_messages (mailbox, uid_validity, uid, at, kind, evidence, action)
                        VALUES ('sales', 7, 1, 0, 'telegram', 'raw insert', 'nothing')
                        """)
                try db.execute(
                    sql: "INSERT INTO mailbox_cursors (mailbox, uid_validity, last_uid) VALUES ('sales', -1, 0)")
            }
            let log = await #expect(throws: StoreError.self) { try await store.inboundLog(mailbox: nil, limit: 1) }
            #expect("\(log.map(String.init(describing:)) ?? "")".contains("inbound_messages"))
            #expect("\(log.map(String.init(describing:)) ?? "")".contains("column kind"))
            let cursors = await #expect(throws: StoreError.self) { try await store.mailboxCursors() }
            #expect("\(cursors.map(String.init(describing:)) ?? "")".contains("column uid_validity"))
        }
    }
}
