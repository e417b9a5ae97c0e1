import Foundation
import NurtureCore
import Testing

@testable import NurtureConfig

@Suite("Lead files")
struct LeadFileTests {
    @Test("the shipped YAML and JSON examples load")
    func examples() throws {
        let dana = try LeadFile.load(
            file: ConfigFixtures.packageRoot.appendingPathComponent("config/examples/dana.yaml").path)
        #expect(dana.stage == .salesQualified)
        #expect(dana.owner == "priya")
        #expect(dana.qualification.isFullyMet)
        #expect(dana.attributes["team_size"] == "40")
        let sam = try LeadFile.load(
            file: ConfigFixtures.packageRoot.appendingPathComponent("config/examples/sam.json").path)
        #expect(sam.stage == .subscriber)
        #expect(sam.firstName == "Sam")
        #expect(sam.attributes["industry"] == "retail")
    }

    @Test("every problem names line and field")
    func problems() {
        let text = "email: dana@\nstage: sql\nqualification: { budget: maybe }\ncolour: blue\n"
        do {
            _ = try LeadFile.parse(text, file: "dana.yaml")
            Issue.record("parsed a broken lead")
        } catch {
            let lines = error.problems.map(\.description)
            #expect(lines.contains { $0.hasPrefix("dana.yaml:1:8: email: email address") })
            #expect(lines.contains { $0.hasPrefix("dana.yaml:2:8: stage: `sql` is not one of") })
            #expect(lines.contains { $0.hasPrefix("dana.yaml:3:26: qualification.budget: `maybe` is not yes") })
            #expect(lines.contains { $0.hasPrefix("dana.yaml:4:1: colour: unknown key `colour`") })
        }
    }
}
