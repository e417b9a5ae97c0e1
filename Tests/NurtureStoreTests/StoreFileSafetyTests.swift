import Foundation
import NurtureCore
import NurtureTestSupport
import Testing

@testable import NurtureSQLite

/// The store file's own safety: one daemon per store (the lock), read-only opens that create and write
/// nothing, and noticing a database file removed or replaced under an open store.
@Suite struct StoreFileSafetyTests {
    private static let t0 = StoreContract.t0

    @Test("the lock is exclusive, names the holder's PID, and is free again once released")
    func lockIsExclusive() async throws {
        try await withTemporaryDirectory { directory in
            let store = directory.appendingPathComponent("state/nurture.sqlite").path
            var first: StoreLock? = try StoreLock.acquire(forStore: store)
            #expect(first?.path == store + ".lock")
            let pid = try String(contentsOfFile: store + ".lock", encoding: .utf8)
            #expect(pid == "\(getpid())\n")
            #expect {
                _ = try StoreLock.acquire(forStore: store)
            } throws: { error in
                let text = "\(error)"
                return text.contains("process \(getpid())") && text.contains(store) && text.contains("one daemon")
                    && (error as? StoreError)?.code == .locked
            }
            first = nil
            #expect(try StoreLock.acquire(forStore: store).path == store + ".lock", "released with its holder")
        }
    }

    @Test("a read-only open of a missing store fails naming the path and creates nothing")
    func readOnlyCreatesNothing() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("missing/nurture.sqlite").path
            #expect {
                _ = try SQLiteStore(path: path, access: .readOnly)
            } throws: { error in
                "\(error)".contains("no store at \(path)") && (error as? StoreError)?.code == .unavailable
            }
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("missing").path))
        }
    }

    @Test("a read-only store reads what the writer committed and refuses to write")
    func readOnlyReadsAndRefusesWrites() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nurture.sqlite").path
            let writer = try SQLiteStore(path: path)
            try await writer.saveLead(Lead(email: try EmailAddress("ana@example.com")), at: Self.t0)
            let reader = try SQLiteStore(path: path, access: .readOnly)
            #expect(try await reader.leadCount() == 1)
            try await writer.saveLead(Lead(email: try EmailAddress("ben@example.com")), at: Self.t0)
            #expect(try await reader.leadCount() == 2, "sees the writer's later commits")
            await #expect {
                try await reader.saveLead(Lead(email: try EmailAddress("cy@example.com")), at: Self.t0)
            } throws: { error in
                (error as? StoreError)?.code == .readOnly
            }
        }
    }

    @Test("a database file removed or replaced under an open store is a problem naming the path")
    func removedOrReplaced() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nurture.sqlite").path
            let store = try SQLiteStore(path: path)
            #expect(store.fileProblem() == nil)
            try await store.probeWrite(at: Self.t0)
            try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
            #expect(store.fileProblem()?.message.contains("\(path) was removed") == true)
            await #expect(throws: StoreError.self) { try await store.probeWrite(at: Self.t0) }
            try FileManager.default.copyItem(atPath: path + ".moved", toPath: path)
            #expect(store.fileProblem()?.message.contains("\(path) was replaced") == true)
            #expect(store.fileProblem()?.code == .replaced)
        }
    }

    @Test("a writing open refuses to create a database beside an orphaned write-ahead log")
    func noNewFileBesideOrphanedWAL() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nurture.sqlite").path
            _ = FileManager.default.createFile(atPath: path + "-wal", contents: Data([1, 2, 3]))
            #expect {
                _ = try SQLiteStore(path: path)
            } throws: { error in
                "\(error)".contains("is missing but \(path)-wal is there")
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            let wal = try Data(contentsOf: URL(fileURLWithPath: path + "-wal"))
            #expect(wal == Data([1, 2, 3]), "the log is left as it was")
        }
    }
}
