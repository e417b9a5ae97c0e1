import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite
import Testing

/// The intake rules every door applies (CLI, CSV, HTTP), and the intake use case over a real SQLite store.
@Suite struct LeadIntakeTests {
    static let configuration = try! AppFixture.configuration()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(
        "one rule, one message per field",
        arguments: [
            (
                ["owner": "zed"], "owner",
                "`zed` is not a configured salesperson; use one of: priya, marco, lena, or none"
            ),
            (["stage": "vip"], "stage", "`vip` is not a stage; use one of:"),
            (["source": "walk-in"], "source", "`walk-in` is not a source; use inbound or outbound"),
            (["time_zone": "Mars/Olympus"], "time_zone", "`Mars/Olympus` is not an IANA time zone"),
            (["budget": "maybe"], "budget", "`maybe` is not yes, no or unknown"),
            (["unsubscribed": "maybe"], "unsubscribed", "`maybe` is not yes or no; write yes or no"),
            (["bounced": "perhaps"], "bounced", "`perhaps` is not yes or no; write yes or no"),
            (["team size": "40"], "team size", "is not a usable attribute name; name an attribute with 1 to 64"),
            (["title": String(repeating: "x", count: 1001)], "title", "is longer than 1000 characters"),
            (["first_name": "Ana\nBcc: x"], "first_name", "contains a line break"),
        ] as [([String: String], String, String)])
    func refused(values: [String: String], field: String, message: String) {
        var input = values
        input["email"] = "new@example.com"
        guard
            case .failure(let problems) = LeadIntake.lead(from: input, existing: nil, configuration: Self.configuration)
        else {
            Issue.record("accepted \(values)")
            return
        }
        #expect(problems.all.map(\.field) == [field])
        #expect(problems.all[0].description.contains("\(field): \(message)"), "\(problems)")
    }

    @Test(
        "accepted values",
        arguments: [
            (["owner": "marco"], "owner", "marco"), (["owner": "none"], "owner", "-"),
            (["stage": "Sales-Qualified"], "stage", "sales-qualified"),
            (["unsubscribed": "yes"], "unsubscribed", "true"),
            (["bounced": "true"], "bounced", "true"), (["bounced": "no"], "bounced", "false"),
            (["team_size": "40"], "team_size", "40"),
        ] as [([String: String], String, String)])
    func accepted(values: [String: String], field: String, expected: String) throws {
        var input = values
        input["email"] = "new@example.com"
        let lead = try LeadIntake.lead(from: input, existing: nil, configuration: Self.configuration).get()
        let actual: String? =
            switch field {
            case "owner": lead.owner ?? "-"
            case "stage": lead.stage.rawValue
            case "unsubscribed": "\(lead.isUnsubscribed)"
            case "bounced": "\(lead.hasBounced)"
            default: lead.attributes[field]
            }
        #expect(actual == expected)
    }

    @Test("an owner kept as it was is accepted even when no longer configured; changing to it is not")
    func keptOwner() throws {
        let existing = Lead(email: try EmailAddress("old@example.com"), owner: "gone")
        let kept = LeadIntake.lead(
            from: ["email": "old@example.com", "owner": "gone", "company": "Initech"], existing: existing,
            configuration: Self.configuration)
        #expect(try kept.get().company == "Initech")
        let other = Lead(email: try EmailAddress("other@example.com"), owner: "priya")
        let changed = LeadIntake.lead(
            from: ["email": "other@example.com", "owner": "gone"], existing: other, configuration: Self.configuration)
        #expect(throws: LeadInput.Problems.self) { try changed.get() }
    }

    @Test("modes: add refuses an existing lead, update a missing one; the origin is one more audit line")
    func modes() async throws {
        try await AppFixture.withStore { configuration, store in
            let intake = LeadIntake(store: store, configuration: configuration)
            let origin = LeadService.Origin(kind: "api", detail: "POST /v1/leads (token crm)")
            let created = try await intake.save(
                ["email": "ana@example.com", "stage": "lead"], mode: .create, origin: origin, at: Self.now)
            #expect(created.created)
            await #expect(throws: LeadIntake.Failure.self) {
                try await intake.save(["email": "ana@example.com"], mode: .create, at: Self.now)
            }
            await #expect(throws: LeadIntake.Failure.self) {
                try await intake.save(["email": "bob@example.com"], mode: .update, at: Self.now)
            }
            #expect(try await store.lead(EmailAddress("bob@example.com")) == nil)
            let updated = try await intake.save(
                ["email": "ana@example.com", "bounced": "yes"], mode: .update, origin: origin, at: Self.now)
            #expect(!updated.created && updated.lead.hasBounced)
            #expect(updated.notes.contains("bounced"))
            let address = try EmailAddress("ana@example.com")
            #expect(try await store.isSuppressed(configuration.addressKeying.suppressionKey(for: address)))
            #expect(try await store.enrollments(for: address).allSatisfy { !$0.isActive })
            let audit = try await store.audit(for: address).filter { $0.kind == "api" }.map(\.detail)
            #expect(audit == ["POST /v1/leads (token crm): created", "POST /v1/leads (token crm): updated"])
        }
    }
}
