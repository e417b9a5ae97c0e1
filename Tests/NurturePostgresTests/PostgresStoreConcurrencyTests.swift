#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurturePostgres
    import NurtureTestSupport
    import Testing

    /// Lead-side writes from several daemons at once on one database: what SQLite's single writer gave for free.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct PostgresStoreConcurrencyTests {
        static let t0 = StoreContract.t0

        /// Three migrated stores (three daemons) on one fresh database.
        static func stores(_ label: String) async throws -> [PostgresStore] {
            let settings = try PostgresPeer.freshDatabase(label)
            let stores = try (1...3).map { number in
                try PostgresStore.started(
                    settings, instance: .current(host: "daemon\(number)", pid: 1, at: t0),
                    logger: Logger(label: "concurrency"))
            }
            try await stores[0].migrate()
            return stores
        }

        @Test func daemonsEnrollingOneLeadTogetherLeaveOneActiveEnrollment() async throws {
            let stores = try await Self.stores("enrolltogether")
            let lead = try EmailAddress("ana@example.com")
            try await stores[0].saveLeads([Lead(email: lead)], at: Self.t0)
            let records = try await withThrowingTaskGroup(of: [EnrollmentRecord].self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        var records: [EnrollmentRecord] = []
                        for round in 0..<10 {
                            records += try await store.enrollAll(
                                [EnrollmentRequest(email: lead, sequence: "s\(index)-\(round)")], at: Self.t0,
                                endingOthers: .stageChanged)
                        }
                        return records
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let enrollments = try await stores[0].enrollments(for: lead)
            for store in stores { await store.shutdown() }
            #expect(records.count == 30)
            #expect(enrollments.count == 30)
            #expect(enrollments.filter(\.isActive).count == 1)
            #expect(enrollments.filter { !$0.isActive }.allSatisfy { $0.endReason == .stageChanged })
        }

        @Test func daemonsImportingTheSameLeadsTogetherCountEachNewLeadOnce() async throws {
            let stores = try await Self.stores("importtogether")
            let leads = try (0..<3000).map { NewLead(lead: Lead(email: try EmailAddress("lead\($0)@example.com"))) }
            let created = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores {
                    group.addTask {
                        try await store.createLeads(leads, cursor: nil, keying: StoreContract.keying, at: Self.t0)
                    }
                }
                return try await group.reduce(0, +)
            }
            let count = try await stores[0].leadCount()
            for store in stores { await store.shutdown() }
            #expect(created == 3000)
            #expect(count == 3000)
        }
    }
#endif
