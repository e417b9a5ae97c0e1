package import Foundation
package import NurtureConfig
package import NurtureCore

/// Imports leads from rows of values (a CSV file) with the semantics of ``LeadService``, thousands per
/// transaction.
///
/// Each row is validated on its own by the intake rules (``LeadIntake/lead(from:existing:configuration:)``) and a bad row
/// is reported with its line and skipped. A new lead is created as ``LeadCreation`` decides (stage machine,
/// auto-qualification, round-robin owner, audit trail, suppression, enrollment) and written with many others
/// in one ``SendStore/createLeads(_:cursor:keying:at:)`` transaction; the round-robin cursor is carried from row to
/// row in memory and saved with each batch. A row for a lead that already exists (in the store or earlier
/// in the file) first writes the rows before it, then goes through ``LeadService/upsert(_:at:origin:)``, so rows
/// always take effect in file order. Memory holds one batch, whatever the size of the file.
package struct LeadImporter {
    /// One row to import: its values by column name and the line it starts on.
    package struct Row: Sendable {
        package var line: Int
        package var values: [String: String]

        package init(line: Int, values: [String: String]) {
            self.line = line
            self.values = values
        }
    }

    /// A row that was not imported, and why.
    package struct Rejection: Sendable {
        package var line: Int
        /// The row's `email` value, when it has one.
        package var email: String?
        package var problems: [LeadInput.Problem]
    }

    /// What an import did.
    package struct Summary: Sendable, Hashable {
        package var created = 0
        package var updated = 0
        package var rejected = 0
    }

    package let service: LeadService
    /// Rows per transaction.
    package let batchSize: Int
    private let machine: StageMachine
    private var pending: [Row] = []
    /// The counts so far.
    package private(set) var summary = Summary()

    /// - Parameter batchSize: rows read and written per transaction; a larger batch holds the store's write
    ///   lock longer (a running daemon waits for it).
    package init(store: any SendStore, configuration: NurtureConfiguration, batchSize: Int = 2_000) {
        self.service = LeadService(store: store, configuration: configuration)
        self.machine = configuration.stageMachine
        self.batchSize = max(1, batchSize)
    }

    /// Adds a row; every `batchSize` rows are imported.
    /// - Returns: the rows rejected so far in this call (reported once).
    package mutating func add(_ row: Row, at now: Date) async throws(StoreError) -> [Rejection] {
        pending.append(row)
        return pending.count >= batchSize ? try await flush(at: now) : []
    }

    /// Imports the rows added since the last batch.
    /// - Returns: the rejected rows among them.
    package mutating func flush(at now: Date) async throws(StoreError) -> [Rejection] {
        let rows = pending
        pending.removeAll(keepingCapacity: true)
        guard !rows.isEmpty else { return [] }
        let addresses = rows.map { $0.values["email"].flatMap(Self.address) }
        var existing: [String: Lead] = [:]
        for lead in try await service.store.leads(addresses.compactMap { $0 }) { existing[Self.key(lead.email)] = lead }
        var rejections: [Rejection] = []
        var batch: [NewLead] = []
        var inBatch: Set<String> = []
        var cursor: RoundRobinCursor?
        var assigned = false
        func write() async throws(StoreError) {
            let new = try await service.store.createLeads(
                batch, cursor: assigned ? cursor : nil, keying: service.configuration.addressKeying, at: now)
            // A lead another process created meanwhile was replaced, as an update would.
            summary.created += new
            summary.updated += batch.count - new
            batch.removeAll(keepingCapacity: true)
            inBatch.removeAll(keepingCapacity: true)
            cursor = nil
            assigned = false
        }
        for (row, address) in zip(rows, addresses) {
            let key = address.map(Self.key)
            if let key, inBatch.contains(key) { try await write() }
            let stored = key.flatMap { existing[$0] }
            let lead: Lead
            switch LeadIntake.lead(from: row.values, existing: stored, configuration: service.configuration) {
            case .success(let parsed): lead = parsed
            case .failure(let problems):
                rejections.append(Rejection(line: row.line, email: row.values["email"], problems: problems.all))
                summary.rejected += 1
                continue
            }
            if stored != nil {
                try await write()
                let change = try await service.upsert(lead, at: now)
                existing[Self.key(change.lead.email)] = change.lead
                summary.updated += 1
                continue
            }
            if cursor == nil { cursor = try await service.store.roundRobinCursor() }
            let creation = LeadCreation.decide(lead, machine: machine, cursor: cursor!, at: now)
            cursor = creation.transition.cursor
            if creation.transition.assignedOwner != nil { assigned = true }
            batch.append(creation.newLead)
            existing[Self.key(lead.email)] = creation.transition.lead
            inBatch.insert(Self.key(lead.email))
        }
        try await write()
        return rejections
    }

    /// The row's address exactly as ``LeadInput`` reads it, so the look-up finds the lead the row changes.
    private static func address(_ text: String) -> EmailAddress? {
        try? EmailAddress(LeadInput.trimmingWhitespace(text))
    }

    /// Addresses are compared case-insensitively, as the store does.
    private static func key(_ email: EmailAddress) -> String { email.description.lowercased() }
}
