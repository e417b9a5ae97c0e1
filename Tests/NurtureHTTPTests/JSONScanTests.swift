import Foundation
import HTTPTypes
import NurtureCore
import NurtureSQLite
import Testing

@testable import NurtureHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite struct JSONScanTests {
    @Test(
        "a key repeated in one object is found, however it is spelt",
        arguments: [
            (#"{"email": "a@example.com", "email": "b@example.com"}"#, "email"),
            (#"{"email": "a@example.com", "\u0065mail": "b@example.com"}"#, "email"),
            (#"{"stage":"lead","first_name":"A","stage":"customer"}"#, "stage"),
            (#"{"attributes": {"plan": "pro", "plan": "free"}}"#, "attributes.plan"),
            (#"{"qualification": {"budget": "yes"}, "qualification": {}}"#, "qualification"),
            (#"{"a\"b": 1, "a\u0022b": 2}"#, "a\"b"),
            (#"{"\ud83d\ude00": 1, "😀": 2}"#, "😀"),
        ])
    func duplicates(body: String, key: String) {
        #expect(JSONScan(Array(body.utf8)).duplicateKey == key)
        let error = #expect(throws: APIError.self) { try JSONValue.parse(Array(body.utf8)) }
        #expect(error?.status == .badRequest)
        #expect(error?.field == key)
        #expect(error?.message.contains("appears twice") == true)
    }

    @Test(
        "the same name in different objects, in values or in arrays is not a duplicate",
        arguments: [
            #"{"a": {"b": 1}, "b": 2}"#, #"[{"a": 1}, {"a": 2}]"#, #"{"a": "\"b\", \"a\": 1"}"#,
            #"{"a": ["a", "a"], "b": "a"}"#, #"{"attributes": {"email": "x"}, "email": "y@example.com"}"#,
            #"{"A": 1, "a": 2}"#,
        ])
    func notDuplicates(body: String) {
        #expect(JSONScan(Array(body.utf8)).duplicateKey == nil)
    }

    @Test("over HTTP: a repeated key gets 400 naming it, nothing is created; a method a path lacks gets 405")
    func server() async throws {
        try await HTTPTestSupport.withServer { store, base in
            var request = URLRequest(url: URL(string: base + "/v1/leads")!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"email": "ann@example.com", "stage": "lead", "email": "bob@example.com"}"#.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            #expect((response as! HTTPURLResponse).statusCode == 400)
            let body = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let error = body?["error"] as? [String: Any]
            #expect(error?["field"] as? String == "email", "\(String(decoding: data, as: UTF8.self))")
            #expect(try await store.leadCount() == 0)

            var trace = URLRequest(url: URL(string: base + "/healthz")!)
            trace.httpMethod = "PUT"
            let (_, traced) = try await URLSession.shared.data(for: trace)
            #expect((traced as! HTTPURLResponse).statusCode == 405)
            #expect((traced as! HTTPURLResponse).value(forHTTPHeaderField: "Allow") == "GET")
        }
    }
}
