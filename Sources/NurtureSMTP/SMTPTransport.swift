import Dispatch
import NurtureCore
import Synchronization

/// Delivers composed messages to the configured relay through libcurl, over a pool of connections that
/// stay open between messages.
///
/// Each message is one SMTP transaction with one recipient. At most ``RelayConfiguration/poolSize``
/// transfers run at once; callers beyond that wait for a free connection. Blocking libcurl calls run on
/// each connection's own serial dispatch queue, never on Swift's cooperative thread pool.
package final class SMTPTransport: Sendable {
    /// The settings this transport was made with (the password prints as `<redacted>`).
    package let configuration: RelayConfiguration
    private let connections: [SMTPConnection]
    private let pool: Mutex<PoolState>

    private struct PoolState: ~Copyable {
        var free: [Int]
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Int?, Never>)] = []
        var nextWaiter: UInt64 = 0
        var closed = false
    }

    /// Prepares the pool; no connection is opened until the first message.
    /// - Throws: ``TransportError`` when libcurl cannot start or the settings are unusable.
    package init(configuration: RelayConfiguration) throws(TransportError) {
        guard CurlRuntime.isInitialized else { throw .libcurlUnavailable }
        guard (1...64).contains(configuration.poolSize) else {
            throw .invalidSetting(
                field: "pool_size", problem: "must be between 1 and 64, not \(configuration.poolSize)")
        }
        guard (1...65535).contains(configuration.port) else {
            throw .invalidSetting(field: "port", problem: "must be between 1 and 65535, not \(configuration.port)")
        }
        guard !configuration.host.isEmpty, !configuration.host.contains(where: { $0.isWhitespace || $0 == "/" }) else {
            throw .invalidSetting(field: "host", problem: "\(configuration.host.debugDescription) is not a host name")
        }
        if configuration.username != nil, configuration.password == nil {
            throw .invalidSetting(field: "password", problem: "a username is set but no password file or credential")
        }
        self.configuration = configuration
        self.connections = (0..<configuration.poolSize).map { SMTPConnection(configuration: configuration, index: $0) }
        self.pool = Mutex(PoolState(free: Array((0..<configuration.poolSize).reversed())))
    }

    /// The libcurl in use, e.g. `libcurl/7.88.1 OpenSSL/3.0.17 zlib/1.2.13`.
    package static var libcurlVersion: String { CurlRuntime.versionText }

    /// Sends one composed message (RFC 5322 bytes with CRLF line endings) in one SMTP transaction.
    /// Never throws: every failure is a classified ``DeliveryOutcome``.
    package func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome {
        await send(message, envelope: envelope, beforeBody: nil)
    }

    /// Sends one message like ``send(_:envelope:)``, calling `beforeBody` on the connection's thread right before
    /// the first byte of the body goes out (the relay has answered `DATA` with `354`), at most once. When it
    /// returns `false` the transfer stops there, nothing of the body is sent, and the outcome is `deferred`.
    /// A transfer refused before `DATA` never calls it.
    package func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: (@Sendable () -> Bool)?
    ) async -> DeliveryOutcome {
        guard let index = await checkOut() else {
            let detail =
                Task.isCancelled ? "cancelled while waiting for a free connection" : "transport is shut down"
            return DeliveryOutcome(kind: .deferred, reply: nil, transportDetail: detail)
        }
        let connection = connections[index]
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<DeliveryOutcome, Never>) in
            connection.queue.async {
                continuation.resume(
                    returning: connection.send(envelope: envelope, message: message, beforeBody: beforeBody))
            }
        }
        checkIn(index)
        return outcome
    }

    /// How many TCP connections have been opened so far, over all slots.
    package func connectionsOpened() async -> Int {
        var total = 0
        for connection in connections {
            total += await withCheckedContinuation { continuation in
                connection.queue.async { continuation.resume(returning: connection.handlesCreated) }
            }
        }
        return total
    }

    /// Waits for running transfers, then closes every connection (QUIT). Later sends return `deferred`.
    package func shutdown() async {
        pool.withLock { $0.closed = true }
        for connection in connections {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                connection.queue.async {
                    connection.close()
                    continuation.resume()
                }
            }
        }
        let waiters = pool.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(returning: nil) }
    }

    /// A free connection's index, waiting while all are busy; `nil` once the transport is shut down, or when the
    /// task is cancelled while it waits (nothing was sent then).
    func checkOut() async -> Int? {
        let id = pool.withLock { state in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
                let immediate: Int?? = pool.withLock { state in
                    // Cancellation is checked under the lock: one after this finds the waiter registered below.
                    if state.closed || Task.isCancelled { return .some(nil) }
                    if let index = state.free.popLast() { return .some(index) }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = pool.withLock { state -> CheckedContinuation<Int?, Never>? in
                guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: position).continuation
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Gives a connection back: to the longest waiter, else to the free list.
    func checkIn(_ index: Int) {
        let waiter: CheckedContinuation<Int?, Never>? = pool.withLock { state in
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.free.append(index)
            return nil
        }
        waiter?.resume(returning: index)
    }

    /// How many connections are free now (tests).
    var freeConnections: Int { pool.withLock { $0.free.count } }
}

/// Why a transport could not be set up.
package enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `curl_global_init` failed.
    case libcurlUnavailable
    /// A relay setting is out of range or inconsistent.
    case invalidSetting(field: String, problem: String)

    /// One sentence with the fix.
    package var description: String {
        switch self {
        case .libcurlUnavailable:
            return "libcurl could not be initialised; check that libcurl4 (OpenSSL flavour) is installed"
        case .invalidSetting(let field, let problem):
            return "relay setting '\(field)' \(problem); fix it in the configuration"
        }
    }
}
