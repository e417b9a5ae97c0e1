import Foundation
import NurtureCore
import NurtureTestSupport
import Testing

/// `nurture store migrate` and `nurture store copy`, and the commands on a PostgreSQL store, through the binary.
@Suite("nurture store migrate and copy")
struct StoreCommandTests {
    @Test("migrate on a SQLite store prints the version before and after; again, that it is current")
    func migrateSQLite() throws {
        try CLIRunner.withStatefulCopy { _, nurture in
            let first = try nurture(["store", "migrate"])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("nurture.sqlite: schema version 0 → "), "\(first.stdout)")
            let again = try nurture(["store", "migrate"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(again.stdout.contains(", already current (this Nurture knows up to "), "\(again.stdout)")
        }
    }

    @Test("copy refuses a password in the URL, clear text to a remote host, and a store a daemon holds")
    func copyRefusals() throws {
        try CLIRunner.withStatefulCopy { root, nurture in
            let added = try nurture(["leads", "add", "dana@example.com"])
            #expect(added.status == 0, "\(added.stderr)")
            let password = try nurture(["store", "copy", "--to", "postgres://nurture:hunter22@db.example.com/n"])
            #expect(password.status == 1)
            #expect(password.stderr.contains("the URL holds a password; give it with --password-file FILE instead"))
            #expect(!password.stderr.contains("hunter22"))
            let clear = try nurture([
                "store", "copy", "--to", "postgres://nurture@db.example.com/n", "--tls", "disable",
            ])
            #expect(clear.status == 1)
            #expect(clear.stderr.contains("clear text to db.example.com"))

            let lockPath = root.appendingPathComponent("state/nurture.sqlite.lock").path
            let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o600)
            #expect(descriptor >= 0)
            defer { close(descriptor) }
            #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            let held = try nurture(["store", "copy", "--to", "postgres://nurture@127.0.0.1:1/n", "--tls", "disable"])
            #expect(held.status == 1)
            #expect(held.stderr.contains("stop the daemon first: another `nurture run`"), "\(held.stderr)")
        }
    }

    #if PostgreSQL
        @Test(
            "a read-only command on a database without Nurture's tables says to migrate, and creates nothing",
            .enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
        func readOnlyOnEmptyDatabase() throws {
            let settings = try PostgresPeer.freshDatabase("clienmpty")
            let url = "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)"
            try CLIRunner.withStatefulCopy { root, nurture in
                try CLIRunner.edit(
                    "config/nurture.yaml", in: root, replacing: "  store: nurture.sqlite",
                    with: "  store: \(url)?sslmode=disable")
                let status = try nurture(["status"])
                #expect(status.status == 1)
                #expect(
                    status.stderr.contains(
                        "cannot open the store \(url): the database has no Nurture tables yet, and this command only"
                            + " reads it (nothing was created); run `nurture store migrate`"), "\(status.stderr)")
            }
            let tables = try PostgresPeer.psql(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
                database: settings.database)
            #expect(tables == "0")
        }

        @Test(
            "copy to an empty database, then status, leads list and why read it; a second copy is refused",
            .enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason))
        func copyThenReadOnPostgres() throws {
            try CLIRunner.withStatefulCopy { root, nurture in
                for email in ["dana@example.com", "ben@example.org", "Ann@Example.net"] {
                    let added = try nurture(["leads", "add", email])
                    #expect(added.status == 0, "\(added.stderr)")
                }
                let settings = try PostgresPeer.freshDatabase("clicopy")
                let url = "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)"
                let copy = try nurture(["store", "copy", "--to", url, "--tls", "disable"])
                #expect(copy.status == 0, "\(copy.stderr)")
                #expect(copy.stdout.contains("  leads: 3 / 3"), "\(copy.stdout)")
                #expect(copy.stdout.contains("copied; every count is equal"))
                let again = try nurture(["store", "copy", "--to", url, "--tls", "disable"])
                #expect(again.status == 1)
                #expect(again.stderr.contains("is not empty: leads (3 rows)"), "\(again.stderr)")

                try CLIRunner.edit(
                    "config/nurture.yaml", in: root, replacing: "  store: nurture.sqlite",
                    with: "  store: \(url)?sslmode=disable")
                let migrate = try nurture(["store", "migrate"])
                #expect(migrate.status == 0, "\(migrate.stderr)")
                #expect(migrate.stdout.contains("store \(url): schema version "), "\(migrate.stdout)")
                #expect(migrate.stdout.contains("already current"))
                let status = try nurture(["status"])
                #expect(status.status == 0, "\(status.stderr)")
                #expect(status.stdout.contains("Store: \(url)\n"), "\(status.stdout)")
                #expect(status.stdout.contains("Daemons: none in the last 1h"), "\(status.stdout)")
                #expect(status.stdout.hasSuffix("Leads: 3\n"))
                let now = Int64(Date().timeIntervalSince1970 * 1_000)
                try PostgresPeer.psql(
                    "INSERT INTO daemons (id, host, pid, started_at, heartbeat_at) VALUES"
                        + " ('mail1-812-0a1b2c3d', 'mail1', 812, \(now - 60_000), \(now - 2_000))",
                    database: settings.database)
                let cluster = try nurture(["status"])
                #expect(cluster.status == 0, "\(cluster.stderr)")
                #expect(cluster.stdout.contains("Daemons (heartbeat in the last 1h):\n"), "\(cluster.stdout)")
                #expect(
                    cluster.stdout.contains("  mail1-812-0a1b2c3d  host mail1, pid 812: heartbeat 2s ago, 0 leases\n")
                        || cluster.stdout.contains(
                            "  mail1-812-0a1b2c3d  host mail1, pid 812: heartbeat 3s ago, 0 leases\n"),
                    "\(cluster.stdout)")
                let json = try nurture(["status", "--json"])
                #expect(json.stdout.contains("\"host\":\"mail1\""), "\(json.stdout)")
                let list = try nurture(["leads", "list"])
                #expect(list.status == 0, "\(list.stderr)")
                #expect(list.stdout.split(separator: "\n").count == 3)
                let why = try nurture(["why", "ann@example.net"])
                #expect(why.status == 0, "\(why.stderr)")
                #expect(why.stdout.hasPrefix("Lead Ann@example.net"), "\(why.stdout)")
            }
        }
    #else
        @Test("a build without PostgreSQL refuses a PostgreSQL configuration, saying so")
        func withoutPostgres() throws {
            try CLIRunner.withStatefulCopy { root, nurture in
                try CLIRunner.edit(
                    "config/nurture.yaml", in: root, replacing: "  store: nurture.sqlite",
                    with: "  store: postgres://nurture@127.0.0.1:1/nurture?sslmode=disable")
                for command in [["status"], ["leads", "list"], ["store", "migrate"]] {
                    let result = try nurture(command)
                    #expect(result.status == 1)
                    #expect(result.stderr.contains("this nurture was built without PostgreSQL support"), "\(command)")
                }
            }
        }
    #endif
}
