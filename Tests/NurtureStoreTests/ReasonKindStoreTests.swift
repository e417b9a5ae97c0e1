import Foundation
import GRDB
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSQLite

/// The reason kinds on a real SQLite file: written and read back with the prose, set by the store's own
/// cancellations, and derived once from the prose of rows an older version wrote (`v5-reason-kinds`).
@Suite struct ReasonKindStoreTests {
    typealias C = StoreContract

    /// Runs `body` with the path of a new store file in a new directory.
    private func withStorePath<T>(_ body: (String) async throws -> T) async throws -> T {
        try await withTemporaryDirectory { directory in
            try await body(directory.appendingPathComponent("data/nurture.sqlite").path)
        }
    }

    @Test("a recorded reason's kind is read back from the ledger and the send log")
    func recordedKindRoundTrips() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let (_, send) = try await C.plannedSend(store, "ann@example.com")
            let reason = HoldReason.catchUp("catching up: 60 overdue sends in the last minute")
            var log = C.logLine(send, .held, attempt: 0, at: 1)
            log.detail = reason.description
            log.reasonKind = reason.kind
            try await store.record(
                send.id,
                update: SendUpdate(
                    state: .held, nextAttemptAt: C.at(10), attempted: false, reason: reason.description,
                    reasonKind: reason.kind),
                log: log, next: nil, at: C.at(1))
            let stored = try #require(try await store.send(send.id))
            #expect(stored.reasonKind == .catchUp)
            #expect(stored.reason == reason.description)
            #expect(try await store.log(SendLogFilter(leadEmail: send.leadEmail)).last?.reasonKind == .catchUp)
            // A later record without a kind leaves the row unclassified rather than keeping the old kind.
            try await store.record(
                send.id, update: SendUpdate(state: .held, nextAttemptAt: C.at(20), attempted: false, reason: "?"),
                log: C.logLine(send, .held, attempt: 0, at: 2), next: nil, at: C.at(2))
            #expect(try await store.send(send.id)?.reasonKind == nil)
        }
    }

    @Test("the store's own cancellations carry their kind: an ended enrollment, a removed step")
    func storeCancellationsHaveKinds() async throws {
        try await withStorePath { path in
            let store = try SQLiteStore(path: path)
            let (enrollment, ended) = try await C.plannedSend(store, "ann@example.com")
            try await store.endEnrollment(enrollment.id, reason: .replied, at: C.at(1))
            #expect(try await store.send(ended.id)?.reasonKind == .enrollmentEnded)
            #expect(try await store.log(SendLogFilter(leadEmail: ended.leadEmail)).last?.reasonKind == .enrollmentEnded)
            let (_, removed) = try await C.plannedSend(store, "bob@example.com", sequence: "nurture", step: "old")
            try await store.cancelWaiting(
                sequence: "nurture", keepingSteps: [], reason: "step removed from the configuration", at: C.at(2))
            #expect(try await store.send(removed.id)?.reasonKind == .stepRemoved)
        }
    }

    /// Prose an earlier version wrote, and the kind the migration must derive from it.
    static let earlierProse: [(String, ReasonKind?)] = [
        ("outside the send window of `nurture`; next opening 2026-11-30 09:00 America/New_York", .outsideWindow),
        ("rate limit: 1 sends to example.com in the last hour (limit 1 per hour)", .rateLimit),
        ("at most one email per lead every 1d (limits.per_lead_min_gap); last sent 2026-11-29T10:00:00Z", .leadGap),
        ("catching up after downtime: catching up: 60 overdue sends in the last minute", .catchUp),
        ("held: no owner; assign a salesperson to the lead, or enable options.round_robin", .noOwner),
        ("held: owner `ghost` is not a configured salesperson; add them under salespeople", .unknownOwner),
        ("relay 127.0.0.1:2525 refused: 550 5.7.1 at MAIL FROM; paused until 2026-11-30T10:00:30Z", .relayPaused),
        ("cannot render: missing `lead.company`; fix the template (`nurture check`) and reload", .templateError),
        (
            "temporary failure: a temporary refusal: 451 4.3.0 (at RCPT TO); next attempt 2026-11-30T10:05:00Z",
            .retrying
        ),
        (
            "permanent failure: the recipient's address was refused: 550 5.1.1; the address is suppressed",
            .recipientBounced
        ),
        ("the lead unsubscribed", .unsubscribed),
        ("step removed from the configuration", .stepRemoved),
        ("something an operator typed", nil),
    ]

    @Test("rows written before the kinds existed get the kind their prose says, once, at the upgrade")
    func migrationDerivesKinds() async throws {
        try await withStorePath { path in
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do {
                let old = try DatabaseQueue(path: path)
                try Schema.migrator.migrate(old, upTo: "v4-relay-pauses")
                try await old.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO enrollments (id, lead_email, sequence, started_at)
                            VALUES (1, 'ann@example.com', 'nurture', 0)
                            """)
                    for (index, (prose, _)) in Self.earlierProse.enumerated() {
                        try db.execute(
                            sql: """
                                INSERT INTO planned_sends (
                                    id, enrollment_id, lead_email, sequence, step, step_number, track, due_at,
                                    next_attempt_at, state, attempts, message_id, reason, created_at, updated_at
                                ) VALUES (?, 1, 'ann@example.com', 'nurture', ?, 1, 'marketing', 0, 0, 'held', 0, ?, ?, 0, 0)
                                """, arguments: [index + 1, "step-\(index)", "<\(index)@acme.example>", prose])
                        try db.execute(
                            sql: """
                                INSERT INTO send_log (
                                    at, send_id, lead_email, sequence, step, message_id, state, attempt, detail,
                                    recipient_domain
                                ) VALUES (0, ?, 'ann@example.com', 'nurture', ?, ?, 'held', 0, ?, 'example.com')
                                """, arguments: [index + 1, "step-\(index)", "<\(index)@acme.example>", prose])
                    }
                }
            }
            let store = try SQLiteStore(path: path)
            let ann = try EmailAddress("ann@example.com")
            let sends = try await store.sends(for: ann)
            let lines = try await store.log(SendLogFilter(leadEmail: ann))
            #expect(sends.count == Self.earlierProse.count)
            for (index, (prose, kind)) in Self.earlierProse.enumerated() {
                #expect(sends[index].reasonKind == kind, "\(prose)")
                #expect(lines[index].reasonKind == kind, "\(prose)")
            }
        }
    }
}
