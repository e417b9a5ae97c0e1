import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite
import Testing

/// The batch import must leave the store exactly as saving the same rows one by one through ``LeadService``.
@Suite struct LeadImporterTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Rows covering every path: new leads in each stage and source, auto-qualification, round-robin owners,
    /// an unknown owner, unsubscribed, a bad address, a lead repeated in the same batch (other letter case)
    /// and in a later batch, a change of stage for a lead created earlier in the file, and an address
    /// written between Unicode spaces.
    static let rows: [[String: String]] = [
        ["email": "ann@example.com", "stage": "lead", "first_name": "Ann"],
        ["email": "bob@example.com", "stage": "sales-qualified", "source": "inbound"],
        [
            "email": "cy@example.com", "stage": "lead", "vision": "yes", "budget": "yes", "need": "yes",
            "authority": "yes", "timeframe": "yes",
        ],
        ["email": "ANN@example.com", "stage": "marketing-qualified", "industry": "retail"],
        ["email": "dee@example.com", "stage": "sales-qualified", "source": "outbound"],
        ["email": "eve@example.com", "stage": "customer"],
        ["email": "not-an-address", "stage": "lead"],
        ["email": "fay@example.com", "stage": "sales-qualified", "owner": "nobody"],
        ["email": "gus@example.com", "stage": "subscriber", "unsubscribed": "yes"],
        ["email": "hal@example.com", "stage": "sales-qualified", "owner": "marco"],
        ["email": "bob@example.com", "stage": "recycled"],
        ["email": "ivy@example.com", "stage": "sales-qualified"],
        ["email": "jo@example.com", "stage": "recycled", "time_zone": "Mars/Olympus"],
        ["email": "ann@example.com", "unsubscribed": "yes"],
        ["email": "kim@example.com", "stage": "sales-qualified"],
        ["email": "\u{00A0}cy@example.com\u{2003}", "stage": "customer", "company": "Initech"],
    ]

    @Test("a batch import writes what saving each row through LeadService writes", arguments: [1, 3, 100])
    func sameAsLeadService(batchSize: Int) async throws {
        try await withStores { configuration, batchStore, referenceStore in
            var importer = LeadImporter(store: batchStore, configuration: configuration, batchSize: batchSize)
            var batchRejected: [Int] = []
            for (index, values) in Self.rows.enumerated() {
                let rejections = try await importer.add(LeadImporter.Row(line: index + 2, values: values), at: Self.now)
                batchRejected += rejections.map(\.line)
            }
            batchRejected += try await importer.flush(at: Self.now).map(\.line)

            let service = LeadService(store: referenceStore, configuration: configuration)
            var referenceRejected: [Int] = []
            var created = 0
            for (index, values) in Self.rows.enumerated() {
                let email = LeadInput.trimmingWhitespace(values["email"] ?? "")
                let address = try? EmailAddress(email)
                let existing: Lead? = if let address { try await referenceStore.lead(address) } else { nil }
                switch LeadIntake.lead(from: values, existing: existing, configuration: configuration) {
                case .success(let lead):
                    if try await service.upsert(lead, at: Self.now).created { created += 1 }
                case .failure: referenceRejected.append(index + 2)
                }
            }

            #expect(batchRejected == referenceRejected)
            #expect(batchRejected == [8, 9, 14], "the bad address, the unknown owner, the unknown time zone")
            #expect(importer.summary.created == created)
            #expect(importer.summary.rejected == referenceRejected.count)
            #expect(try await batchStore.leadCount() == referenceStore.leadCount())
            #expect(try await batchStore.roundRobinCursor() == referenceStore.roundRobinCursor())
            let emails = try await referenceStore.leads(after: nil, limit: 100).map(\.email)
            #expect(emails.count == 9)
            let cy = try await batchStore.lead(EmailAddress("cy@example.com"))
            #expect(cy?.stage == .customer && cy?.company == "Initech", "found despite the Unicode spaces")
            for email in emails {
                #expect(try await batchStore.lead(email) == referenceStore.lead(email), "\(email)")
                #expect(try await batchStore.audit(for: email) == referenceStore.audit(for: email), "\(email)")
                await #expect(
                    try batchStore.enrollments(for: email).map {
                        [$0.sequence, "\($0.isActive)", "\($0.endReason as Any)"]
                    }
                        == referenceStore.enrollments(for: email).map {
                            [$0.sequence, "\($0.isActive)", "\($0.endReason as Any)"]
                        }, "\(email)")
                let key = configuration.addressKeying.suppressionKey(for: email)
                #expect(try await batchStore.isSuppressed(key) == referenceStore.isSuppressed(key))
            }
            await #expect(
                try batchStore.enrollmentsNeedingPlan(limit: 100).map(\.leadEmail)
                    == referenceStore.enrollmentsNeedingPlan(limit: 100).map(\.leadEmail))
        }
    }

    private func withStores(
        _ body: (NurtureConfiguration, SQLiteStore, SQLiteStore) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-import-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = try ConfigurationLoader().load(
            file: AppFixture.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        try await body(
            configuration, try SQLiteStore(path: directory.appendingPathComponent("batch.sqlite").path),
            try SQLiteStore(path: directory.appendingPathComponent("reference.sqlite").path))
    }
}
