import NurtureTemplates
import Testing

@Suite("The shipped templates directory")
struct ShippedTemplatesTests {
    static let library: TemplateLibrary? = try? TemplateLibrary.load(directory: shippedTemplatesDirectory)

    /// Every shipped (sequence, step), with the track its sequence is sent on.
    static var steps: [(sequence: String, step: String)] {
        shippedTracks.keys.sorted().flatMap { sequence in
            (library?.stepIDs(in: sequence) ?? []).map { (sequence, $0) }
        }
    }

    @Test("loads without a single problem and uses only known variables")
    func loads() throws {
        let library = try TemplateLibrary.load(directory: shippedTemplatesDirectory)
        #expect(library.sequenceIDs == ["inbound-sales", "marketing-nurture", "recycled-renurture"])
        #expect(library.stepIDs(in: "marketing-nurture").count == 5)
        #expect(library.stepIDs(in: "inbound-sales").count == 4)
        #expect(library.stepIDs(in: "recycled-renurture").count == 3)
        #expect(Set(library.textPartials.keys).isSuperset(of: ["signature", "footer"]))
        #expect(Set(library.htmlPartials.keys).isSuperset(of: ["signature", "footer"]))
        #expect(library.unknownVariables() == [])
        #expect(library.problems(tracks: shippedTracks) == [])
    }

    @Test("every step renders for a full synthetic lead of its track", arguments: steps)
    func rendersForFullLead(sequence: String, step: String) throws {
        let library = try #require(Self.library)
        let track = try #require(shippedTracks[sequence])
        let email = try library.render(
            sequence: sequence, step: step, track: track, context: TemplateVariables.syntheticContext(for: track))
        #expect(!email.subject.isEmpty && email.subject.count < 90)
        #expect(!email.text.contains("{{") && !email.text.contains("}}"))
        switch track {
        case .marketing:
            #expect(email.text.contains("https://acme-analytics.example/u/3f9c2a"))
            #expect(email.text.contains("500 Market Street"))
            #expect(email.html?.contains("href=\"https://acme-analytics.example/u/3f9c2a\"") == true)
        case .sales:
            #expect(email.text.contains("Priya Raman\nAccount Executive, Acme Analytics\n+1 415 555 0134"))
            #expect(email.text.contains("Book a time with me: https://example.com/meet/priya"))
            #expect(!email.text.contains("nsubscribe"))
        }
    }

    @Test(
        "every step renders for a sparse lead: only an email address, no owner booking link",
        arguments: steps)
    func rendersForSparseLead(sequence: String, step: String) throws {
        let library = try #require(Self.library)
        let track = try #require(shippedTracks[sequence])
        var context = TemplateVariables.syntheticContext(for: track)
        for name in context.names where name.hasPrefix("lead.") || name.hasPrefix("attributes.") {
            context[name] = nil
        }
        context["lead.email"] = "someone@example.com"
        context["owner.booking_url"] = nil
        if track == .marketing { context["owner"] = nil; context.values["owner"] = nil }
        let email = try library.render(sequence: sequence, step: step, track: track, context: context)
        #expect(email.text.hasPrefix("Hi there,"))
    }

    @Test("no hostile value survives raw in any shipped HTML template or partial", arguments: steps)
    func htmlHoldsAgainstHostileValues(sequence: String, step: String) throws {
        let library = try #require(Self.library)
        let track = try #require(shippedTracks[sequence])
        guard library.templates(sequence: sequence, step: step)?.html != nil else { return }
        let email = try library.render(sequence: sequence, step: step, track: track, context: Hostile.context(track))
        try Hostile.expectNeutralised(try #require(email.html))
    }

    @Test("every shipped HTML partial holds against hostile values on its own")
    func partialsHold() throws {
        let library = try #require(Self.library)
        #expect(!library.htmlPartials.isEmpty)
        for (_, partial) in library.htmlPartials {
            try Hostile.expectNeutralised(try library.render(partial, context: Hostile.context(.sales())))
        }
    }
}

/// A value in every variable that would break out of HTML text or attributes if any scalar went through raw.
enum Hostile {
    static let value = "\"\u{301}><script>x</script>'\u{301}&\u{301}"

    /// Scalar sequences that must never appear in the output: each would be live markup or break an attribute.
    static let rawNeedles = ["<script", "\"\u{301}", "'\u{301}", "&\u{301}"]
    /// The value as the escaper writes it.
    static let escapedValue = "&quot;\u{301}&gt;&lt;script&gt;x&lt;/script&gt;&#39;\u{301}&amp;\u{301}"

    static func context(_ track: TemplateTrack) -> TemplateContext {
        var context = TemplateVariables.syntheticContext(for: track)
        for name in context.names { context[name] = value }
        return context
    }

    static func expectNeutralised(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let scalars = Array(html.unicodeScalars)
        func contains(_ needle: String) -> Bool {
            let needle = Array(needle.unicodeScalars)
            return scalars.indices.contains { start in
                start + needle.count <= scalars.count && Array(scalars[start..<start + needle.count]) == needle
            }
        }
        for needle in rawNeedles {
            #expect(!contains(needle), "raw \(needle.debugDescription) survived", sourceLocation: sourceLocation)
        }
        let escaped = escapedValue
        #expect(contains(escaped), "the escaped value appears", sourceLocation: sourceLocation)
    }
}
