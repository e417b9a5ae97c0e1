package import Foundation
package import NurtureCore
package import NurtureSMTP
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The facts that let the daemon tell, after a crash, which sends claimed `in-flight` ever reached the relay:
/// a small append-only file beside the store with one fixed-size record per event, `started` right before the
/// first byte of a message body goes out and `replied` right after the transfer's outcome is known.
///
/// Each record is one `write(2)` and never synced to disk: a process crash (SIGKILL, abort) keeps every record
/// written, because the page cache outlives the process; a power loss or kernel crash may lose the newest ones,
/// so the header names the boot and the store file, and a journal from another boot is not trusted (every
/// in-flight send is then `unknown`, as without a journal). See ``InFlightRecovery``.
///
/// The file is rewritten from scratch at each start (after recovery) and when it grows past
/// ``rotationRecords`` records: the records of sends still in flight in the store are carried over.
package final class TransferJournal: Sendable {
    /// The file's path: the store's path with `-transfers` appended.
    package let path: String
    private let identity: Identity
    private let inFlight: @Sendable () -> Set<Int64>?
    private let rotationRecords: Int
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var mode = Mode.notReset
        var descriptor: Int32 = -1
        /// The records in the current file, by send (carried into the next file while their send is in flight).
        var records: [(sendID: Int64, bytes: [UInt8])] = []
    }

    /// What the journal found at start-up says about the sends in flight.
    package struct Contents: Sendable {
        package var standing: JournalStanding
        /// The newest evidence per send and attempt (empty unless trusted).
        var evidence: [Key: TransferEvidence<DeliveryOutcome>]

        /// What the journal says about `send`'s current attempt (`attempts` + 1).
        package func evidence(for send: PlannedSend) -> TransferEvidence<DeliveryOutcome> {
            evidence[Key(sendID: send.id, attempt: send.attempts + 1)] ?? .none
        }
    }

    private enum Mode {
        /// Before ``reset()``: a transfer must not start (the old journal would not show it).
        case notReset
        /// Appending to the file.
        case open
        /// No journal could be written and no old one is left: transfers go on, unrecorded; after a crash every
        /// send in flight is `unknown` (the journal is missing).
        case disabled
    }

    /// What ``reset()`` achieved.
    package enum ResetResult: Sendable, Equatable {
        /// A fresh journal records this run's transfers.
        case ready
        /// No journal could be written, and none is left behind: this run's transfers are not journaled, so after a
        /// crash every send in flight is `unknown` (today's conservative recovery).
        case disabled(problem: String)
        /// No journal could be written and the old one could not be removed either: the daemon must not send, or
        /// a crash would leave a journal that wrongly shows transfers as never started.
        case stale(problem: String)
    }

    struct Key: Hashable, Sendable {
        var sendID: Int64
        var attempt: Int
    }

    /// The journal file for the store at `storePath`.
    package static func path(forStore storePath: String) -> String { storePath + "-transfers" }

    /// - Parameters:
    ///   - inFlight: the ids of the sends in flight in the store now (`nil` when the store cannot tell): a
    ///     rotation keeps their records.
    ///   - rotationRecords: how many records a file holds before it is rewritten with only those still needed.
    package init(
        path: String, identity: Identity, rotationRecords: Int = 8192,
        inFlight: @escaping @Sendable () -> Set<Int64>?
    ) {
        self.path = path
        self.identity = identity
        self.rotationRecords = max(16, rotationRecords)
        self.inFlight = inFlight
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 { close(state.descriptor) }
        }
    }

    /// Reads the journal a stopped daemon left. Call before ``reset()``.
    package func load() -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents(standing: .missing, evidence: [:]) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Contents(standing: .damaged, evidence: [:])
        }
        let bytes = [UInt8](data)
        guard bytes.count >= Format.headerSize, let found = Format.identity(bytes[0..<Format.headerSize]) else {
            return Contents(standing: .damaged, evidence: [:])
        }
        guard found.bootID == identity.bootID else { return Contents(standing: .otherBoot, evidence: [:]) }
        guard found.storeDevice == identity.storeDevice, found.storeInode == identity.storeInode else {
            return Contents(standing: .otherStore, evidence: [:])
        }
        // A process crash never tears a record (each is one write(2) into the page cache): a partial one means
        // something else happened to the file.
        guard (bytes.count - Format.headerSize) % Format.recordSize == 0 else {
            return Contents(standing: .damaged, evidence: [:])
        }
        var evidence: [Key: TransferEvidence<DeliveryOutcome>] = [:]
        var offset = Format.headerSize
        while offset < bytes.count {
            guard let record = Format.decode(bytes[offset..<(offset + Format.recordSize)]) else {
                return Contents(standing: .damaged, evidence: [:])
            }
            let key = Key(sendID: record.sendID, attempt: record.attempt)
            switch record.event {
            case .started:
                if evidence[key] == nil { evidence[key] = .started }
            case .replied(let outcome):
                evidence[key] = .replied(outcome)
            }
            offset += Format.recordSize
        }
        return Contents(standing: .trusted, evidence: evidence)
    }

    /// Starts a fresh, empty journal for this boot and store (after recovery recorded what the old one said).
    /// When that fails, removes the old file and runs without a journal; when even that fails, says so (the caller
    /// must not send).
    package func reset() -> ResetResult {
        state.withLock { state in
            do {
                try replaceFile(with: [], in: &state)
                state.mode = .open
                return .ready
            } catch {
                if unlink(path) == 0 || errno == ENOENT {
                    state.mode = .disabled
                    return .disabled(problem: "\(error)")
                }
                let removal = JournalError(path: path, operation: "remove", errno: errno)
                return .stale(problem: "\(error); \(removal)")
            }
        }
    }

    /// Records that the body of `send`'s attempt is about to go out. Called on the connection's thread right
    /// before the first body byte.
    /// - Returns: `false` when the record could not be written: the transfer must then stop before the body.
    package func started(sendID: Int64, attempt: Int, at: Date) -> Bool {
        append(Record(sendID: sendID, attempt: attempt, event: .started, at: Self.milliseconds(at)))
    }

    /// Records the outcome of `send`'s attempt, before it is committed to the store. A failure to write is
    /// harmless: after a crash the send is `unknown` (or, without a body, waiting again) instead of resolved.
    @discardableResult
    package func replied(sendID: Int64, attempt: Int, outcome: DeliveryOutcome, at: Date) -> Bool {
        append(Record(sendID: sendID, attempt: attempt, event: .replied(outcome), at: Self.milliseconds(at)))
    }

    private func append(_ record: Record) -> Bool {
        let bytes = Format.encode(record)
        return state.withLock { state in
            switch state.mode {
            case .notReset: return false
            case .disabled: return true
            case .open: break
            }
            let written = bytes.withUnsafeBytes { write(state.descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count else { return false }
            state.records.append((record.sendID, bytes))
            if state.records.count >= rotationRecords { rotate(&state) }
            return true
        }
    }

    /// Rewrites the file with the records of sends still in flight; on any failure keeps appending to the
    /// current file (it only grows).
    private func rotate(_ state: inout State) {
        guard let keep = inFlight() else { return }
        let kept = state.records.filter { keep.contains($0.sendID) }
        do {
            try replaceFile(with: kept, in: &state)
        } catch {
            return
        }
    }

    /// Writes header and `records` to a new file and renames it over ``path`` (atomic: a crash leaves the old
    /// file or the new one), then appends to it.
    private func replaceFile(with records: [(sendID: Int64, bytes: [UInt8])], in state: inout State)
        throws(JournalError)
    {
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: temporary, operation: "create", errno: errno) }
        var content = Format.header(identity)
        for record in records { content += record.bytes }
        let written = content.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == content.count else {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw JournalError(path: temporary, operation: "write", errno: code)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw JournalError(path: path, operation: "rename \(temporary) to", errno: code)
        }
        if state.descriptor >= 0 { close(state.descriptor) }
        state.descriptor = descriptor
        state.records = records
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// The transfer journal could not be written.
package struct JournalError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var operation: String
    package var errno: Int32

    package var description: String {
        "transfer journal \(path): cannot \(operation) it: \(String(cString: strerror(errno))); check the state"
            + " directory's free space and permissions"
    }
}
