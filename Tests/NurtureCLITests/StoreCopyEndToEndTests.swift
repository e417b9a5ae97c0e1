import Foundation
import NurtureCore
import NurtureTestSupport
import Testing

#if PostgreSQL

    /// `nurture store copy` end to end: a SQLite store of 100,000 leads, used by a real daemon, copied to PostgreSQL;
    /// a daemon on the copy sends the next steps the SQLite daemon planned, at their due time.
    ///
    /// The size is `NURTURE_COPY_LEADS` (100,000 by default).
    @Suite(
        .serialized,
        .enabled(
            if: DaemonHarness.shouldRun,
            "aiosmtpd is not installed for python3 (bash scripts/install-deps.sh); CI sets NURTURE_REQUIRE_PEERS=1"),
        .enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
    struct StoreCopyEndToEndTests {
        static var leads: Int {
            ProcessInfo.processInfo.environment["NURTURE_COPY_LEADS"].flatMap(Int.init).map { max($0, 1000) } ?? 100_000
        }
        /// Sales leads whose intro the SQLite daemon sends and whose follow-up the PostgreSQL daemon must send.
        static let salesLeads = 200
        /// The follow-up's delay: longer than stopping the first daemon, the copy and starting the second.
        static let followUpSeconds = 90

        @Test("store copy of a 100,000-lead store: counts equal, the daemon on the copy sends the next steps on time")
        func copiedStoreSendsNextStepsOnTime() throws {
            let delays = [
                "welcome": "1w", "guide": "1w", "case-study": "1w", "webinar": "1w", "check-in": "1w", "intro": "0",
                "follow-up": "\(Self.followUpSeconds)s", "resources": "1w", "last-note": "1w",
            ]
            let harness = try DaemonHarness(
                delays: delays,
                scheduling: "scheduling:\n  retry_first: 1s\n  retry_max: 2s\n  sales_jitter: 0\n  catch_up_after: 1h")
            defer { harness.stopAll() }
            try harness.editConfiguration(#"salesperson_daily: \d+"#, with: "salesperson_daily: 1000000")
            try harness.editConfiguration(#"daily_limit: 60"#, with: "daily_limit: 1000000")

            var csv = "email,first_name,stage,source,owner\n"
            for index in 0..<Self.salesLeads {
                csv += "sales\(index)@s\(index % 20).example,S\(index),sales-qualified,inbound,marco\n"
            }
            for index in 0..<(Self.leads - Self.salesLeads) {
                csv += "lead\(index)@d\(index % 1000).example,L\(index),lead,inbound,\n"
            }
            let file = harness.root.appendingPathComponent("leads.csv")
            try csv.write(to: file, atomically: true, encoding: .utf8)
            let imported = try harness.nurture(["leads", "import", file.path])
            #expect(imported.status == 0 && imported.stdout.contains("\(Self.leads) created"), "\(imported.stdout)")

            // The SQLite daemon sends every intro (and plans each follow-up), then stops.
            try harness.startDaemon()
            let intros = harness.wait(timeout: 120) { harness.captured().count >= Self.salesLeads }
            #expect(intros, "\(harness.captured().count) intros of \(Self.salesLeads)\n\(harness.log.suffix(2000))")
            harness.signalDaemon(SIGTERM)
            #expect(harness.waitForDaemonExit() == 0)
            let stoppedAt = Date()

            // Copy to a fresh database; the command compares every table's count itself and fails on a difference.
            let database = try PostgresPeer.freshDatabase("copy")
            let url = "postgres://\(database.user)@\(database.host):\(database.port)/\(database.database)"
            let copy = try harness.nurture(["store", "copy", "--to", url, "--tls", "disable"])
            #expect(copy.status == 0, "\(copy.stdout)\n\(copy.stderr)")
            let copied = Date()
            let sqliteCounts = try Self.sqliteCounts(harness)
            for (table, count) in sqliteCounts {
                let postgres = try PostgresPeer.psql("SELECT count(*) FROM \(table)", database: database.database)
                #expect(Int(postgres) == count, "\(table): SQLite \(count), PostgreSQL \(postgres)")
            }
            #expect(sqliteCounts["leads"] == Self.leads)

            // The same configuration on the copy.
            try harness.editConfiguration(#"store: nurture\.sqlite[^\n]*"#, with: "store: \(url)")
            let text = try String(contentsOf: harness.configFile, encoding: .utf8)
            try (text + "\ndatabase:\n  tls: disable\n  pool_size: 4\n").write(
                to: harness.configFile, atomically: true, encoding: .utf8)
            try harness.startDaemon()
            let followUps = harness.wait(timeout: Double(Self.followUpSeconds + 90)) {
                harness.captured().filter { DaemonEndToEndTests.stepOf($0) == "follow-up" }.count >= Self.salesLeads
            }
            #expect(followUps, "follow-ups did not all arrive\n\(harness.log.suffix(3000))")
            harness.signalDaemon(SIGTERM)
            #expect(harness.waitForDaemonExit() == 0)

            // Lateness of each follow-up: when its transfer started minus when it was due (milliseconds).
            let lateness = try PostgresPeer.psql(
                """
                SELECT s.started_at - p.due_at FROM send_log s JOIN planned_sends p ON p.id = s.send_id
                WHERE p.step = 'follow-up' AND s.state = 'sent' ORDER BY 1
                """, database: database.database
            ).split(separator: "\n").compactMap { Int($0) }
            let ids = harness.captured().map(\.messageID)
            print(
                "store copy: \(Self.leads) leads copied in "
                    + String(format: "%.1f s", copied.timeIntervalSince(stoppedAt))
                    + "; \(lateness.count) follow-ups sent by the daemon on the copy, lateness min \(lateness.first ?? -1) ms,"
                    + " median \(lateness.isEmpty ? -1 : lateness[lateness.count / 2]) ms, max \(lateness.last ?? -1) ms"
            )
            #expect(lateness.count == Self.salesLeads)
            #expect((lateness.first ?? -1) >= 0, "a follow-up left before it was due")
            // All 200 fall due within the same second and leave through the relay's pool one after another: the last
            // leaves when the queue before it has, a few seconds on an idle machine, more on a loaded one.
            #expect((lateness.last ?? .max) <= 15_000, "a follow-up left more than 15 s late: \(lateness.suffix(5))")
            #expect(Set(ids).count == ids.count, "no message twice")
            #expect(ids.count == 2 * Self.salesLeads, "the intros and follow-ups, nothing else")
        }

        /// Row counts of the tables `store copy` moves, read from the SQLite file with Python's sqlite3.
        static func sqliteCounts(_ harness: DaemonHarness) throws -> [String: Int] {
            let tables = ["leads", "lead_audit", "enrollments", "planned_sends", "send_log", "suppressions"]
            let database = harness.root.appendingPathComponent("state/nurture.sqlite").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                [
                    "python3", "-c",
                    "import sqlite3,sys\nc=sqlite3.connect('file:'+sys.argv[1]+'?mode=ro',uri=True,timeout=10)\n"
                        + "for t in sys.argv[2:]: print(t+'\\t'+str(c.execute('select count(*) from '+t).fetchone()[0]))",
                    database,
                ] + tables
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            var counts: [String: Int] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "\t")
                if parts.count == 2, let count = Int(parts[1]) { counts[String(parts[0])] = count }
            }
            return counts
        }
    }
#endif
