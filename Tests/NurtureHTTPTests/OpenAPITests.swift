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

    @Test("the LeadEvent variants list every event type with exactly the fields the checks accept for it")
    func eventTypesMatch() {
        let lines = Self.text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "    LeadEvent:") else {
            Issue.record("no LeadEvent schema")
            return
        }
        let body = lines[(start + 1)...].prefix { $0.hasPrefix("      ") }
        var variants: [(types: [String], fields: [String])] = []
        for line in body {
            if line.hasPrefix("        - type: object") { variants.append(([], [])) }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("            "), !line.hasPrefix("             "), !variants.isEmpty,
                let colon = trimmed.firstIndex(of: ":")
            else { continue }
            let name = String(trimmed[..<colon])
            if name == "type" {
                let value = trimmed[trimmed.index(after: colon)...]
                if let range = value.range(of: "const: ") {
                    variants[variants.count - 1].types = [
                        value[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " }"))
                    ]
                } else if let list = value.split(separator: "[").last?.split(separator: "]").first {
                    variants[variants.count - 1].types = list.split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                }
            } else {
                variants[variants.count - 1].fields.append(name)
            }
        }
        #expect(variants.flatMap(\.types).sorted() == LeadRequests.eventFields.keys.sorted(), "\(variants)")
        for variant in variants {
            for type in variant.types {
                #expect(variant.fields.sorted() == (LeadRequests.eventFields[type] ?? ["?"]).sorted(), "\(type)")
            }
        }
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
