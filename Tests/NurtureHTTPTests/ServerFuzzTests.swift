import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureLog
import NurtureMetrics
import NurtureSQLite
import Prometheus
import Testing

@testable import NurtureHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The HTTP server itself (Hummingbird on loopback, a real SQLite file) under generated requests: every answer
/// is 2xx or 4xx, the server keeps serving, and refused requests leave nothing behind.
@Suite struct ServerFuzzTests {
    @Test("1,500 generated requests against the running HTTP interface")
    func server() async throws {
        try await HTTPTestSupport.withServer { store, base in
            try await fuzz(store: store, base: base)
        }
    }

    private func fuzz(store: SQLiteStore, base: String) async throws {
        var fuzzer = JSONFuzzer(seed: 8058)
        var statuses: [Int: Int] = [:]
        var created = Set<String>()
        let count = 1_500
        for index in 0..<count {
            var body = fuzzer.body()
            let path: String
            switch index % 10 {
            case 0...4: path = "/v1/leads"
            case 5...7:
                path = "/v1/leads/" + (created.randomElement() ?? "nobody@example.com") + "/events"
            case 8:
                // Valid intake bodies keep the store and event paths busy.
                let email = "lead\(index)@example.com"
                body = Array(#"{"email": "\#(email)", "stage": "lead"}"#.utf8)
                path = "/v1/leads"
            default:
                path =
                    "/unsubscribe/"
                    + String(repeating: "0123456789abcdef", count: 4).shuffled().map(String.init).joined()
            }
            // The server runs in this process, its handlers on the cooperative pool the other suites share: on a
            // loaded 2-core runner one request once waited past URLSession's 60 s default. A server that never
            // answers still fails the test.
            var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 300)
            request.httpMethod = "POST"
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as! HTTPURLResponse).statusCode
            statuses[status, default: 0] += 1
            #expect(status < 500, "\(status) for \(path) \(String(decoding: body, as: UTF8.self).prefix(200))")
            if status == 201, path == "/v1/leads",
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let lead = json["lead"] as? [String: Any], let email = lead["email"] as? String
            {
                created.insert(email)
            }
        }
        let health = try await URLSession.shared.data(from: URL(string: base + "/healthz")!)
        #expect((health.1 as! HTTPURLResponse).statusCode == 200, "still serving")
        #expect(try await store.leadCount() == created.count, "refused requests created nothing")
        print(
            "fuzz (server): \(count) requests, 0 server errors, 0 crashes; statuses \(statuses.sorted { $0.key < $1.key })"
        )
    }

    @Test func deepNestingIsRefusedBeforeDecoding() {
        let body = Array((String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)).utf8)
        #expect(JSONValue.nestingDepth(body) == 20_000)
        #expect(JSONValue.nestingDepth(Array(#"{"a": "[[[[[[[[[[[[[[[[[[[[[[[["}"#.utf8)) == 1)
        #expect(throws: APIError.self) { try JSONValue.parse(body) }
    }
}

/// Start-up of the listener.
@Suite struct HTTPServerStartTests {
    @Test("a port that is taken fails the start with a message naming http.listen")
    func takenPort() async throws {
        try await HTTPTestSupport.withServer { store, base in
            var taken = try HTTPTestSupport.configuration()
            taken.http.port = Int(base.split(separator: ":").last ?? "") ?? 0
            let configuration = taken
            let interface = HTTPInterface(
                store: store, configuration: { configuration },
                metrics: DaemonMetrics(registry: PrometheusCollectorRegistry()), wake: {},
                log: LogWriter(minimumLevel: .error), startedAt: Date())
            do {
                try await HTTPTestSupport.serve(interface, settings: configuration.http) { _ in }
                Issue.record("a second server started on \(base)")
            } catch let error as HTTPServerError {
                #expect(
                    error.description.contains("cannot listen on 127.0.0.1:\(configuration.http.port) (http.listen)"))
            }
        }
    }
}
