#if PostgreSQL
    import Foundation
    import Logging
    import NurtureCore
    import NurturePostgres
    import NurtureSQLite
    import NurtureTestSupport
    import Testing

    /// `nurture store copy`: a SQLite store of 100,000 leads with every kind of row, copied into an empty
    /// PostgreSQL database, reads back the same through the store port.
    @Suite(.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct StoreCopyTests {
        static let leadCount = 100_000
        static let enrolled = 1_000
        static let sent = 400
        static let t0 = StoreContract.t0
        static let keying = StoreContract.keying

        static func address(_ number: Int) -> EmailAddress {
            try! EmailAddress("Lead\(number)@Example\(number % 7).com")
        }

        static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

        /// Text that must survive the copy byte for byte: quotes, a backslash, control characters, non-ASCII.
        static let awkward = "Zo\u{EB} \"Q\" back\\slash\nnew\tline\u{1}\u{1F}, \u{1F600} 'x'"

        /// A SQLite store with leads, audit lines, enrollments, planned, sent and next-planned rows, log lines,
        /// suppressions, unsubscribe tokens, a relay pause, an inbound record, a mailbox cursor and the round-robin
        /// cursor.
        static func seed(_ store: SQLiteStore) async throws {
            let leads = (0..<leadCount).map { number in
                Lead(
                    email: address(number),
                    firstName: number % 3 == 0 ? nil : number == 5 ? awkward : "First \(number)",
                    lastName: "Last", company: number % 2 == 0 ? "Acme \(number)" : nil, timeZone: "Europe/Berlin",
                    stage: number % 5 == 0 ? .salesQualified : .subscriber, owner: number % 5 == 0 ? "marco" : nil,
                    attributes: number % 4 == 0 ? ["industry": "retail", "size": "\(number)"] : [:],
                    isUnsubscribed: number % 997 == 0)
            }
            #expect(try await store.saveLeads(leads, at: t0) == leadCount)
            for number in 0..<20 {
                try await store.appendAudit(
                    LeadAuditEntry(
                        at: at(Double(number)), leadEmail: address(number), kind: "note", detail: "n\(number)"))
            }
            let enrollments = try await store.enrollAll(
                (0..<enrolled).map { EnrollmentRequest(email: address($0), sequence: "welcome") }, at: t0,
                endingOthers: .stageChanged)
            _ = try await store.planAll(
                enrollments.map { enrollment in
                    NewPlannedSend(
                        enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: "welcome",
                        step: "day-1", stepNumber: 1, track: .marketing, dueAt: t0, nextAttemptAt: t0,
                        messageID: "<\(enrollment.id).day-1@nurture.example>", unsubscribeToken: "tok-\(enrollment.id)")
                }, at: t0)
            let claimed = try await store.recordAll([], at: t0, claiming: sent, dueBy: t0)
            let records = claimed.map { send in
                SendRecord(
                    sendID: send.id, update: SendUpdate(state: .sent, attempted: true, code: 250, reply: "250 ok"),
                    log: SendLogEntry(
                        at: at(5), sendID: send.id, leadEmail: send.leadEmail, sequence: send.sequence,
                        step: send.step, messageID: send.messageID, state: .sent, attempt: 1, code: 250,
                        reply: "250 ok", detail: nil, sender: "news@acme.example",
                        recipientDomain: send.leadEmail.domain),
                    next: NewPlannedSend(
                        enrollmentID: send.enrollmentID, leadEmail: send.leadEmail, sequence: "welcome",
                        step: "day-3", stepNumber: 2, track: .marketing, dueAt: at(86_400 * 2),
                        nextAttemptAt: at(86_400 * 2), messageID: "<\(send.enrollmentID).day-3@nurture.example>"))
            }
            _ = try await store.recordAll(records, at: at(5), claiming: 0, dueBy: at(5))
            for number in stride(from: 0, to: 50, by: 5) {
                try await store.suppress(keying.suppressionKey(for: address(number)), reason: "bounced", at: at(6))
            }
            try await store.saveRelayPause(
                RelayPause(relay: "smtp.example:587", cause: "535 at AUTH", since: t0, until: at(60), refusals: 2))
            try await store.recordInbound(
                InboundRecord(
                    mailbox: "sales", uidValidity: 7, uid: 41, at: at(7), messageID: "r41@mail.example",
                    from: "lead1@example1.com", subject: "Re: hello", kind: .reply, evidence: "In-Reply-To",
                    rule: .messageID, leadEmail: address(1), sendID: claimed.first?.id, action: "nothing"))
            try await store.saveMailboxCursor(
                MailboxCursor(mailbox: "sales", uidValidity: 7, lastUID: 41, checkedAt: at(8)))
            try await store.saveRoundRobinCursor(RoundRobinCursor(scores: ["marco": 3, "priya": 1]))
        }

        @Test("every table copied row for row: counts equal, samples equal through the store port, ids continue")
        func copy() async throws {
            try await withTemporaryDirectory { directory in
                let source = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
                try await Self.seed(source)
                let settings = try PostgresPeer.freshDatabase("copy")
                let target = try PostgresStore.started(
                    settings, instance: DaemonInstance.current(host: "test", pid: 1, at: Self.t0),
                    logger: Logger(label: "test"))
                defer { Task { await target.shutdown() } }
                try await target.migrate()
                var progress: [String: Int] = [:]
                let counts = try await target.copy(from: source, batchSize: 3_000) { progress[$0.name] = $1 }

                #expect(counts.map(\.table) == TableRows.tables)
                for count in counts { #expect(count.source == count.target, "\(count.table)") }
                let byTable = Dictionary(uniqueKeysWithValues: counts.map { ($0.table.name, $0.target) })
                #expect(byTable["leads"] == Self.leadCount)
                #expect(byTable["enrollments"] == Self.enrolled)
                #expect(byTable["planned_sends"] == Self.enrolled + Self.sent)
                #expect(byTable["unsubscribe_tokens"] == Self.enrolled)
                #expect(byTable["suppressions"] == 10)
                #expect(byTable["inbound_messages"] == 1 && byTable["mailbox_cursors"] == 1)
                #expect(byTable["relay_pauses"] == 1 && byTable["meta"] ?? 0 >= 1)
                #expect((byTable["send_log"] ?? 0) >= Self.sent && (byTable["lead_audit"] ?? 0) >= 20)
                #expect(progress["leads"] == Self.leadCount)
                #expect(
                    try PostgresPeer.psql("SELECT count(*) FROM send_count_changes", database: settings.database)
                        == "0", "the copy folded the count changes its rows made")

                try await expectSameReads(source, target)
                try await expectIdsContinue(source, target)
                await #expect(throws: StoreError.self) { _ = try await target.copy(from: source) }
                await target.shutdown()
            }
        }

        /// Samples of every kind of row read through the store port on both sides.
        func expectSameReads(_ source: SQLiteStore, _ target: PostgresStore) async throws {
            #expect(try await target.leadCount() == Self.leadCount)
            #expect(try await target.leads(after: nil, limit: 700) == source.leads(after: nil, limit: 700))
            let middle = Self.address(54_321)
            #expect(try await target.leads(after: middle, limit: 300) == source.leads(after: middle, limit: 300))
            for number in [0, 1, 5, 399, 400, 999, 1_000, 99_999] {
                let email = Self.address(number)
                #expect(try await target.lead(email) == source.lead(email), "\(email)")
                #expect(try await target.audit(for: email) == source.audit(for: email), "\(email)")
                #expect(try await target.enrollments(for: email) == source.enrollments(for: email), "\(email)")
                #expect(try await target.sends(for: email) == source.sends(for: email), "\(email)")
                let key = Self.keying.suppressionKey(for: email)
                #expect(try await target.suppressionReason(key) == source.suppressionReason(key), "\(email)")
            }
            #expect(try await target.log(SendLogFilter()) == source.log(SendLogFilter()))
            #expect(try await target.stateCounts() == source.stateCounts())
            for id in [1, 2, 500, 1_000] {
                #expect(
                    try await target.lead(unsubscribeToken: "tok-\(id)") == source.lead(unsubscribeToken: "tok-\(id)"))
            }
            #expect(try await target.lead(unsubscribeToken: "tok-1") != nil)
            #expect(try await target.inbound(for: Self.address(1)) == source.inbound(for: Self.address(1)))
            #expect(try await target.mailboxCursors() == source.mailboxCursors())
            #expect(try await target.relayPauses() == source.relayPauses())
            #expect(try await target.roundRobinCursor() == source.roundRobinCursor())
        }

        /// New rows in the target get ids after the copied ones (the identity sequences were moved on).
        func expectIdsContinue(_ source: SQLiteStore, _ target: PostgresStore) async throws {
            let email = Self.address(Self.enrolled + 1)
            let enrollment = try await target.enroll(email, in: "welcome", at: Self.at(10), endingOthers: .stageChanged)
            #expect(enrollment.id == Int64(Self.enrolled + 1))
            let send = try await target.plan(
                NewPlannedSend(
                    enrollmentID: enrollment.id, leadEmail: email, sequence: "welcome", step: "day-1", stepNumber: 1,
                    track: .marketing, dueAt: Self.at(10), nextAttemptAt: Self.at(10),
                    messageID: "<new@nurture.example>"),
                at: Self.at(10))
            #expect(send.id == Int64(Self.enrolled + Self.sent + 1))
        }
    }
#endif
