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

    @Test("an email instead of a file says the store arrives later")
    func byEmail() throws {
        let result = try CLIRunner.run([
            "render", "--lead", "dana@example.com", "--sequence", "inbound-sales", "--step", "intro",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("needs the lead store, which arrives in a later release"))
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
