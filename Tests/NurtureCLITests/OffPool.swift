import Foundation

/// Runs blocking work (sockets, child processes) on a Dispatch thread and waits for it without holding one
/// of the few threads of Swift's cooperative pool: other suites' async waits keep running meanwhile.
/// Expectations belong after it returns (the Dispatch thread is outside the test's task).
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
