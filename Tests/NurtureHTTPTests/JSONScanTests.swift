import Testing

@testable import NurtureHTTP

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
}
