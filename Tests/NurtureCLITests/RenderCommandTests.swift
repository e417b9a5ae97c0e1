import Foundation
import Testing

@Suite("nurture render")
struct RenderCommandTests {
    private func headers(_ message: String) -> String {
        String(message.components(separatedBy: "\r\n\r\n").first ?? "") + "\r\n"
    }

    @Test("a marketing lead's step: From the marketing sender, unsubscribe headers, footer")
    func marketing() throws {
        let result = try CLIRunner.run([
            "render", "--config", "config/nurture.yaml", "--lead", "config/examples/sam.json",
            "--sequence", "marketing-nurture", "--step", "welcome", "--date", "2026-01-05T17:30:00Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let head = headers(result.stdout)
        #expect(head.contains("From: Acme Analytics <hello@acme-analytics.example>\r\n"))
        #expect(head.contains("Reply-To: Acme Analytics <team@acme-analytics.example>\r\n"))
        #expect(head.contains("To: Sam <sam.okafor@example.org>\r\n"))
        #expect(head.contains("Date: Mon, 5 Jan 2026 12:30:00 -0500\r\n"))
        #expect(head.contains("List-Unsubscribe: <https://acme-analytics.example/unsubscribe/"))
        #expect(head.contains("<mailto:unsubscribe@acme-analytics.example?subject=unsubscribe>"))
        #expect(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(head.contains("multipart/alternative"))
        let body = CLIRunner.decodeQuotedPrintable(result.stdout)
        #expect(body.contains("500 Market Street, Suite 300, San Francisco, CA 94105"))
        #expect(body.contains("Unsubscribe with one click: https://acme-analytics.example/unsubscribe/"))
        #expect(!body.contains("Priya"))
    }

    @Test("an inbound sales-qualified lead's step: From its owner, with the owner's signature")
    func sales() throws {
        let result = try CLIRunner.run([
            "render", "--config", "config/nurture.yaml", "--lead", "config/examples/dana.yaml",
            "--sequence", "inbound-sales", "--step", "intro", "--date", "2026-01-05T17:30:00Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let head = headers(result.stdout)
        #expect(head.contains("From: Priya Raman <priya@acme-analytics.example>\r\n"))
        #expect(head.contains("Reply-To: Priya Raman <priya@acme-analytics.example>\r\n"))
        #expect(head.contains("Date: Mon, 5 Jan 2026 09:30:00 -0800\r\n"))
        #expect(!head.contains("List-Unsubscribe"))
        let body = CLIRunner.decodeQuotedPrintable(result.stdout)
        #expect(body.contains("Best,\r\nPriya\r\n\r\nPriya Raman\r\nAccount Executive, Acme Analytics\r\n"))
        #expect(body.contains("+1 415 555 0134 | priya@acme-analytics.example"))
        #expect(!body.contains("unsubscribe"))
    }

    @Test("--html prints the HTML document of a step that has one")
    func html() throws {
        let result = try CLIRunner.run([
            "render", "--lead", "config/examples/sam.json", "--sequence", "marketing-nurture", "--step", "guide",
            "--html",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(result.stdout.contains("Unsubscribe</a>"))
    }

    @Test("--lead EMAIL renders for a lead in the store; an unknown address says how to add it")
    func byEmail() throws {
        try CLIRunner.withCopy { root in
            let config = root.appendingPathComponent("config/nurture.yaml").path
            let added = try CLIRunner.run([
                "leads", "add", "dana@example.com", "--first-name", "Dana", "--company", "Northwind",
                "--stage", "sales-qualified", "--owner", "priya", "--config", config,
            ])
            #expect(added.status == 0, "\(added.stderr)")
            let result = try CLIRunner.run([
                "render", "--lead", "dana@example.com", "--sequence", "inbound-sales", "--step", "intro",
                "--config", config,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("From: Priya Raman <priya@acme-analytics.example>"))
            let unknown = try CLIRunner.run([
                "render", "--lead", "nobody@example.com", "--sequence", "inbound-sales", "--step", "intro",
                "--config", config,
            ])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("--lead nobody@example.com: no such lead in the store"))
            #expect(unknown.stderr.contains("nurture leads add"))
        }
    }

    @Test("sales mail for a lead without an owner is held, never sent as someone else")
    func heldWithoutOwner() throws {
        let result = try CLIRunner.run([
            "render", "--lead", "config/examples/sam.json", "--sequence", "inbound-sales", "--step", "intro",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("held: no owner"))
    }

    @Test("unknown steps and broken lead files are precise errors")
    func errors() throws {
        let step = try CLIRunner.run([
            "render", "--lead", "config/examples/dana.yaml", "--sequence", "inbound-sales", "--step", "outro",
        ])
        #expect(step.status == 1)
        #expect(step.stderr.contains("sequence `inbound-sales` has no step `outro`; use one of: intro, follow-up"))
        try CLIRunner.withCopy { root in
            try CLIRunner.edit(
                "config/examples/dana.yaml", in: root, replacing: "stage: sales-qualified", with: "stage: hot")
            let result = try CLIRunner.run(
                ["render", "--lead", "config/examples/dana.yaml", "--sequence", "inbound-sales", "--step", "intro"],
                in: root)
            #expect(result.status == 1)
            #expect(result.stderr.contains("config/examples/dana.yaml:9:8: stage: `hot` is not one of subscriber"))
        }
    }
}
