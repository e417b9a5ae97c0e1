#if PostgreSQL
    package import Foundation
    package import NurtureCore
    import PostgresNIO

    extension PostgresStore {
        /// The columns of `leads` the upsert writes, in the order ``leadValues(_:at:into:)`` binds them.
        private static let leadColumns = """
            email, first_name, last_name, company, title, time_zone, stage, source, owner,
            vision, budget, need, authority, timeframe, attributes, unsubscribed, bounced, created_at, updated_at
            """

        /// Every column but `created_at` takes the new value; `xmax = 0` tells a new row from a replaced one.
        private static let upsertTail = """
            ON CONFLICT (lower(email)) DO UPDATE SET
                email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
                company = excluded.company, title = excluded.title, time_zone = excluded.time_zone,
                stage = excluded.stage, source = excluded.source, owner = excluded.owner,
                vision = excluded.vision, budget = excluded.budget, need = excluded.need,
                authority = excluded.authority, timeframe = excluded.timeframe, attributes = excluded.attributes,
                unsubscribed = excluded.unsubscribed, bounced = excluded.bounced, updated_at = excluded.updated_at
            RETURNING (xmax = 0) AS inserted
            """

        /// Leads per upsert statement: 19 bound values each, well under PostgreSQL's 65,535.
        static let leadsPerStatement = 1000

        /// Binds the column values of `lead`, in ``leadColumns`` order.
        private static func leadValues(_ lead: Lead, at: Int64, into bindings: inout PostgresBindings) {
            let qualification = lead.qualification
            bindings.append(lead.email.description)
            for value in [lead.firstName, lead.lastName, lead.company, lead.title, lead.timeZone] {
                bindings.append(value)
            }
            bindings.append(lead.stage.rawValue)
            bindings.append(lead.source.rawValue)
            bindings.append(lead.owner)
            for status in [
                qualification.vision, qualification.budget, qualification.need, qualification.authority,
                qualification.timeframe,
            ] {
                bindings.append(status.rawValue)
            }
            bindings.append(AttributesJSON.encode(lead.attributes))
            bindings.append(Int64(lead.isUnsubscribed ? 1 : 0))
            bindings.append(Int64(lead.hasBounced ? 1 : 0))
            bindings.append(at)
            bindings.append(at)
        }

        /// `items` in runs of at most `size` in which no key appears twice (one `ON CONFLICT DO UPDATE` statement
        /// cannot touch a row twice), in their order.
        static func runs<Item>(_ items: [Item], size: Int, key: (Item) -> String) -> [[Item]] {
            var runs: [[Item]] = []
            var current: [Item] = []
            var keys: Set<String> = []
            for item in items {
                let itemKey = key(item)
                if current.count == size || keys.contains(itemKey) {
                    runs.append(current)
                    current = []
                    keys = []
                }
                current.append(item)
                keys.insert(itemKey)
            }
            if !current.isEmpty { runs.append(current) }
            return runs
        }

        /// Inserts or replaces `leads` (matched by address, ignoring case), a thousand per statement; returns how
        /// many were new.
        func upsertLeads(_ leads: [Lead], at: Int64, on connection: PostgresConnection) async throws -> Int {
            var new = 0
            for run in Self.runs(leads, size: Self.leadsPerStatement, key: { $0.email.description.lowercased() }) {
                var bindings = PostgresBindings(capacity: run.count * 19)
                var rows: [String] = []
                for (index, lead) in run.enumerated() {
                    Self.leadValues(lead, at: at, into: &bindings)
                    let marks = (1...19).map { "$\(index * 19 + $0)" }.joined(separator: ", ")
                    rows.append("(\(marks))")
                }
                let sql =
                    "INSERT INTO leads (\(Self.leadColumns)) VALUES \(rows.joined(separator: ", ")) \(Self.upsertTail)"
                let result = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                for try await row in result where try row.decode(Bool.self) { new += 1 }
            }
            return new
        }

        @discardableResult
        package func saveLeads(_ leads: [Lead], at: Date) async throws(StoreError) -> Int {
            guard !leads.isEmpty else { return 0 }
            let action = leads.count == 1 ? "saving lead \(leads[0].email)" : "saving \(leads.count) leads"
            return try await transaction(action) { connection in
                try await upsertLeads(leads, at: Milliseconds.from(at), on: connection)
            }
        }

        @discardableResult
        package func createLeads(
            _ leads: [NewLead], cursor: RoundRobinCursor?, keying: AddressKeying, at: Date
        ) async throws(StoreError) -> Int {
            guard !leads.isEmpty || cursor != nil else { return 0 }
            let now = Milliseconds.from(at)
            let cursorJSON = try cursor.map { cursor throws(StoreError) in try Self.encode(cursor) }
            return try await transaction("creating \(leads.count) leads") { connection in
                let new = try await upsertLeads(leads.map(\.lead), at: now, on: connection)
                try await insertAudit(leads.flatMap(\.audit), on: connection)
                let suppressions = leads.compactMap { item in
                    item.suppression.map { (keying.suppressionKey(for: item.lead.email), $0) }
                }
                try await insertSuppressions(suppressions, at: now, on: connection)
                let enrollments = leads.compactMap { item in item.sequence.map { (item.lead.email, $0) } }
                try await enrollBatch(enrollments, at: at, on: connection)
                if let cursorJSON { try await saveRoundRobinCursor(json: cursorJSON, on: connection) }
                return new
            }
        }

        package func leads(_ emails: [EmailAddress]) async throws(StoreError) -> [Lead] {
            guard !emails.isEmpty else { return [] }
            let action = emails.count == 1 ? "reading lead \(emails[0])" : "reading \(emails.count) leads"
            let keys = emails.map { $0.description.lowercased() }
            let found = try await read(action) { connection in
                try await fetch(
                    "SELECT * FROM leads WHERE lower(email) = ANY(\(keys))", on: connection, table: "leads"
                ) { row throws(StoreError) in try row.lead() }
            }
            let byKey = Dictionary(
                found.map { ($0.email.description.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
            return keys.compactMap { byKey[$0] }
        }

        /// Leads ordered by address, case-insensitively (ASCII case folded, then bytes: SQLite's NOCASE order).
        package func leads(after: EmailAddress?, limit: Int) async throws(StoreError) -> [Lead] {
            guard limit > 0 else { return [] }
            return try await read("listing leads") { connection in
                let query: PostgresQuery =
                    if let after {
                        """
                        SELECT * FROM leads WHERE lower(email) COLLATE "C" > lower(\(after.description)) COLLATE "C"
                        ORDER BY lower(email) COLLATE "C" LIMIT \(limit)
                        """
                    } else {
                        "SELECT * FROM leads ORDER BY lower(email) COLLATE \"C\" LIMIT \(limit)"
                    }
                return try await fetch(query, on: connection, table: "leads") { row throws(StoreError) in try row.lead()
                }
            }
        }

        package func leadCount() async throws(StoreError) -> Int {
            try await read("counting leads") { connection in
                try await count("SELECT count(*) FROM leads", on: connection)
            }
        }
    }
#endif
