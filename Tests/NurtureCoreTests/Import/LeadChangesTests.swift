import Foundation
import NurtureCore
import Testing

/// ``LeadChanges`` decides every write of one lead change, in order, without a store or a clock.
@Suite("Lead changes")
struct LeadChangesTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let keying = AddressKeying(secret: nil)
    static let nurture = LeadChanges.Active(id: 7, sequence: "marketing-nurture")

    /// One change: what the store holds, what is asked, and the writes and notes expected.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Ask: Sendable {
            case create(Lead)
            case update(Lead)
            case event(LeadEvent)
        }

        var name: String
        var stored = DomainFixtures.lead(stage: .subscriber)
        var active: LeadChanges.Active? = LeadChangesTests.nurture
        var ask: Ask
        var steps: [String]
        var notes: [String]
        var cursorSaved = false
        var testDescription: String { name }
    }

    static func updated(_ change: (inout Lead) -> Void) -> Lead {
        var lead = DomainFixtures.lead(stage: .subscriber)
        change(&lead)
        return lead
    }

    static let cases: [Case] = [
        Case(
            name: "a new subscriber is created and enrolled", active: nil,
            ask: .create(DomainFixtures.lead(stage: .subscriber)),
            steps: ["audit created", "enroll marketing-nurture"], notes: ["enrolled in marketing-nurture"]),
        Case(
            name: "a new unsubscribed lead is suppressed and not enrolled", active: nil,
            ask: .create(updated { $0.isUnsubscribed = true }), steps: ["audit created", "suppress unsubscribed"],
            notes: []),
        Case(
            name: "a new sales-qualified inbound lead gets a round-robin owner", active: nil,
            ask: .create(DomainFixtures.lead(stage: .salesQualified)),
            steps: ["audit created", "audit owner-changed", "enroll inbound-sales"],
            notes: ["owner → priya (round-robin)", "enrolled in inbound-sales"], cursorSaved: true),
        Case(
            name: "a field change is only saved", ask: .update(updated { $0.company = "Initech" }), steps: [],
            notes: ["updated"]),
        Case(
            name: "a stage change ends the enrollment and starts the rule's",
            ask: .update(updated { $0.stage = .salesQualified }),
            steps: [
                "audit stage-changed", "audit owner-changed", "end 7 marketing-nurture stage-changed",
                "enroll inbound-sales",
            ],
            notes: [
                "stage subscriber → sales-qualified", "owner → priya (round-robin)",
                "ended marketing-nurture (stage-changed); 2 waiting send(s) cancelled", "enrolled in inbound-sales",
            ], cursorSaved: true),
        Case(
            name: "a stage change and an unsubscribe in one update end the enrollment the change started",
            ask: .update(
                updated {
                    $0.stage = .lead; $0.isUnsubscribed = true
                }),
            steps: [
                "audit stage-changed", "end 7 marketing-nurture stage-changed", "enroll marketing-nurture",
                "suppress unsubscribed", "audit unsubscribed", "end new marketing-nurture unsubscribed",
            ],
            notes: [
                "stage subscriber → lead", "ended marketing-nurture (stage-changed); 2 waiting send(s) cancelled",
                "enrolled in marketing-nurture", "unsubscribed",
                "ended marketing-nurture (unsubscribed); 0 waiting send(s) cancelled",
            ]),
        Case(
            name: "a new owner is recorded", ask: .update(updated { $0.owner = "marco" }),
            steps: ["audit owner-changed"], notes: ["owner none → marco"]),
        Case(
            name: "a bounce suppresses and ends the enrollment", ask: .event(.bounced),
            steps: ["suppress bounced", "audit bounced", "end 7 marketing-nurture bounced"],
            notes: ["bounced", "ended marketing-nurture (bounced); 2 waiting send(s) cancelled"]),
        Case(
            name: "a reply is recorded and ends the enrollment", ask: .event(.replied),
            steps: ["audit replied", "end 7 marketing-nurture replied"],
            notes: ["ended marketing-nurture (replied); 2 waiting send(s) cancelled"]),
        Case(
            name: "a reply without an enrollment only records it", active: nil, ask: .event(.replied),
            steps: ["audit replied"], notes: []),
    ]

    @Test(arguments: cases)
    func decides(_ test: Case) {
        let machine = DomainFixtures.machine()
        let change: LeadChange
        switch test.ask {
        case .create(let lead):
            change = LeadChanges.create(lead, machine: machine, cursor: .init(), keying: Self.keying, at: Self.now)
        case .update(let lead):
            change = LeadChanges.update(
                lead, existing: test.stored, active: test.active, machine: machine, cursor: .init(),
                keying: Self.keying, at: Self.now)
        case .event(let event):
            change = LeadChanges.apply(
                event, to: test.stored, active: test.active, machine: machine, cursor: .init(), keying: Self.keying,
                at: Self.now)
        }
        #expect(change.steps.map(Self.describe) == test.steps)
        // The first ended enrollment had two waiting sends; any later one none.
        #expect(change.notes(cancelled: [2, 0]) == test.notes)
        #expect((change.cursor != nil) == test.cursorSaved)
        #expect(change.suppressionKey == Self.keying.suppressionKey(for: change.lead.email))
    }

    @Test("the lead written is the stage machine's result")
    func leadIsTheTransition() {
        let change = LeadChanges.update(
            Self.updated {
                $0.stage = .salesQualified; $0.company = "Initech"
            },
            existing: DomainFixtures.lead(stage: .subscriber), active: Self.nurture, machine: DomainFixtures.machine(),
            cursor: .init(), keying: Self.keying, at: Self.now)
        #expect(change.lead.stage == .salesQualified)
        #expect(change.lead.owner == "priya")
        #expect(change.lead.company == "Initech")
    }

    static func describe(_ step: LeadChange.Step) -> String {
        switch step {
        case .audit(let entry): "audit \(entry.kind)"
        case .suppress(let reason): "suppress \(reason)"
        case .end(let id, let sequence, let reason): "end \(id.map(String.init) ?? "new") \(sequence) \(reason)"
        case .enroll(let sequence): "enroll \(sequence)"
        case .pause(let id, let until): "pause \(id) until \(until.timeIntervalSince1970)"
        case .inbound(let record): "inbound \(record.mailbox) \(record.uid) \(record.kind)"
        }
    }
}
