import Foundation
import NurtureConfig
import NurtureCore
import NurtureHTTP
import NurtureLog
import NurtureMetrics
import NurtureSMTP
import NurtureSQLite
import Prometheus
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `/healthz` reports the watched mailboxes: a failing one makes the daemon `degraded`, never `failing` (sending
/// goes on), and its error and failure run are shown.
@Suite("healthz mailboxes")
struct HealthMailboxTests {
    static func health(cursor: MailboxCursor?) async throws -> [String: Any] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-http-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        var configuration = try HTTPTestSupport.configuration()
        let settings = MailboxSettings(name: "sales-priya", host: "imap.example.com", port: 993, username: "priya")
        configuration.inbound.mailboxes = [WatchedMailbox(settings: settings, owner: "priya")]
        if let cursor { try await store.saveMailboxCursor(cursor) }
        let interface = HTTPInterface(
            store: store, configuration: { [configuration] in configuration },
            metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()), wake: {},
            log: LogWriter(minimumLevel: .error), startedAt: Date())
        return try await HTTPTestSupport.serve(interface, settings: configuration.http) { address in
            let (data, response) = try await URLSession.shared.data(from: URL(string: "http://\(address)/healthz")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
    }

    @Test("a failing mailbox: degraded, up false, with the error, since when and how many polls")
    func failing() async throws {
        let since = Date(timeIntervalSince1970: 1_796_133_600)
        let body = try await Self.health(
            cursor: MailboxCursor(
                mailbox: "sales-priya", uidValidity: 7, lastUID: 12, checkedAt: since,
                lastError: "unreachable: Could not connect to server", failingSince: since, failures: 3))
        #expect(body["status"] as? String == "degraded")
        let mailbox = try #require((body["mailboxes"] as? [[String: Any]])?.first)
        #expect(mailbox["name"] as? String == "sales-priya")
        #expect(mailbox["owner"] as? String == "priya")
        #expect(mailbox["up"] as? Bool == false)
        #expect(mailbox["last_uid"] as? Int == 12)
        #expect(mailbox["last_error"] as? String == "unreachable: Could not connect to server")
        #expect(mailbox["failures"] as? Int == 3)
        #expect(mailbox["failing_since"] as? String != nil)
    }

    @Test("a healthy mailbox: ok, up true; before its first poll up is null")
    func healthy() async throws {
        let body = try await Self.health(
            cursor: MailboxCursor(
                mailbox: "sales-priya", uidValidity: 7, lastUID: 12, checkedAt: Date(timeIntervalSince1970: 1)))
        #expect(body["status"] as? String == "ok")
        #expect((body["mailboxes"] as? [[String: Any]])?.first?["up"] as? Bool == true)
        let fresh = try await Self.health(cursor: nil)
        #expect(fresh["status"] as? String == "ok")
        #expect((fresh["mailboxes"] as? [[String: Any]])?.first?["up"] is NSNull)
    }
}
