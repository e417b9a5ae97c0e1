import Foundation
import HTTPTypes
import NurtureConfig
import NurtureCore
import Testing

@testable import NurtureHTTP

/// The checks on API bodies: every bad input is a 4xx naming the field, before anything is applied. The intake
/// rules every door shares (an owner among the configured salespeople, ...) are tested against the running
/// server in ``IntakeRulesTests``.
@Suite struct LeadRequestsTests {
    static func intake(_ body: String) -> Result<[String: String], APIError> {
        Result { () throws(APIError) in try LeadRequests.intake(Array(body.utf8)) }
    }

    static func event(_ body: String) -> Result<LeadRequests.Event, APIError> {
        Result { () throws(APIError) in try LeadRequests.event(Array(body.utf8)) }
    }

    @Test func intakeReadsEveryField() throws {
        let values = try Self.intake(
            #"""
            {"email": "ana@example.com", "first_name": "Ana", "stage": "lead", "source": "inbound", "owner": "priya",
             "time_zone": "Europe/Lisbon", "qualification": {"budget": "yes", "need": false},
             "attributes": {"plan": "pro"}}
            """#
        ).get()
        #expect(values["email"] == "ana@example.com")
        #expect(values["owner"] == "priya")
        #expect(values["budget"] == "yes" && values["need"] == "no")
        #expect(values["plan"] == "pro")
        #expect(try Self.intake(#"{"email": "a@example.com", "owner": null}"#).get()["owner"] == "none")
    }

    @Test(
        "bad intake bodies name the field",
        arguments: [
            ("", 400, nil), ("[]", 400, nil), (#"{"email": "#, 400, nil), ("{}", 422, "email"),
            (#"{"email": 5}"#, 422, "email"), (#"{"email": "a@example.com", "stage": true}"#, 422, "stage"),
            (#"{"email": "a@example.com", "colour": "red"}"#, 422, "colour"),
            (#"{"email": "a@example.com", "qualification": {"money": "yes"}}"#, 422, "qualification.money"),
            (#"{"email": "a@example.com", "qualification": {"budget": "maybe"}}"#, 422, "qualification.budget"),
            (#"{"email": "a@example.com", "qualification": {"budget": 1}}"#, 422, "qualification.budget"),
            (#"{"email": "a@example.com", "attributes": ["x"]}"#, 422, "attributes"),
            (#"{"email": "a@example.com", "attributes": {"a b": "x"}}"#, 422, "attributes.a b"),
            (#"{"email": "a@example.com", "attributes": {"stage": "x"}}"#, 422, "attributes.stage"),
            (#"{"email": "a@example.com", "attributes": {"plan": 3}}"#, 422, "attributes.plan"),
        ] as [(String, Int, String?)])
    func badIntake(body: String, status: Int, field: String?) {
        guard case .failure(let error) = Self.intake(body) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(Int(error.status.code) == status, "\(error)")
        #expect(error.field == field, "\(error)")
        #expect(!error.message.isEmpty)
    }

    @Test func longValuesAreRefused() {
        let body = #"{"email": "a@example.com", "title": ""# + String(repeating: "x", count: 1001) + #""}"#
        guard case .failure(let error) = Self.intake(body) else {
            Issue.record("accepted a 1001-character title")
            return
        }
        #expect(error.field == "title")
    }

    @Test func events() throws {
        #expect(try Self.event(#"{"type": "stage", "stage": "Sales-Qualified"}"#).get() == .stage(.salesQualified))
        #expect(try Self.event(#"{"type": "owner", "owner": null}"#).get() == .owner(nil))
        #expect(try Self.event(#"{"type": "owner", "owner": "marco"}"#).get() == .owner("marco"))
        #expect(
            try Self.event(#"{"type": "qualification", "criteria": {"budget": "yes"}}"#).get()
                == .qualification([.budget: .yes]))
        #expect(try Self.event(#"{"type": "reply"}"#).get() == .reply)
        #expect(try Self.event(#"{"type": "unsubscribe"}"#).get() == .unsubscribe)
    }

    @Test(
        "bad events name the field",
        arguments: [
            (#"{}"#, "type"), (#"{"type": "wave"}"#, "type"), (#"{"type": 1}"#, "type"),
            (#"{"type": "stage"}"#, "stage"), (#"{"type": "stage", "stage": "vip"}"#, "stage"),
            (#"{"type": "reply", "stage": "lead"}"#, "stage"),
            (#"{"type": "qualification", "criteria": {}}"#, "criteria"),
            (#"{"type": "qualification", "criteria": "yes"}"#, "criteria"),
        ])
    func badEvents(body: String, field: String) {
        guard case .failure(let error) = Self.event(body) else {
            Issue.record("accepted \(body)")
            return
        }
        #expect(error.status == .unprocessableContent, "\(error)")
        #expect(error.field == field, "\(error)")
    }

    @Test func pathAddresses() throws {
        #expect(try LeadRequests.address(fromPath: "ana%40example.com").description == "ana@example.com")
        #expect(throws: APIError.self) { try LeadRequests.address(fromPath: "ana%0d%0aBcc:x@example.com") }
    }
}
