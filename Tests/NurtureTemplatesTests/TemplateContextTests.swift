import NurtureTemplates
import Testing

@Suite("TemplateContext: a tree of text values addressed by dotted names")
struct TemplateContextTests {
    @Test("dotted subscripts read, create groups, and remove")
    func subscripts() {
        var context = TemplateContext()
        context["lead.first_name"] = "Dana"
        context["attributes.team_size"] = "40"
        #expect(context["lead.first_name"] == "Dana")
        #expect(context.value(at: "lead") == ["first_name": "Dana"])
        #expect(context.names == ["attributes.team_size", "lead.first_name"])
        context["lead.first_name"] = nil
        #expect(context["lead.first_name"] == nil)
        #expect(context["lead"] == nil)
    }

    @Test("presence: blank text and empty groups are absent")
    func presence() {
        #expect(TemplateValue.text("x").isPresent)
        #expect(!TemplateValue.text(" \t\n").isPresent)
        #expect(!TemplateValue.group([:]).isPresent)
    }

    @Test("the synthetic contexts name every known variable", arguments: [TemplateTrack.marketing, .sales()])
    func syntheticIsComplete(track: TemplateTrack) {
        let names = Set(TemplateVariables.syntheticContext(for: track).names)
        #expect(names.isSuperset(of: TemplateVariables.known))
        #expect(names.allSatisfy(TemplateVariables.isKnown))
    }

    @Test(
        "known variables",
        arguments: [
            ("attributes.plan", true), ("attributes", false), ("attributes.a.b", false),
            ("lead.company", true), ("lead.nickname", false), ("unsubscribe_url", true),
        ])
    func known(name: String, isKnown: Bool) {
        #expect(TemplateVariables.isKnown(name) == isKnown)
    }
}
