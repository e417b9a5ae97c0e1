import Foundation
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import Testing

@testable import NurtureHTTP

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// docs/openapi.yaml stays in step with the code: its request fields and event types are the ones the checks
/// accept, and every operation it lists is served.
@Suite struct OpenAPITests {
    static let text = try! String(
        contentsOf: HTTPTestSupport.repositoryRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)

    /// The property names of a schema under `components.schemas`, read from the YAML's indentation.
    static func properties(of schema: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "    \(schema):"),
            let props = lines[start...].firstIndex(of: "      properties:")
        else { return [] }
        var names: [String] = []
        for line in lines[(props + 1)...] {
            guard line.hasPrefix("        ") else { break }
            if !line.hasPrefix("         "), let colon = line.firstIndex(of: ":") {
                names.append(line[..<colon].trimmingCharacters(in: .whitespaces))
            }
        }
        return names
    }

    @Test func intakeFieldsMatch() {
        #expect(Self.properties(of: "LeadIntake").sorted() == LeadRequests.intakeFields.sorted())
    }

    @Test func eventTypesMatch() {
        let line = Self.text.components(separatedBy: "\n").first { $0.contains("type: { type: string, enum: [bounce") }
        let listed =
            line.flatMap { $0.split(separator: "[").last?.split(separator: "]").first }
            .map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        #expect(listed.sorted() == LeadRequests.eventFields.keys.sorted())
        let fields = Set(LeadRequests.eventFields.values.flatMap { $0 } + ["type"])
        #expect(Set(Self.properties(of: "LeadEvent")) == fields)
    }

    @Test("every documented operation is served")
    func operationsAreServed() async throws {
        try await HTTPTestSupport.withServer { _, base in try await check(base: base) }
    }

    private func check(base: String) async throws {
        var operations: [(String, String)] = []
        var path: String?
        for line in Self.text.components(separatedBy: "\n").drop(while: { $0 != "paths:" }).dropFirst() {
            if line.hasPrefix("  /") { path = String(line.dropFirst(2).dropLast()) }
            for method in ["get", "post", "delete", "put", "patch"] where line == "    \(method):" {
                operations.append((method.uppercased(), path ?? "?"))
            }
        }
        #expect(operations.count == 8, "\(operations)")
        for (method, template) in operations {
            let concrete = template.replacingOccurrences(of: "{email}", with: "ana%40example.com")
                .replacingOccurrences(of: "{token}", with: String(repeating: "ab", count: 32))
            var request = URLRequest(url: URL(string: base + concrete)!)
            request.httpMethod = method
            request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as! HTTPURLResponse).statusCode
            // The router's own "no such route" is a 404 with an empty body; ours always explain themselves.
            #expect(!(status == 404 && data.isEmpty) && status != 405, "\(method) \(template) is not served")
        }
    }
}
