import Foundation
import HTTPTypes
import NurtureConfig
package import NurtureCore

/// Reads the JSON bodies of the lead endpoints into checked values. Pure: every problem of the JSON itself
/// becomes an ``APIError`` (422 naming the field) before anything is applied; the intake rules every door shares
/// (``LeadInput``, the owner check of ``LeadIntake``) are applied by ``LeadIntake`` and reported the same way
/// (``APIError/invalid(_:)``).
package enum LeadRequests {
    /// The fields `POST /v1/leads` accepts.
    package static let intakeFields = [
        "email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source", "owner",
        "unsubscribed", "bounced", "qualification", "attributes",
    ]

    /// The intake fields that are yes/no flags: `true` sets the flag; `false` leaves it (it never re-subscribes).
    static let flagFields = ["unsubscribed", "bounced"]

    /// The event types `POST /v1/leads/{email}/events` accepts, with the fields each takes besides `type`.
    package static let eventFields: [String: [String]] = [
        "stage": ["stage"], "owner": ["owner"], "qualification": ["criteria"], "reply": [], "bounce": [],
        "unsubscribe": [], "recycle": [], "unsuppress": [],
    ]

    /// The longest text value accepted (names, titles, attribute values): the intake rule's.
    static let maximumTextLength = LeadInput.maximumTextLength

    /// An intake body as the `[key: text]` map ``LeadInput`` reads (keys are CSV column names); `owner: null`
    /// becomes `none` (no owner), a flag `true`/`false` becomes `yes`/`no`. The intake rules (owners among the
    /// configured salespeople, stages, time zones, ...) are ``LeadIntake``'s.
    package static func intake(_ body: [UInt8]) throws(APIError) -> [String: String] {
        let object = try fields(of: JSONValue.parse(body), allowed: intakeFields, path: nil)
        var values: [String: String] = [:]
        for key in intakeFields where !["qualification", "attributes"].contains(key) {
            guard let value = object[key] else { continue }
            if key == "owner", value == .null {
                values["owner"] = "none"
                continue
            }
            if flagFields.contains(key), case .bool(let flag) = value {
                values[key] = flag ? "yes" : "no"
                continue
            }
            values[key] = try text(value, field: key)
        }
        guard values["email"] != nil else {
            throw APIError(.unprocessableContent, field: "email", "is missing; every lead needs an email address")
        }
        if let qualification = object["qualification"] {
            for (criterion, status) in try criteria(qualification, field: "qualification") {
                values[criterion.rawValue] = status.rawValue
            }
        }
        if let attributes = object["attributes"] {
            guard case .object(let entries) = attributes else {
                throw APIError(
                    .unprocessableContent, field: "attributes",
                    "must be an object of strings, found \(attributes.kind), e.g. {\"plan\": \"pro\"}")
            }
            for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
                let field = "attributes.\(key)"
                if let problem = LeadInput.attributeNameProblem(key) {
                    throw APIError(.unprocessableContent, field: field, "\(problem.problem); \(problem.fix)")
                }
                guard !LeadInput.knownKeys.contains(key) else {
                    throw APIError(
                        .unprocessableContent, field: field, "`\(key)` is a lead field; send it at the top level")
                }
                values[key] = try text(value, field: field)
            }
        }
        return values
    }

    /// One lead event.
    package enum Event: Sendable, Equatable {
        case stage(Stage)
        case owner(String?)
        case qualification([VBANTCriterion: CriterionStatus])
        case reply
        case bounce
        case unsubscribe
        case recycle
        /// Undo a wrong bounce (``LeadService/unsuppress(_:by:at:)``).
        case unsuppress
    }

    /// An events body: `{"type": "stage", "stage": "sales-qualified"}`, `{"type": "owner", "owner": "priya"}`,
    /// `{"type": "qualification", "criteria": {"budget": "yes"}}`, `{"type": "reply"}`, `bounce`, `unsubscribe`,
    /// `recycle`, `unsuppress`. The owner is checked against the configuration by the intake rule, once the
    /// lead is read (``LeadIntake/ownerProblem(_:existing:configuration:)``).
    package static func event(_ body: [UInt8]) throws(APIError) -> Event {
        let json = try JSONValue.parse(body)
        let object = try fields(of: json, allowed: nil, path: nil)
        guard let typeValue = object["type"] else {
            throw APIError(
                .unprocessableContent, field: "type",
                "is missing; use one of: \(eventFields.keys.sorted().joined(separator: ", "))")
        }
        let type = try text(typeValue, field: "type")
        guard let allowed = eventFields[type] else {
            throw APIError(
                .unprocessableContent, field: "type",
                "`\(type)` is not an event type; use one of: \(eventFields.keys.sorted().joined(separator: ", "))")
        }
        _ = try fields(of: json, allowed: ["type"] + allowed, path: nil)
        func required(_ key: String, example: String) throws(APIError) -> JSONValue {
            guard let value = object[key] else {
                throw APIError(.unprocessableContent, field: key, "is missing for a `\(type)` event, e.g. \(example)")
            }
            return value
        }
        switch type {
        case "stage":
            let name = try text(try required("stage", example: "\"stage\": \"sales-qualified\""), field: "stage")
            guard let stage = Stage(rawValue: name.lowercased()) else {
                throw APIError(
                    .unprocessableContent, field: "stage", "`\(name)` is not a stage; use one of: \(Stage.allNames)")
            }
            return .stage(stage)
        case "owner":
            let value = try required("owner", example: "\"owner\": \"priya\" (or null to remove the owner)")
            if value == .null { return .owner(nil) }
            return .owner(try text(value, field: "owner"))
        case "qualification":
            let found = try criteria(
                try required("criteria", example: "\"criteria\": {\"budget\": \"yes\"}"), field: "criteria")
            guard !found.isEmpty else {
                throw APIError(
                    .unprocessableContent, field: "criteria", "names no criterion, e.g. {\"budget\": \"yes\"}")
            }
            return .qualification(found)
        case "reply": return .reply
        case "bounce": return .bounce
        case "unsubscribe": return .unsubscribe
        case "unsuppress": return .unsuppress
        default: return .recycle
        }
    }

    /// An email address from the request path (percent-decoded).
    package static func address(fromPath raw: String) throws(APIError) -> EmailAddress {
        let text = raw.removingPercentEncoding ?? raw
        do {
            return try EmailAddress(text)
        } catch {
            throw APIError(.unprocessableContent, field: "email", "the address in the path is not valid: \(error)")
        }
    }

    // MARK: Field checks

    /// The object's members, refusing anything but an object and (with `allowed`) unknown keys.
    private static func fields(of value: JSONValue, allowed: [String]?, path: String?) throws(APIError) -> [String:
        JSONValue]
    {
        guard case .object(let object) = value else {
            throw APIError(
                path == nil ? .badRequest : .unprocessableContent, field: path,
                "must be a JSON object, found \(value.kind)")
        }
        if let allowed, let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            let field = path.map { "\($0).\(unknown)" } ?? unknown
            throw APIError(
                .unprocessableContent, field: field,
                "is not a known field; use: \(allowed.joined(separator: ", "))")
        }
        return object
    }

    private static func text(_ value: JSONValue, field: String) throws(APIError) -> String {
        guard case .string(let text) = value else {
            throw APIError(.unprocessableContent, field: field, "must be a string, found \(value.kind)")
        }
        guard text.count <= maximumTextLength else {
            throw APIError(
                .unprocessableContent, field: field, "is longer than \(maximumTextLength) characters; shorten it")
        }
        return text
    }

    private static func criteria(
        _ value: JSONValue, field: String
    ) throws(APIError) -> [VBANTCriterion: CriterionStatus] {
        let names = VBANTCriterion.allCases.map(\.rawValue)
        let object = try fields(of: value, allowed: names, path: field)
        var result: [VBANTCriterion: CriterionStatus] = [:]
        for criterion in VBANTCriterion.allCases {
            guard let entry = object[criterion.rawValue] else { continue }
            let name = "\(field).\(criterion.rawValue)"
            switch entry {
            case .bool(let flag): result[criterion] = flag ? .yes : .no
            case .string(let text):
                guard let status = CriterionStatus(rawValue: text.lowercased()) else {
                    throw APIError(.unprocessableContent, field: name, "`\(text)` is not yes, no or unknown")
                }
                result[criterion] = status
            default:
                throw APIError(
                    .unprocessableContent, field: name, "must be \"yes\", \"no\" or \"unknown\", found \(entry.kind)")
            }
        }
        return result
    }
}
