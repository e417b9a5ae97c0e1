import NurtureSMTP
import Synchronization

/// One transport per distinct relay setting (the marketing relay, a salesperson's own relay), opened lazily.
final class TransportPool: Sendable {
    private let make: @Sendable (RelayConfiguration) -> any MessageTransport
    private let open = Mutex<[(RelayConfiguration, any MessageTransport)]>([])

    init(make: @escaping @Sendable (RelayConfiguration) -> any MessageTransport) {
        self.make = make
    }

    /// The transport for `relay`, opened on first use.
    func transport(for relay: RelayConfiguration) -> any MessageTransport {
        open.withLock { open in
            if let found = open.first(where: { $0.0 == relay }) { return found.1 }
            let transport = make(relay)
            open.append((relay, transport))
            return transport
        }
    }

    /// Closes every transport opened so far.
    func shutdown() async {
        let all = open.withLock { open in
            defer { open.removeAll() }
            return open.map(\.1)
        }
        for transport in all { await transport.shutdown() }
    }
}
