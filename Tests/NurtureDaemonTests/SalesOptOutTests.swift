import Foundation
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureTemplates
import Testing

/// `inbound.sales_opt_out_sentence`: the last line of every sales email, after the signature; never in marketing
/// mail; escaped in HTML.
@Suite("Sales opt-out sentence")
struct SalesOptOutTests {
    static let sentence = "If you'd rather not hear from me, just reply \"stop\" <or> write to me & I'll stop."

    static func builder(sentence: String?) throws -> MessageBuilder {
        var configuration = try ConfigurationLoader().load(
            file: SchedulerFixture.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        configuration.inbound.salesOptOutSentence = sentence
        return MessageBuilder(
            configuration: configuration, library: try TemplateLibrary.load(directory: configuration.templatesDirectory)
        )
    }

    static func lead(stage: Stage, owner: String?) throws -> Lead {
        Lead(
            email: try EmailAddress("dana@example.com"), firstName: "Dana", lastName: "Lee", company: "Example Co",
            title: "Buyer", timeZone: "America/New_York", stage: stage, source: .inbound, owner: owner)
    }

    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    @Test("sales mail ends with the sentence, after the signature")
    func salesMail() throws {
        let built = try Self.builder(sentence: Self.sentence).build(
            lead: Self.lead(stage: .salesQualified, owner: "priya"), sequenceID: "inbound-sales", stepID: "intro",
            date: Self.date, unique: "t1")
        #expect(built.rendered.text.hasSuffix("\n\n" + Self.sentence + "\n"), "\(built.rendered.text)")
        let signature = try #require(built.rendered.text.range(of: "Priya Raman"))
        let line = try #require(built.rendered.text.range(of: Self.sentence))
        #expect(signature.upperBound < line.lowerBound, "after the signature")
        let without = try Self.builder(sentence: nil).build(
            lead: Self.lead(stage: .salesQualified, owner: "priya"), sequenceID: "inbound-sales", stepID: "intro",
            date: Self.date, unique: "t1")
        #expect(!without.rendered.text.contains("rather not hear"), "none when not configured")
    }

    @Test("marketing mail does not carry it (its footer has the unsubscribe link)")
    func marketingMail() throws {
        let built = try Self.builder(sentence: Self.sentence).build(
            lead: Self.lead(stage: .subscriber, owner: nil), sequenceID: "marketing-nurture", stepID: "welcome",
            date: Self.date, unique: "t2")
        #expect(!built.rendered.text.contains(Self.sentence))
        #expect(built.rendered.html.map { !$0.contains("rather not hear") } ?? true)
    }

    @Test("in HTML the sentence is a last paragraph of the body, its markup escaped")
    func html() {
        let rendered = RenderedEmail(
            subject: "Hi", text: "Hello\n\nPriya\n",
            html: "<!DOCTYPE html>\n<html><body>\n<p>Hello</p>\n</body>\n</html>\n")
        let result = MessageBuilder.appendingOptOut(Self.sentence, to: rendered)
        let escaped =
            "If you&#39;d rather not hear from me, just reply &quot;stop&quot; &lt;or&gt; write to me &amp; I&#39;ll stop."
        #expect(result.html == "<!DOCTYPE html>\n<html><body>\n<p>Hello</p>\n<p>\(escaped)</p>\n</body>\n</html>\n")
        #expect(result.text == "Hello\n\nPriya\n\n" + Self.sentence + "\n")
        #expect(result.subject == "Hi")
    }
}
