#if PostgreSQL
    package import NurtureCore

    // Placeholder of the contract commit: sendContexts reads leads, enrollments and suppressions in one snapshot
    // with their row decoders. This file is deleted when it is written.
    extension PostgresStore {
        package func sendContexts(_ keys: [SendContext.Key]) async throws(StoreError) -> [SendContext] {
            throw StoreError(.unavailable, "PostgresStore.sendContexts is not written yet")
        }
    }
#endif
