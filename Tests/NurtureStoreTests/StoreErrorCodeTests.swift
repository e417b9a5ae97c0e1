import Foundation
import GRDB
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSQLite

/// The ``StoreError/Code`` each SQLite failure becomes: every SQLite result code the store maps, and the codes
/// real faults produce through the store's own calls (the read-only, damaged-file, newer-version, lock and
/// missing-file cases are in `SQLiteStoreTests` and `StoreFileSafetyTests`; a full disk in
/// `NurtureCLITests/StorageFaultTests`).
@Suite struct StoreErrorCodeTests {
    @Test(
        "each SQLite result code maps to one store code and operator prose naming the file",
        arguments: [
            (ResultCode.SQLITE_BUSY, StoreError.Code.busy), (.SQLITE_LOCKED, .busy), (.SQLITE_CORRUPT, .corrupt),
            (.SQLITE_NOTADB, .corrupt), (.SQLITE_CANTOPEN, .unavailable), (.SQLITE_READONLY, .readOnly),
            (.SQLITE_PERM, .readOnly), (.SQLITE_AUTH, .readOnly), (.SQLITE_FULL, .full), (.SQLITE_IOERR, .io),
            (.SQLITE_CONSTRAINT, .constraint), (.SQLITE_MISMATCH, .failed),
        ])
    func sqliteResultCodes(_ result: ResultCode, _ code: StoreError.Code) {
        let error = StoreError.wrapping(
            DatabaseError(resultCode: result, message: "detail"), path: "/srv/nurture.sqlite", action: "saving lead x")
        #expect(error.code == code)
        #expect(error.message.contains("/srv/nurture.sqlite"))
        #expect(error.message.contains("saving lead x"))
    }

    @Test("a store error passes through unchanged; a cancelled task's call is `cancelled`")
    func passThroughAndCancellation() {
        let refused = StoreError(.notFound, "no such lead")
        #expect(StoreError.wrapping(refused, path: "p", action: "a") == refused)
        #expect(StoreError.wrapping(CancellationError(), path: "p", action: "a").code == .cancelled)
    }

    @Test("a row the request names that does not exist is `notFound`, not a fault")
    func notFound() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
            let ended = await #expect(throws: StoreError.self) {
                try await store.endEnrollment(987_654, reason: .replied, at: StoreContract.t0)
            }
            #expect(ended?.code == .notFound)
            #expect(ended?.isFault == false)
            let (enrollment, _) = try await StoreContract.plannedSend(store, "ann@example.com")
            var missing = StoreContract.newSend(enrollment, step: "day-3")
            missing.enrollmentID = 987_654
            let planned = await #expect(throws: StoreError.self) {
                try await store.planAll([missing], at: StoreContract.t0)
            }
            #expect(planned?.code == .notFound)
        }
    }

    @Test("SQLite refusing a change with a constraint is `constraint`, and nothing of the transaction is kept")
    func constraint() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
            let ann = try EmailAddress("ann@example.com")
            try await store.pool.write { db in
                try db.execute(
                    sql: "CREATE TRIGGER refuse_audit BEFORE INSERT ON lead_audit BEGIN SELECT RAISE(ABORT, 'no'); END")
            }
            let error = await #expect(throws: StoreError.self) {
                try await store.createLeads(
                    [
                        NewLead(
                            lead: Lead(email: ann),
                            audit: [LeadAuditEntry(at: StoreContract.t0, leadEmail: ann, kind: "k", detail: "d")])
                    ],
                    cursor: nil, keying: StoreContract.keying, at: StoreContract.t0)
            }
            #expect(error?.code == .constraint)
            #expect(error?.isFault == false)
            #expect(try await store.lead(ann) == nil, "the lead saved before the refused audit line is rolled back")
        }
    }

    @Test("a store call from a cancelled task fails with `cancelled` and writes nothing")
    func cancelled() async throws {
        try await withTemporaryDirectory { directory in
            let store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
            let ann = try EmailAddress("ann@example.com")
            let task = Task { () async -> StoreError? in
                while !Task.isCancelled { await Task.yield() }
                do {
                    try await store.saveLead(Lead(email: ann), at: StoreContract.t0)
                    return nil
                } catch let error as StoreError {
                    return error
                } catch {
                    return StoreError("\(error)")
                }
            }
            task.cancel()
            let error = await task.value
            #expect(error?.code == .cancelled)
            #expect(error?.isFault == false)
            #expect(try await store.leadCount() == 0)
        }
    }
}
