#if PostgreSQL
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Placeholder of the contract commit: the store contract against PostgreSQL is written with the store.
    @Suite struct PostgresStoreContractTests {
        @Test func theSchemaVersionIsKnown() {
            #expect(PostgresStore.schemaVersion >= 1)
        }
    }
#endif
