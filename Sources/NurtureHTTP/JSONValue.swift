import Foundation
import HTTPTypes

/// Any JSON value, decoded without a schema so requests can be checked field by field with clear errors.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// What kind of value this is, for error messages ("a number", "an object").
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The deepest nesting any request body may have (a lead body needs 3); deeper bodies are refused before
    /// decoding, which would otherwise spend time on each level.
    static let maximumDepth = 16

    /// How deep arrays and objects nest, ignoring brackets inside strings. Linear in the body.
    static func nestingDepth(_ bytes: [UInt8]) -> Int { JSONScan(bytes).deepest }

    /// Parses a request body; the error names where the JSON breaks.
    static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        guard !bytes.isEmpty else { throw APIError(.badRequest, field: nil, "the body is empty; send a JSON object") }
        let scan = JSONScan(bytes)
        guard scan.deepest <= maximumDepth else {
            throw APIError(
                .badRequest, field: nil, "the JSON is nested deeper than \(maximumDepth) levels; no request needs that")
        }
        if let duplicate = scan.duplicateKey {
            // A decoder keeps one of the two values silently; which one differs between parsers, so a proxy or
            // a log pipeline could read another value than the one applied.
            throw APIError(
                .badRequest, field: duplicate,
                "the key `\(duplicate)` appears twice in the same object; send each field once")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch let DecodingError.dataCorrupted(context) {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            throw APIError(
                .badRequest, field: nil, "the body is not valid JSON: \(underlying ?? context.debugDescription)")
        } catch {
            throw APIError(.badRequest, field: nil, "the body is not valid JSON")
        }
    }
}
