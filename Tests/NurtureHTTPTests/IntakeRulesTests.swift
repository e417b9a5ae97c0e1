import Foundation
import NurtureCore
import NurtureSQLite
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The intake rules `nurture leads add` and `nurture leads import` apply hold for `POST /v1/leads` and the
/// events, against the running server and a real store: the same field, the same message, nothing written.
@Suite struct IntakeRulesTests {
    /// `POST path` with a JSON body and the test token: the status and the decoded JSON.
    static func post(_ base: String, _ path: String, _ body: String) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as! HTTPURLResponse).statusCode, json)
    }

    static func error(_ json: [String: Any]) -> (field: String?, message: String) {
        let error = json["error"] as? [String: Any] ?? [:]
        return (error["field"] as? String, error["message"] as? String ?? "")
    }

    @Test(
        "a value that breaks an intake rule is 422 naming the field, with the rule's message",
        arguments: [
            (
                #""owner": "zed""#, "owner",
                "`zed` is not a configured salesperson; use one of: priya, marco, lena, or none"
            ),
            (#""stage": "vip""#, "stage", "`vip` is not a stage; use one of:"),
            (#""time_zone": "Mars/Olympus""#, "time_zone", "`Mars/Olympus` is not an IANA time zone"),
            (#""unsubscribed": "maybe""#, "unsubscribed", "`maybe` is not yes or no; write yes or no"),
            (#""bounced": "perhaps""#, "bounced", "`perhaps` is not yes or no; write yes or no"),
            (#""attributes": {"team size": "40"}"#, "attributes.team size", "is not a usable attribute name"),
            (#""first_name": "Ana\nBcc: x""#, "first_name", "contains a line break"),
        ])
    func refused(member: String, field: String, message: String) async throws {
        try await HTTPTestSupport.withServer { store, base in
            let (status, json) = try await Self.post(base, "/v1/leads", #"{"email": "new@example.com", \#(member)}"#)
            #expect(status == 422)
            #expect(Self.error(json).field == field)
            #expect(Self.error(json).message.contains(message), "\(json)")
            #expect(try await store.leadCount() == 0)
        }
    }

    @Test("an owner event names the configured salespeople; an owner kept as it was is accepted")
    func owners() async throws {
        try await HTTPTestSupport.withServer { store, base in
            let email = try EmailAddress("kept@example.com")
            try await store.saveLead(Lead(email: email, stage: .lead, owner: "gone"), at: Date())
            let (status, json) = try await Self.post(
                base, "/v1/leads/kept%40example.com/events", #"{"type": "owner", "owner": "zed"}"#)
            #expect(status == 422)
            #expect(Self.error(json).field == "owner")
            #expect(
                Self.error(json).message
                    == "`zed` is not a configured salesperson; use one of: priya, marco, lena, or none")
            let kept = try await Self.post(
                base, "/v1/leads", #"{"email": "kept@example.com", "owner": "gone", "company": "Initech"}"#)
            #expect(kept.0 == 200, "\(kept.1)")
            #expect(try await store.lead(email)?.company == "Initech")
            #expect(try await store.lead(email)?.owner == "gone")
        }
    }

    @Test("flags: bounced true suppresses the address and ends the enrollment, as the CLI and CSV do")
    func bouncedFlag() async throws {
        try await HTTPTestSupport.withServer { store, base in
            let created = try await Self.post(base, "/v1/leads", #"{"email": "b@example.com", "stage": "lead"}"#)
            #expect(created.0 == 201)
            let (status, json) = try await Self.post(base, "/v1/leads", #"{"email": "b@example.com", "bounced": true}"#)
            #expect(status == 200, "\(json)")
            #expect((json["changes"] as? [String] ?? []).contains("bounced"), "\(json)")
            let email = try EmailAddress("b@example.com")
            #expect(try await store.lead(email)?.hasBounced == true)
            #expect(try await store.enrollments(for: email).allSatisfy { !$0.isActive })
            let audit = try await store.audit(for: email).filter { $0.kind == "api" }.map(\.detail)
            #expect(audit == ["POST /v1/leads (token tests): created", "POST /v1/leads (token tests): updated"])
        }
    }

    @Test("GET /v1/leads/{email} explains why the next email waits")
    func why() async throws {
        try await HTTPTestSupport.withServer { _, base in
            _ = try await Self.post(base, "/v1/leads", #"{"email": "w@example.com", "stage": "customer"}"#)
            var request = URLRequest(url: URL(string: base + "/v1/leads/w%40example.com")!)
            request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            #expect(json["why"] as? String == "stage customer receives nothing: nothing more will be sent")
        }
    }

    @Test("GET /v1/leads/{email}: a paused enrollment says until when (paused_until), an unpaused one says null")
    func pausedUntil() async throws {
        try await HTTPTestSupport.withServer { store, base in
            _ = try await Self.post(base, "/v1/leads", #"{"email": "away@example.com", "stage": "lead"}"#)
            let email = try EmailAddress("away@example.com")
            func enrollments() async throws -> [[String: Any]] {
                var request = URLRequest(url: URL(string: base + "/v1/leads/away%40example.com")!)
                request.setValue("Bearer \(HTTPTestSupport.token)", forHTTPHeaderField: "Authorization")
                let (data, _) = try await URLSession.shared.data(for: request)
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
                return json["enrollments"] as? [[String: Any]] ?? []
            }
            let active = try #require(try await store.enrollments(for: email).last { $0.isActive })
            #expect(try await enrollments().first?["paused_until"] is NSNull)
            let lead = try #require(try await store.lead(email))
            let until = Date(timeIntervalSince1970: 1_796_342_400)  // 2026-12-04T00:00:00Z
            _ = try await store.apply(
                LeadChange(
                    lead: lead, suppressionKey: AddressKeying(secret: nil).suppressionKey(for: email),
                    steps: [.pause(enrollment: active.id, until: until)]),
                at: Date(timeIntervalSince1970: 1_796_000_000))
            #expect(try await enrollments().first?["paused_until"] as? String == "2026-12-04T00:00:00.000Z")
        }
    }
}
