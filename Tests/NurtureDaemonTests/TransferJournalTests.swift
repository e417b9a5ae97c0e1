import Foundation
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import Synchronization
import Testing

/// The transfer journal on real files: what it writes is what the next start reads, and it trusts only itself.
@Suite struct TransferJournalTests {
    /// A directory with a store file (any file: the journal names its device and inode).
    final class Place {
        let directory: URL
        let store: String
        var journalPath: String { TransferJournal.path(forStore: store) }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-journal-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = directory.appendingPathComponent("nurture.sqlite").path
            #expect(FileManager.default.createFile(atPath: store, contents: Data("store".utf8)))
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func journal(
            identity: TransferJournal.Identity? = nil, rotationRecords: Int = 8192,
            inFlight: @escaping @Sendable () -> Set<Int64>? = { [] }
        ) throws -> TransferJournal {
            let identity = try identity ?? #require(TransferJournal.Identity.current(storePath: store))
            return TransferJournal(
                path: journalPath, identity: identity, rotationRecords: rotationRecords, inFlight: inFlight)
        }
    }

    static let at = Date(timeIntervalSince1970: 1_790_000_000)

    static func send(_ id: Int64, attempts: Int = 0) -> PlannedSend {
        PlannedSend(
            id: id, enrollmentID: id, leadEmail: try! EmailAddress("j\(id)@example.com"), sequence: "s", step: "a",
            stepNumber: 1, track: .marketing, dueAt: at, nextAttemptAt: at, state: .inFlight, attempts: attempts,
            messageID: "<\(id)@example.com>", createdAt: at, updatedAt: at)
    }

    @Test("records survive the process: a new journal object reads started and replied per send and attempt")
    func roundTrip() throws {
        let place = try Place()
        let writer = try place.journal()
        #expect(!writer.started(sendID: 1, attempt: 1, at: Self.at), "no transfer before the journal is reset")
        #expect(writer.reset() == .ready)
        let accepted = DeliveryOutcome(
            kind: .accepted, reply: SMTPReply(code: 250, enhancedCode: "2.0.0", text: "Ok: queued as Q1"))
        let refused = DeliveryOutcome(
            kind: .failed, reply: SMTPReply(code: 550, enhancedCode: "5.1.1", text: "No such user"),
            transportDetail: "curl 55: Failed sending data to the peer")
        #expect(writer.started(sendID: 1, attempt: 1, at: Self.at))
        #expect(writer.replied(sendID: 1, attempt: 1, outcome: accepted, at: Self.at))
        #expect(writer.started(sendID: 2, attempt: 3, at: Self.at))
        #expect(writer.replied(sendID: 3, attempt: 1, outcome: refused, at: Self.at))
        #expect(writer.started(sendID: 4, attempt: 1, at: Self.at))

        let contents = try place.journal().load()
        #expect(contents.standing == .trusted)
        #expect(contents.evidence(for: Self.send(1)) == .replied(accepted))
        #expect(contents.evidence(for: Self.send(2, attempts: 2)) == .started)
        #expect(contents.evidence(for: Self.send(2, attempts: 0)) == .none, "an earlier attempt's records do not count")
        #expect(contents.evidence(for: Self.send(3)) == .replied(refused))
        #expect(contents.evidence(for: Self.send(4)) == .started)
        #expect(contents.evidence(for: Self.send(5)) == .none)
        let size = try FileManager.default.attributesOfItem(atPath: place.journalPath)[.size] as? Int
        #expect(size == 128 + 5 * 256, "one fixed-size record per event")
    }

    @Test("a reply text longer than a record holds is cut, never spills into the next record")
    func longReplyIsCut() throws {
        let place = try Place()
        let writer = try place.journal()
        #expect(writer.reset() == .ready)
        let long = DeliveryOutcome(
            kind: .deferred, reply: SMTPReply(code: 451, text: String(repeating: "é", count: 400)),
            transportDetail: String(repeating: "x", count: 300))
        #expect(writer.replied(sendID: 7, attempt: 1, outcome: long, at: Self.at))
        #expect(writer.started(sendID: 8, attempt: 1, at: Self.at))
        let contents = try place.journal().load()
        #expect(contents.standing == .trusted)
        guard case .replied(let outcome) = contents.evidence(for: Self.send(7)) else {
            Issue.record("no reply read back")
            return
        }
        #expect(outcome.kind == .deferred)
        #expect(outcome.reply?.code == 451)
        #expect((outcome.reply?.text.utf8.count ?? 0) <= 120)
        #expect(contents.evidence(for: Self.send(8)) == .started)
    }

    @Test("a journal from another boot, another store, a damaged one or none at all is not trusted")
    func trustsOnlyItsOwnBootAndStore() throws {
        let place = try Place()
        #expect(try place.journal().load().standing == .missing)
        let identity = try #require(TransferJournal.Identity.current(storePath: place.store))

        var otherBoot = identity
        otherBoot.bootID = UUID().uuidString.lowercased()
        let before = try place.journal(identity: otherBoot)
        #expect(before.reset() == .ready)
        #expect(before.started(sendID: 1, attempt: 1, at: Self.at))
        #expect(try place.journal().load().standing == .otherBoot)

        var otherStore = identity
        otherStore.storeInode &+= 1
        #expect(try place.journal(identity: otherStore).reset() == .ready)
        #expect(try place.journal().load().standing == .otherStore)

        let mine = try place.journal()
        #expect(mine.reset() == .ready)
        #expect(mine.started(sendID: 1, attempt: 1, at: Self.at))
        #expect(try place.journal().load().standing == .trusted)
        // A flipped byte in a record, then a record cut short: neither can come from a process crash.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: place.journalPath)))
        bytes[128 + 10] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: place.journalPath))
        #expect(try place.journal().load().standing == .damaged)
        bytes[128 + 10] ^= 0xFF
        try Data(bytes.dropLast(3)).write(to: URL(fileURLWithPath: place.journalPath))
        #expect(try place.journal().load().standing == .damaged)
    }

    @Test("a full journal is rewritten with only the records of sends still in flight")
    func rotationKeepsWhatIsInFlight() throws {
        let place = try Place()
        let stillInFlight = Mutex<Set<Int64>>([])
        let writer = try place.journal(rotationRecords: 16) { stillInFlight.withLock { $0 } }
        #expect(writer.reset() == .ready)
        let accepted = DeliveryOutcome(kind: .accepted, reply: SMTPReply(code: 250, text: "Ok"))
        // Send 1 started long ago and still waits for its reply; sends 2... come and go.
        stillInFlight.withLock { $0 = [1] }
        #expect(writer.started(sendID: 1, attempt: 1, at: Self.at))
        for id in Int64(2)..<40 {
            stillInFlight.withLock { _ = $0.insert(id) }
            #expect(writer.started(sendID: id, attempt: 1, at: Self.at))
            #expect(writer.replied(sendID: id, attempt: 1, outcome: accepted, at: Self.at))
            stillInFlight.withLock { _ = $0.remove(id) }
        }
        let contents = try place.journal().load()
        #expect(contents.standing == .trusted)
        #expect(contents.evidence(for: Self.send(1)) == .started, "the long transfer's record was carried over")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: place.journalPath)[.size] as? Int)
        #expect(size < 128 + 16 * 256, "the file was rewritten, not grown: \(size) bytes")
    }

    @Test("reset after a crash leaves an empty journal for this run")
    func resetStartsAfresh() throws {
        let place = try Place()
        let first = try place.journal()
        #expect(first.reset() == .ready)
        #expect(first.started(sendID: 1, attempt: 1, at: Self.at))
        let second = try place.journal()
        #expect(second.load().evidence(for: Self.send(1)) == .started)
        #expect(second.reset() == .ready)
        #expect(try place.journal().load().evidence(for: Self.send(1)) == .none)
    }
}
