import Testing

/// Waits until `condition` holds, checking every millisecond for at most 5 s; records an issue when it never does.
package func eventually(_ condition: () async throws -> Bool) async throws {
    for _ in 0..<5000 {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("condition not met within 5 s")
}
