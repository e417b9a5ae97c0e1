import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSMTP
import NurtureSQLite
import NurtureTemplates
import Synchronization
import Testing

/// A scheduler on a virtual clock over a real SQLite store, the shipped configuration and templates, and a
/// scripted transport: scheduling tests cover days without sleeping.
final class SchedulerFixture: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    let clock: VirtualClock
    let store: SQLiteStore
    let transport: ScriptedTransport
    let scheduler: Scheduler
    let configuration: NurtureConfiguration
    let directory: URL
    let events = EventLog()
    /// The transfer journal beside the store, when the fixture was made `journaled`.
    let journal: TransferJournal?
    private let builder: MessageBuilder

    /// - Parameters:
    ///   - start: the virtual time the test begins at.
    ///   - policy: adjusts the scheduling policy (jitter is off unless set).
    ///   - options: the loop's options (a pool of two connections unless set).
    ///   - journaled: with a transfer journal beside the store (reset, as the daemon does at start-up).
    ///   - configure: adjusts the shipped configuration (e.g. sets `inbound`).
    ///   - relay: when set, a real transport for the relay settings it returns (a loopback test peer) instead
    ///     of the scripted one.
    init(
        start: Date, options: Scheduler.Options = Scheduler.Options(concurrency: 2),
        policy adjust: (inout SchedulingPolicy) -> Void = { _ in },
        relay: (@Sendable (RelayConfiguration) -> RelayConfiguration)? = nil, journaled: Bool = false,
        configure: (inout NurtureConfiguration) -> Void = { _ in }
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var loaded = try ConfigurationLoader().load(
            file: Self.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        configure(&loaded)
        configuration = loaded
        let library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        var policy = SchedulingPolicy()
        policy.salesJitter = .none
        adjust(&policy)
        clock = VirtualClock(start: start)
        store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
        builder = MessageBuilder(configuration: configuration, library: library)
        journal = journaled ? try Self.journal(for: store) : nil
        _ = journal?.reset()
        transport = ScriptedTransport()
        let transport = self.transport
        let events = self.events
        scheduler = Scheduler(
            store: store,
            runtime: Scheduler.Runtime(
                configuration: configuration, builder: MessageBuilder(configuration: configuration, library: library),
                policy: policy),
            clock: clock, timer: clock, options: options,
            makeTransport: { configuration in
                guard let relay else { return transport }
                do {
                    return try SMTPTransport(configuration: relay(configuration))
                } catch {
                    return ScriptedTransport()
                }
            },
            emit: { event in
                let text: String
                switch event {
                case .recorded(let entry):
                    text = "\(entry.leadEmail) \(entry.step) \(entry.state) \(entry.detail ?? "")"
                case .notice(let line), .warning(let line), .error(let line): text = line
                case .transferred: return
                }
                events.lines.withLock { $0.append(text) }
            }, journal: journal)
    }

    /// A journal over `store`'s file, as `nurture run` opens it.
    static func journal(for store: SQLiteStore) throws -> TransferJournal {
        let identity = try #require(TransferJournal.Identity.current(storePath: store.path))
        return TransferJournal(path: TransferJournal.path(forStore: store.path), identity: identity) {
            try? store.inFlightSendIDsBlocking()
        }
    }

    /// The next start after a crash: a new store connection, journal and scheduler over the same files, with
    /// `policy` (jitter off). Call ``Scheduler/recover()`` on it.
    func restart(
        options: Scheduler.Options = Scheduler.Options(concurrency: 2),
        policy adjust: (inout SchedulingPolicy) -> Void = { _ in }, journaled: Bool = true,
        transport: ScriptedTransport? = nil
    ) throws -> Scheduler {
        var policy = SchedulingPolicy()
        policy.salesJitter = .none
        adjust(&policy)
        let store = try SQLiteStore(path: self.store.path)
        let (transport, events) = (transport ?? self.transport, events)
        return Scheduler(
            store: store,
            runtime: Scheduler.Runtime(configuration: configuration, builder: builder, policy: policy),
            clock: clock, timer: clock, options: options, makeTransport: { _ in transport },
            emit: { event in
                switch event {
                case .recorded(let entry):
                    events.lines.withLock {
                        $0.append("\(entry.leadEmail) \(entry.step) \(entry.state) \(entry.detail ?? "")")
                    }
                case .notice(let line), .warning(let line), .error(let line): events.lines.withLock { $0.append(line) }
                case .transferred: return
                }
            }, journal: journaled ? try Self.journal(for: store) : nil)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Adds a lead the way `nurture leads add` does.
    @discardableResult
    func add(_ email: String, stage: Stage = .subscriber, owner: String? = nil, timeZone: String = "America/New_York")
        async throws -> Lead
    {
        let lead = Lead(
            email: try EmailAddress(email), firstName: "Test", lastName: "Lead", company: "Example Co",
            title: "Buyer", timeZone: timeZone, stage: stage, source: .inbound, owner: owner)
        return try await LeadService(store: store, configuration: configuration).upsert(lead, at: clock.now()).lead
    }

    /// Moves the clock and runs one scheduler pass (plan, then send everything due).
    func advance(by duration: Duration) async {
        clock.advance(by: duration)
        await scheduler.pass()
    }

    func sends(_ email: String) async throws -> [PlannedSend] {
        try await store.sends(for: try EmailAddress(email))
    }
}

/// Returns scripted outcomes in order (then `accepted`), and records what was sent.
final class ScriptedTransport: MessageTransport {
    struct Sent: Sendable {
        var recipient: String
        var messageID: String
    }

    private let state = Mutex<(script: [DeliveryOutcome], sent: [Sent])>(([], []))
    private let concurrency = Mutex<(now: Int, most: Int)>((0, 0))
    /// Open unless a test closes it: every transfer passes through it first.
    let gate = TransferGate()

    /// The most transfers that ran at the same time.
    var mostAtOnce: Int { concurrency.withLock { $0.most } }

    /// The next outcomes, by kind, with typical replies (451, 550 5.1.1, lost connection, login failed).
    func script(_ kinds: [DeliveryOutcome.Kind]) { script(outcomes: kinds.map(Self.outcome)) }

    func script(outcomes: [DeliveryOutcome]) { state.withLock { $0.script = outcomes } }

    var sent: [Sent] { state.withLock { $0.sent } }

    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome {
        concurrency.withLock { state in
            state.now += 1
            state.most = max(state.most, state.now)
        }
        await gate.pass()
        await Task.yield()
        concurrency.withLock { $0.now -= 1 }
        let text = String(decoding: message, as: UTF8.self)
        let messageID =
            text.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("message-id:") }?
            .dropFirst(11).trimmingCharacters(in: .whitespaces) ?? ""
        return state.withLock { state -> DeliveryOutcome in
            state.sent.append(Sent(recipient: envelope.recipient.description, messageID: messageID))
            return state.script.isEmpty ? Self.outcome(.accepted) : state.script.removeFirst()
        }
    }

    static func outcome(_ kind: DeliveryOutcome.Kind) -> DeliveryOutcome {
        switch kind {
        case .accepted: return DeliveryOutcome(kind: .accepted, reply: SMTPReply(code: 250, text: "Ok: queued"))
        case .deferred: return DeliveryOutcome(kind: .deferred, reply: SMTPReply(code: 451, text: "try later"))
        case .failed:
            return DeliveryOutcome(
                kind: .failed, reply: SMTPReply(code: 550, enhancedCode: "5.1.1", text: "no such user"),
                phase: .rcptTo)
        case .unknown: return DeliveryOutcome(kind: .unknown, reply: nil, transportDetail: "connection lost")
        case .configurationError:
            return DeliveryOutcome(kind: .configurationError, reply: nil, transportDetail: "login failed")
        }
    }

    func shutdown() async {}
}

/// Holds transfers while closed, so a test can look at the store with sends in flight.
final class TransferGate: Sendable {
    private struct State {
        var closed = false
        var held: [CheckedContinuation<Void, Never>] = []
        var watcher: (count: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    func close() { state.withLock { $0.closed = true } }

    /// Opens the gate and lets every held transfer go.
    func open() {
        let held = state.withLock { state in
            state.closed = false
            defer { state.held.removeAll() }
            return state.held
        }
        for transfer in held { transfer.resume() }
    }

    /// Called by the transport: returns at once while open, else when opened.
    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (go, wake) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard state.closed else { return (true, nil) }
                state.held.append(continuation)
                guard let watcher = state.watcher, state.held.count >= watcher.count else { return (false, nil) }
                state.watcher = nil
                return (false, watcher.continuation)
            }
            wake?.resume()
            if go { continuation.resume() }
        }
    }

    /// Returns once `count` transfers are held at the closed gate.
    func waitUntilHolding(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.held.count >= count { return true }
                state.watcher = (count, continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

extension Date {
    /// A moment given as ISO 8601, for readable tests.
    static func at(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? .distantPast
    }
}

/// What the scheduler emitted, for assertions and failure messages.
final class EventLog: Sendable {
    let lines = Mutex<[String]>([])
}
