import Foundation
import Testing

@Suite("nurture check")
struct CheckCommandTests {
    @Test("passes on the shipped configuration")
    func shipped() throws {
        let result = try CLIRunner.run(["check", "--config", "config/nurture.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("config/nurture.yaml: OK"))
        #expect(result.stdout.contains("3 sequences, 12 steps"))
        #expect(result.stderr.contains("warning: config/nurture.yaml:"))
    }

    @Test("lists every configuration problem with file:line:column and field, and fails")
    func brokenConfig() throws {
        try CLIRunner.withCopy { root in
            try CLIRunner.edit("config/nurture.yaml", in: root, replacing: "    weight: 2", with: "    wieght: 2")
            try CLIRunner.edit(
                "config/nurture.yaml", in: root, replacing: "        delay: 2d", with: "        delay: 2x")
            try CLIRunner.edit(
                "config/nurture.yaml", in: root, replacing: "    time_zone: Europe/Rome",
                with: "    time_zone: Mars/Base")
            let result = try CLIRunner.run(["check", "--config", "config/nurture.yaml"], in: root)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "config/nurture.yaml:67:5: salespeople[0].wieght: unknown key `wieght`; did you mean `weight`?"))
            #expect(result.stderr.contains("salespeople[1].time_zone: `Mars/Base` is not an IANA time zone"))
            #expect(result.stderr.contains("sequences[1].steps[1].delay: `2x` is not a delay"))
            #expect(result.stderr.contains("3 problems found"))
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("reports a template syntax error with file:line:column")
    func templateSyntax() throws {
        try CLIRunner.withCopy { root in
            try CLIRunner.edit(
                "templates/inbound-sales/intro.text.mustache", in: root,
                replacing: "{{/lead.company}}\n{{^lead.company}}",
                with: "{{^lead.company}}")
            let result = try CLIRunner.run(["check", "--config", "config/nurture.yaml"], in: root)
            #expect(result.status == 1)
            #expect(result.stderr.contains("templates/inbound-sales/intro.text.mustache:"))
            #expect(result.stderr.contains("lead.company"))
        }
    }

    @Test("reports an unknown variable and a step without templates")
    func unknownVariableAndMissingTemplate() throws {
        try CLIRunner.withCopy { root in
            try CLIRunner.edit(
                "templates/marketing-nurture/guide.subject.mustache", in: root, replacing: "The five",
                with: "{{lead.shoe_size}} The five")
            try FileManager.default.removeItem(
                at: root.appendingPathComponent("templates/recycled-renurture/insight.text.mustache"))
            let result = try CLIRunner.run(["check", "--config", "config/nurture.yaml"], in: root)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "templates/marketing-nurture/guide.subject.mustache:1:1: unknown variable `lead.shoe_size`"))
            #expect(
                result.stderr.contains(
                    "sequences[2].steps[1]: the step's text template ../templates/recycled-renurture/insight.text.mustache does not exist"
                ))
        }
    }

    @Test("renders sales steps as every salesperson: a missing owner value is caught")
    func ownerValues() throws {
        try CLIRunner.withCopy { root in
            try CLIRunner.edit(
                "config/nurture.yaml", in: root, replacing: "    phone: \"+39 02 5555 0199\"\n", with: "")
            let result = try CLIRunner.run(["check", "--config", "config/nurture.yaml"], in: root)
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "templates/partials/signature.text.mustache:3:1: variable `owner.phone` has no value"))
        }
    }

    @Test("a missing configuration file is one clear problem")
    func missingFile() throws {
        let result = try CLIRunner.run(["check", "--config", "no/such.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such.yaml: cannot read the configuration file"))
    }
}
