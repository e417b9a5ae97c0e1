import Dispatch

/// Runs blocking store calls on one serial queue, off Hummingbird's event loops and the cooperative pool.
///
/// SQLite takes one writer at a time anyway; a serial queue keeps API writes in arrival order.
final class StoreWork: Sendable {
    private let queue = DispatchQueue(label: "nurture.http.store", qos: .userInitiated)

    /// The value of `work`, computed on the store queue.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
