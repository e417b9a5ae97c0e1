import Foundation
import NurtureCore
import Testing

extension StoreContract {
    func leadRoundTrip(_ store: any SendStore) async throws {
        let lead = Lead(
            email: try Self.address("Ada.Lovelace@Example.com"), firstName: "Ada", lastName: "Lovelace",
            company: "Analytical \"Engines\"", title: "CTO", timeZone: "Europe/London", stage: .salesQualified,
            source: .outbound, owner: "sam",
            qualification: Qualification(vision: .yes, budget: .no, need: .yes, authority: .unknown, timeframe: .yes),
            attributes: ["plan": "pro", "note": "line 1\nline \"2\" \\ ünïcødé ✓", "empty": ""],
            isUnsubscribed: true, hasBounced: true)
        #expect(try await store.saveLead(lead, at: Self.t0))
        #expect(try await store.lead(lead.email) == lead)
        let bare = Lead(email: try Self.address("bare@example.com"))
        try await store.saveLead(bare, at: Self.t0)
        #expect(try await store.lead(bare.email) == bare)
        #expect(try await store.lead(Self.address("nobody@example.com")) == nil)
    }

    func leadUpsertIgnoresCase(_ store: any SendStore) async throws {
        let first = Lead(email: try Self.address("Ann@Example.com"), firstName: "Ann")
        #expect(try await store.saveLead(first, at: Self.t0))
        let second = Lead(email: try Self.address("ann@example.com"), firstName: "Anne", stage: .lead)
        #expect(try await store.saveLead(second, at: Self.at(60)) == false)
        #expect(try await store.leadCount() == 1)
        let stored = try await store.lead(Self.address("ANN@example.COM"))
        #expect(stored?.firstName == "Anne")
        #expect(stored?.stage == .lead)
        #expect(stored?.email.description.lowercased() == "ann@example.com")
    }

    func saveLeadsCountsNew(_ store: any SendStore) async throws {
        let names = ["a@example.com", "b@example.com", "A@example.com"]
        let leads = try names.map { Lead(email: try Self.address($0)) }
        #expect(try await store.saveLeads(leads, at: Self.t0) == 2)
        let more = try ["b@example.com", "c@example.com"].map { Lead(email: try Self.address($0)) }
        #expect(try await store.saveLeads(more, at: Self.at(1)) == 1)
        #expect(try await store.saveLeads([], at: Self.at(2)) == 0)
        #expect(try await store.leadCount() == 3)
    }

    func leadPaging(_ store: any SendStore) async throws {
        let names = ["erin", "alice", "dave", "carol", "bob"].map { "\($0)@example.com" }
        try await store.saveLeads(try names.map { Lead(email: try Self.address($0)) }, at: Self.t0)
        var seen: [String] = []
        var after: EmailAddress?
        while true {
            let page = try await store.leads(after: after, limit: 2)
            #expect(page.count <= 2)
            guard let last = page.last else { break }
            seen += page.map(\.email.description)
            after = last.email
        }
        #expect(seen == names.sorted())
        #expect(try await store.leads(after: nil, limit: 0).isEmpty)
        #expect(try await store.leads(after: Self.address("carol@example.com"), limit: 10).count == 2)
    }

    func auditOrder(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("bob@example.com")
        let entries = [
            LeadAuditEntry(at: Self.at(0), leadEmail: ann, kind: "created", detail: "imported from leads.csv"),
            LeadAuditEntry(at: Self.at(5), leadEmail: ann, kind: "stage-changed", detail: "subscriber → lead"),
            LeadAuditEntry(at: Self.at(5), leadEmail: ann, kind: "owner-changed", detail: "none → sam"),
            LeadAuditEntry(at: Self.at(9), leadEmail: ann, kind: "unsubscribed", detail: "link clicked"),
        ]
        for entry in entries { try await store.appendAudit(entry) }
        try await store.appendAudit(LeadAuditEntry(at: Self.at(1), leadEmail: bob, kind: "created", detail: "CLI"))
        #expect(try await store.audit(for: ann) == entries)
        #expect(try await store.audit(for: bob).map(\.kind) == ["created"])
        #expect(try await store.audit(for: Self.address("nobody@example.com")).isEmpty)
    }
}

extension StoreContract {
    func createLeadsWritesEverything(_ store: any SendStore) async throws {
        let ann = try Self.address("ann@example.com")
        let bob = try Self.address("Bob@Example.com")
        let cid = try Self.address("cid@example.com")
        // Bob is already enrolled: creating him again replaces the lead and ends that enrollment.
        let (old, oldSend) = try await Self.plannedSend(store, "bob@example.com", sequence: "welcome")
        let created = LeadAuditEntry(at: Self.at(5), leadEmail: ann, kind: "created", detail: "stage lead")
        let owner = LeadAuditEntry(at: Self.at(5), leadEmail: ann, kind: "owner-changed", detail: "owner → sam")
        var cursor = RoundRobinCursor()
        cursor.scores = ["sam": 1]
        let leads = [
            NewLead(
                lead: Lead(email: ann, stage: .salesQualified, owner: "sam"), audit: [created, owner], sequence: "sales"
            ),
            NewLead(lead: Lead(email: bob, firstName: "Bob"), sequence: "nurture"),
            NewLead(lead: Lead(email: cid, isUnsubscribed: true), suppression: "unsubscribed"),
        ]
        #expect(try await store.createLeads(leads, cursor: cursor, keying: Self.keying, at: Self.at(5)) == 2)
        #expect(try await store.leadCount() == 3)
        #expect(try await store.lead(ann)?.owner == "sam")
        #expect(try await store.lead(bob)?.firstName == "Bob")
        let annEnrollment = try #require(try await store.enrollments(for: ann).last)
        #expect(annEnrollment.sequence == "sales")
        #expect(annEnrollment.isActive && annEnrollment.startedAt == Self.at(5))
        #expect(
            try await store.audit(for: ann)
                == [created, owner, .enrolled(ann, in: "sales", enrollmentID: annEnrollment.id, at: Self.at(5))])
        let bobs = try await store.enrollments(for: bob)
        #expect(bobs.map(\.sequence) == ["welcome", "nurture"])
        #expect(bobs.first?.endReason == .stageChanged && bobs.last?.isActive == true)
        #expect(try await store.send(oldSend.id)?.state == .cancelled)
        #expect(try await store.enrollment(old.id)?.isActive == false)
        let needing = try await store.enrollmentsNeedingPlan(limit: 10).map { $0.leadEmail.description.lowercased() }
            .sorted()
        #expect(needing == ["ann@example.com", "bob@example.com"])
        #expect(try await store.enrollments(for: cid).isEmpty)
        #expect(try await store.isSuppressed(Self.keying.suppressionKey(for: cid)))
        #expect(try await !store.isSuppressed(Self.unkeyedOnly(cid)), "written keyed")
        #expect(try await !store.isSuppressed(Self.keying.suppressionKey(for: ann)))
        #expect(try await store.roundRobinCursor() == cursor)
        // Nothing to write changes nothing; no cursor leaves the saved one.
        #expect(try await store.createLeads([], cursor: nil, keying: Self.keying, at: Self.at(6)) == 0)
        #expect(
            try await store.createLeads(
                [NewLead(lead: Lead(email: Self.address("dee@example.com")))], cursor: nil, keying: Self.keying,
                at: Self.at(6)) == 1)
        #expect(try await store.roundRobinCursor() == cursor)
    }

    func leadsByAddresses(_ store: any SendStore) async throws {
        try await store.saveLeads(
            try ["ann@example.com", "Bob@example.com"].map { Lead(email: try Self.address($0)) }, at: Self.t0)
        let found = try await store.leads(
            ["ANN@example.com", "bob@example.com", "nobody@example.com"].map { try Self.address($0) })
        #expect(found.map(\.email.description).sorted() == ["Bob@example.com", "ann@example.com"])
        #expect(try await store.leads([]).isEmpty)
    }
}
