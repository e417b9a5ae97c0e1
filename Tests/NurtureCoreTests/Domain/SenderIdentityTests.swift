import NurtureCore
import Testing

@Suite("Identity by track")
struct SenderIdentityTests {
    let marketing = MarketingSender(
        name: "Acme Analytics", address: DomainFixtures.address("hello@acme.example"),
        replyTo: DomainFixtures.address("team@acme.example"))
    let people = [DomainFixtures.salesperson("priya"), DomainFixtures.salesperson("marco")]

    @Test("marketing mail comes from the marketing sender with its reply-to, whoever owns the lead")
    func marketingTrack() {
        let lead = DomainFixtures.lead(owner: "priya")
        let identity = SenderIdentity.resolve(
            track: .marketing, lead: lead, marketingSender: marketing, salespeople: people)
        #expect(identity.from?.address.description == "hello@acme.example")
        #expect(identity.replyTo?.address.description == "team@acme.example")
    }

    @Test("sales mail comes from the lead's own owner, reply-to the owner")
    func salesTrack() {
        let lead = DomainFixtures.lead(stage: .salesQualified, owner: "marco")
        let identity = SenderIdentity.resolve(
            track: .sales, lead: lead, marketingSender: marketing, salespeople: people)
        #expect(identity == .owner(people[1]))
        #expect(identity.from?.address.description == "marco@acme.example")
        #expect(identity.replyTo?.address.description == "marco@acme.example")
    }

    @Test("sales mail without an owner, or with an unknown owner, is held, never sent as someone else")
    func heldSales() {
        let unowned = DomainFixtures.lead(stage: .salesQualified)
        #expect(
            SenderIdentity.resolve(track: .sales, lead: unowned, marketingSender: marketing, salespeople: people)
                == .held(.noOwner))
        let ghost = DomainFixtures.lead(stage: .salesQualified, owner: "ghost")
        let identity = SenderIdentity.resolve(
            track: .sales, lead: ghost, marketingSender: marketing, salespeople: people)
        #expect(identity == .held(.unknownOwner("ghost")))
        #expect(identity.from == nil)
    }
}
