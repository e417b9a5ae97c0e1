import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small HTTP client for the daemon's interface (URLSession over loopback).
struct HTTPClient {
    let base: String
    let token: String?

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: String

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }
        /// `error.field` of an error body.
        var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
        /// `changes` of a lead response.
        var changes: [String] { json["changes"] as? [String] ?? [] }
    }

    /// Sends one request; `json` bodies get `Content-Type: application/json` unless `headers` say otherwise.
    func send(
        _ method: String, _ path: String, json: String? = nil, body: Data? = nil, headers: [String: String] = [:],
        authorized: Bool = true
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if authorized, let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = Data(json.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let body { request.httpBody = body }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields["\(name)".lowercased()] = "\(value)"
        }
        return Reply(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    /// The value of one Prometheus sample, e.g. `nurture_sends_total{state="sent",track="marketing"}`; 0 if absent.
    func metric(_ sample: String) async throws -> Double {
        let text = try await send("GET", "/metrics", authorized: false).body
        for line in text.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1)) ?? .nan
        }
        return 0
    }
}
