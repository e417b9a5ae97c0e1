import NurtureCore
import Testing

/// The store error codes: stable names (log lines and exit paths carry them) and which are faults (the daemon
/// backs off and keeps the work) — a table, one row per code.
@Suite struct StoreErrorTests {
    @Test(
        "each code has a stable name and says whether it is a fault",
        arguments: [
            (StoreError.Code.busy, "busy", true), (.unavailable, "unavailable", true), (.corrupt, "corrupt", true),
            (.constraint, "constraint", false), (.notFound, "not-found", false), (.io, "io", true),
            (.full, "full", true), (.readOnly, "read-only", true), (.replaced, "replaced", true),
            (.locked, "locked", false), (.incompatible, "incompatible", false), (.cancelled, "cancelled", false),
            (.failed, "failed", false),
        ])
    func codes(_ code: StoreError.Code, _ name: String, _ isFault: Bool) {
        #expect(code.description == name)
        #expect(code.isFault == isFault)
        #expect(StoreError(code, "m").isFault == isFault)
    }

    @Test("every code is listed once, and an error without a code is `failed` with its prose")
    func allCodes() {
        #expect(Set(StoreError.Code.all.map(\.description)).count == StoreError.Code.all.count)
        #expect(StoreError.Code.all.count == 13)
        let error = StoreError("the round-robin cursor cannot be encoded")
        #expect(error.code == .failed)
        #expect(error.description == "the round-robin cursor cannot be encoded")
    }
}
