import Foundation
package import NurtureCore
package import Testing

/// The throwaway PostgreSQL cluster the tests share: started by `scripts/test.sh` with
/// `scripts/postgres-peer.sh start DIR`, which prints the `NURTURE_TEST_POSTGRES` URL this reads
/// (`postgres://nurture@127.0.0.1:PORT/postgres`, trust authentication, loopback only).
///
/// Each test takes a database of its own with ``freshDatabase(_:)``, so tests run in parallel without seeing each
/// other's rows. Use it behind `.enabled(if: PostgresPeer.canRun, PostgresPeer.skipReason)`: with
/// `NURTURE_REQUIRE_PEERS=1` a missing cluster is a failure instead of a skip.
package enum PostgresPeer {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }

    /// The cluster's host, port and user, from `NURTURE_TEST_POSTGRES`.
    package static let server: (host: String, port: Int, user: String)? = {
        guard let text = ProcessInfo.processInfo.environment["NURTURE_TEST_POSTGRES"],
            let url = URLComponents(string: text), url.scheme == "postgres" || url.scheme == "postgresql",
            let host = url.host, let port = url.port, let user = url.user
        else { return nil }
        return (host, port, user)
    }()

    package static let canRun = server != nil || TestTools.peersRequired
    package static let skipReason: Comment =
        "needs a PostgreSQL cluster: eval \"$(bash scripts/postgres-peer.sh start DIR)\" and export NURTURE_TEST_POSTGRES"

    /// A new, empty database on the cluster (`CREATE DATABASE`), named after `label` plus a random suffix, with
    /// settings for it (clear text: loopback).
    package static func freshDatabase(_ label: String = "t") throws -> PostgresSettings {
        guard let server else {
            throw PostgresPeer.Failure("NURTURE_TEST_POSTGRES is not set: start scripts/postgres-peer.sh first")
        }
        let safe = label.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(20)
        let name = "\(safe.isEmpty ? "t" : String(safe))_\(UInt64.random(in: 0 ... .max) % 1_000_000_000_000)"
        try psql(server, database: "postgres", "CREATE DATABASE \(name)")
        return PostgresSettings(
            host: server.host, port: server.port, user: server.user, database: name, tls: .disable, poolSize: 4,
            leaseSeconds: 30)
    }

    /// Runs one SQL command with `psql` against `database` (test set-up and inspection, not the code under test).
    @discardableResult
    package static func psql(_ sql: String, database: String) throws -> String {
        guard let server else { throw PostgresPeer.Failure("NURTURE_TEST_POSTGRES is not set") }
        return try psql(server, database: database, sql)
    }

    @discardableResult
    private static func psql(
        _ server: (host: String, port: Int, user: String), database: String, _ sql: String
    ) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-p", "\(server.port)", "-U",
            server.user, "-d", database, "-c", sql,
        ]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresPeer.Failure("psql \(sql): \(problem.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
