import Foundation
import NurtureCore
import NurtureHTTP
import NurtureSQLite
import NurtureTestSupport
import Testing

/// Every console page against a real server and store: what each shows, the send log's filters, pages and CSV,
/// the actions, and a lead whose values are markup or script rendered inert everywhere it appears.
@Suite(.serialized) struct ConsolePagesTests {
    /// The frame every page has: the navigation, one `<main id="content">`, one `<h1>`, the logout form.
    static func expectFrame(_ reply: ConsoleClient.Reply, _ page: String) {
        #expect(reply.status == 200, "\(page): \(reply.status) \(reply.body.prefix(300))")
        #expect(reply.body.contains("<nav id=\"console-nav\""), "\(page)")
        for link in [
            "href=\"/console\"", "href=\"/console/sends\"", "href=\"/console/sequences\"", "href=\"/console/preview\"",
        ] {
            #expect(reply.body.contains(link), "\(page): \(link)")
        }
        #expect(reply.body.components(separatedBy: "<main id=\"content\">").count == 2, "\(page)")
        #expect(reply.body.components(separatedBy: "<h1>").count == 2, "\(page): one h1")
        #expect(reply.body.contains("<form id=\"logout\" method=\"post\" action=\"/console/logout\">"), "\(page)")
        #expect(!reply.body.contains("<script"), "\(page): no script")
        #expect(!reply.body.contains("style=\""), "\(page): no inline style")
    }

    @Test func everyPageShowsWhatItIsFor() async throws {
        try await ConsoleFixture.withConsole { client, _, seed in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let overview = try await client.send("GET", "/console")
            Self.expectFrame(overview, "overview")
            #expect(overview.body.contains("<table id=\"queue\">"))
            #expect(overview.body.contains("<svg id=\"chart\""))
            #expect(overview.body.contains("class=\"s-marketing-sent\""), "the sent attempt is drawn")
            #expect(
                overview.body.range(
                    of: #"Counted \d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC\."#, options: .regularExpression)
                    != nil, "when the chart was counted")
            #expect(overview.body.contains("<table id=\"limits\">"))
            #expect(overview.body.contains("marketing &lt;"), "the marketing sender's daily limit")

            let detail = try await client.send("GET", "/console/sends/\(seed.sentSend)")
            Self.expectFrame(detail, "send detail")
            #expect(detail.body.contains("&lt;\(seed.activeEnrollment).welcome@acme.example&gt;"), "the Message-ID")
            #expect(detail.body.contains("<td>451</td>") && detail.body.contains("<td>4.7.1</td>"), "code and status")
            #expect(detail.body.contains("250 2.0.0 queued as 77"))
            #expect(
                detail.body.contains("<td>reply</td>") && detail.body.contains("<td>message-id</td>"),
                "the reply and its rule")
            #expect(detail.body.contains("<output id=\"send-subject\">"), "the message as it renders now")
            #expect(!detail.body.contains("action-resend"), "a sent send cannot be resent")
            let unknown = try await client.send("GET", "/console/sends/\(seed.unknownSend)")
            #expect(unknown.body.contains("<form class=\"action-resend\""))
            #expect(unknown.body.contains("<form class=\"action-abandon\""))
            #expect(try await client.send("GET", "/console/sends/999999").status == 404)

            let lead = try await client.send("GET", "/console/leads/ann%40example.com")
            Self.expectFrame(lead, "lead")
            #expect(lead.body.contains("<ol id=\"timeline\""))
            #expect(lead.body.contains("<section id=\"why\">"))
            #expect(lead.body.contains("href=\"/console/sends/\(seed.sentSend)\""), "each send is linked")
            #expect(lead.body.contains("enrolled in marketing-nurture"))
            #expect(lead.body.contains("<form class=\"action-end inline\""))
            #expect(try await client.send("GET", "/console/leads/nobody%40example.com").status == 404)
            let paused = try await client.send("GET", "/console/leads/pat%40example.com")
            #expect(paused.body.contains("<form class=\"action-resume inline\""))
            let bounced = try await client.send("GET", "/console/leads/bo%40example.com")
            #expect(bounced.body.contains("<form class=\"action-unsuppress\""))

            let sequences = try await client.send("GET", "/console/sequences")
            Self.expectFrame(sequences, "sequences")
            #expect(sequences.body.contains("href=\"/console/sequences/marketing-nurture\""))
            let funnel = try await client.send("GET", "/console/sequences/marketing-nurture")
            Self.expectFrame(funnel, "funnel")
            #expect(funnel.body.contains("<table id=\"funnel\">"))
            #expect(funnel.body.contains("1. welcome") && funnel.body.contains("2. guide"))
            #expect(
                funnel.body.contains("href=\"/console/leads/o%27hara%40example.com\""), "who did not get it: linked")
            #expect(!funnel.body.contains("Enrollment ended before this step"), "no enrollment ended early yet")
            #expect(try await client.send("GET", "/console/sequences/nope").status == 404)

            let preview = try await client.send("GET", "/console/preview?sequence=marketing-nurture&step=welcome")
            Self.expectFrame(preview, "preview")
            #expect(preview.body.contains("<form id=\"preview\" method=\"get\""))
            #expect(preview.body.contains("<select id=\"preview-sequence\" name=\"sequence\">"))
            #expect(preview.body.contains("<output id=\"preview-subject\">"))
            #expect(preview.body.contains("<pre id=\"preview-text\">"))
            #expect(preview.body.contains("<iframe id=\"preview-html\" sandbox"))
            #expect(preview.body.contains("<th>From</th>"), "the sender identity")
            #expect(preview.body.contains("<ul id=\"preview-problems\"></ul>"), "no problem")
            let real = try await client.send(
                "GET", "/console/preview?sequence=marketing-nurture&step=welcome&lead=ann%40example.com")
            #expect(real.body.contains("<th>To</th><td>Ann &lt;ann@example.com&gt;</td>"), "To: the real lead")
            let html = try await client.send("GET", "/console/preview/html?sequence=marketing-nurture&step=welcome")
            #expect(html.status == 200)
            #expect(html.body.contains("<html") || html.body.contains("<p>No HTML part."))
            let wrong = try await client.send("GET", "/console/preview?sequence=marketing-nurture&step=nope")
            #expect(wrong.body.contains("has no step `nope`"))
            let nobody = try await client.send(
                "GET", "/console/preview?sequence=marketing-nurture&lead=x%40example.com")
            #expect(nobody.body.contains("there is no lead x@example.com"))
        }
    }

    @Test func theSendLogFiltersPagesAndExports() async throws {
        try await ConsoleFixture.withConsole { client, store, seed in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let all = try await client.send("GET", "/console/sends")
            Self.expectFrame(all, "send log")
            #expect(all.body.contains("<form id=\"filters\" method=\"get\""))
            #expect(all.body.contains("<table id=\"send-log\">"))
            for field in ["lead", "sequence", "step", "state", "track", "sender", "from", "to"] {
                #expect(all.body.contains("name=\"\(field)\""), "\(field)")
            }
            #expect(all.body.contains("<td><a href=\"/console/sends/\(seed.sentSend)\">\(seed.sentSend)</a></td>"))
            #expect(!all.body.contains("rel=\"next\""), "one page")
            #expect(all.body.contains("Europe/Berlin"), "the time in the lead's zone")

            func rows(_ query: String) async throws -> [Int64] {
                let body = try await client.send("GET", "/console/sends?" + query).body
                return body.components(separatedBy: "<td><a href=\"/console/sends/").dropFirst().compactMap {
                    Int64($0.prefix { $0.isNumber })
                }
            }
            #expect(try await rows("lead=ANN") == [seed.unknownSend, seed.sentSend])
            #expect(try await rows("state=failed") == [seed.hostileSend])
            #expect(try await rows("step=guide") == [seed.unknownSend])
            #expect(try await rows("sequence=marketing-nurture&step=welcome") == [seed.hostileSend, seed.sentSend])
            #expect(try await rows("track=sales").isEmpty)
            #expect(try await rows("sender=news%40acme.example").count == 3)
            #expect(try await rows("from=2000-01-01&to=2999-12-31").count == 3)
            #expect(try await rows("to=2000-01-01").isEmpty)
            let bad = try await client.send("GET", "/console/sends?state=lost&from=yesterday")
            #expect(bad.body.contains("state: `lost` is not a state"))
            #expect(bad.body.contains("from: `yesterday` is not a date"))

            // 60 more sends: the first page holds 50, its next link the rest.
            try await ConsoleFixture.planWelcomes(60, to: "many@example.com", in: store)
            let first = try await client.send("GET", "/console/sends?lead=many")
            let next = try #require(ConsoleFixture.nextLink(first.body))
            #expect(next.hasPrefix("/console/sends?lead=many&amp;after="))
            let firstIDs = try await rows("lead=many")
            #expect(firstIDs.count == 50)
            let rest = try await rows(
                String(next.dropFirst("/console/sends?".count)).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(rest.count == 10)
            #expect(Set(firstIDs).isDisjoint(with: rest))

            // With dates, pages run by due time and id: the cursor carries both.
            let dated = try await client.send("GET", "/console/sends?lead=many&from=2000-01-01")
            #expect(dated.body.contains("With dates set, sends are listed by due time"))
            let datedNext = try #require(ConsoleFixture.nextLink(dated.body))
            #expect(datedNext.contains("&amp;after_due="), "\(datedNext)")
            let datedFirst = try await rows("lead=many&from=2000-01-01")
            let datedRest = try await rows(
                String(datedNext.dropFirst("/console/sends?".count)).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(datedFirst.count == 50 && datedRest.count == 10)
            #expect(Set(datedFirst + datedRest) == Set(firstIDs + rest), "the same sends, each once")

            let csv = try await client.send("GET", "/console/sends.csv?lead=many")
            #expect(csv.header("content-type")?.hasPrefix("text/csv") == true)
            #expect(csv.body.split(separator: "\r\n").count == 61, "a header and every matching row, past one page")
            let hostile = try await client.send("GET", "/console/sends.csv?state=failed")
            #expect(hostile.body.contains("o'hara@example.com"))
            #expect(hostile.body.contains("550 5.1.1 <script>"), "CSV is not HTML: kept as text")
        }
    }

    @Test func theFunnelNamesWhoseEnrollmentEndedBeforeAStep() async throws {
        try await ConsoleFixture.withConsole { client, store, _ in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let early = try EmailAddress("early@example.com")
            try await store.saveLead(Lead(email: early), at: Date())
            let enrollment = try await store.enroll(
                early, in: "marketing-nurture", at: Date(), endingOthers: .stageChanged)
            _ = try await store.plan(ConsoleFixture.send(enrollment, "welcome", 1, Date()), at: Date())
            _ = try await store.endEnrollment(enrollment.id, reason: .replied, at: Date())
            let funnel = try await client.send("GET", "/console/sequences/marketing-nurture").body
            let guide = try #require(funnel.components(separatedBy: "<section id=\"step-2\">").dropFirst().first)
            #expect(guide.contains("Enrollment ended before this step was planned"), "\(guide)")
            #expect(guide.contains("<a href=\"/console/leads/early%40example.com\">early@example.com</a>: replied on"))
            let welcome = try #require(funnel.components(separatedBy: "<section id=\"step-1\">").dropFirst().first)
            let first = welcome.components(separatedBy: "</section>")[0]
            #expect(first.contains("early@example.com</a>: cancelled"), "its first step was planned, then cancelled")
            #expect(!first.contains("Enrollment ended before"), "\(first)")
        }
    }

    @Test func aCSVExportStreamsPastOneStorePage() async throws {
        try await ConsoleFixture.withConsole { client, store, _ in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            try await ConsoleFixture.planWelcomes(1_005, to: "bulk@example.com", in: store)
            let csv = try await client.send("GET", "/console/sends.csv?lead=bulk")
            #expect(csv.status == 200)
            let lines = csv.body.split(separator: "\r\n")
            #expect(lines.count == 1_006, "a header and every row, read from the store a thousand at a time")
            let ids = lines.dropFirst().compactMap { Int64($0.prefix { $0 != "," }) }
            #expect(Set(ids).count == 1_005 && ids == ids.sorted(by: >), "each send once, newest first")
            let dated = try await client.send("GET", "/console/sends.csv?lead=bulk&from=2000-01-01")
            #expect(dated.body.split(separator: "\r\n").count == 1_006, "the same across pages by due time")
        }
    }

    @Test func aLeadMadeOfMarkupRendersInertOnEveryPage() async throws {
        try await ConsoleFixture.withConsole { client, _, seed in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let pages = [
                "/console/leads/o%27hara%40example.com", "/console/sends", "/console/sends/\(seed.hostileSend)",
                "/console/sequences/marketing-nurture", "/console/sends?lead=o%27",
                "/console/preview?sequence=marketing-nurture&step=welcome&lead=o%27hara%40example.com",
            ]
            for page in pages {
                let reply = try await client.send("GET", page)
                #expect(reply.status == 200, "\(page)")
                #expect(!reply.body.contains("<script>alert(1)"), "\(page): raw script")
                #expect(!reply.body.contains("<img src=x"), "\(page): raw markup")
                #expect(!reply.body.contains("o'hara"), "\(page): a raw apostrophe in an address")
                #expect(reply.body.contains("o&#39;hara@example.com"), "\(page): the escaped address")
                #expect(!reply.body.contains("href=\"javascript:"), "\(page)")
            }
            let lead = try await client.send("GET", "/console/leads/o%27hara%40example.com")
            #expect(lead.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(lead.body.contains("&quot;Quote&quot; &amp; &#39;Apostrophe&#39;"))
            #expect(lead.body.contains("<dd>javascript:alert(4)</dd>"), "a javascript: value stays text")
            #expect(lead.body.contains("&lt;img src=x onerror=alert(3)&gt;"))
            let detail = try await client.send("GET", "/console/sends/\(seed.hostileSend)")
            #expect(detail.body.contains("550 5.1.1 &lt;script&gt;alert(1)&lt;/script&gt; unknown"), "an SMTP reply")
        }
    }

    @Test func actionsChangeTheStoreAuditTheUserAndFlash() async throws {
        try await ConsoleFixture.withConsole { client, store, seed in
            let token = try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let resend = try await client.send(
                "POST", "/console/sends/\(seed.unknownSend)/resend", form: [("csrf", token)])
            #expect(resend.status == 303)
            #expect(resend.location == "/console/sends/\(seed.unknownSend)")
            let resent = try #require(try await store.send(seed.unknownSend))
            #expect(resent.state == .planned)
            #expect(resent.messageID == "<\(seed.activeEnrollment).guide@acme.example>", "the same Message-ID")
            let page = try await client.send("GET", "/console/sends/\(seed.unknownSend)")
            #expect(page.body.contains("<p class=\"flash\" role=\"status\">Send \(seed.unknownSend) goes out again"))
            let again = try await client.send("GET", "/console/sends/\(seed.unknownSend)")
            #expect(!again.body.contains("class=\"flash\""), "a flash is shown once")
            let refused = try await client.send(
                "POST", "/console/sends/\(seed.unknownSend)/abandon", form: [("csrf", token)])
            #expect(refused.status == 303)
            #expect(try await store.send(seed.unknownSend)?.state == .planned, "only an unknown send is abandoned")
            let ann = try EmailAddress("ann@example.com")
            #expect(
                try await store.audit(for: ann).contains {
                    $0.kind == "console-resend" && $0.detail.contains("console user ana")
                })

            let end = try await client.send(
                "POST", "/console/enrollments/\(seed.activeEnrollment)/end", form: [("csrf", token)])
            #expect(end.location == "/console/leads/ann%40example.com")
            #expect(try await store.enrollment(seed.activeEnrollment)?.endReason == .operatorEnded)
            #expect(try await store.send(seed.unknownSend)?.state == .cancelled, "its waiting send is cancelled")

            let resume = try await client.send(
                "POST", "/console/enrollments/\(seed.pausedEnrollment)/resume", form: [("csrf", token)])
            #expect(resume.status == 303)
            let paused = try #require(try await store.enrollment(seed.pausedEnrollment)?.pausedUntil)
            #expect(paused <= Date(), "the pause is over")

            let unsuppress = try await client.send(
                "POST", "/console/leads/bo%40example.com/unsuppress", form: [("csrf", token)])
            #expect(unsuppress.status == 303)
            let bo = try EmailAddress("bo@example.com")
            #expect(try await store.lead(bo)?.hasBounced == false)
            #expect(try await store.audit(for: bo).contains { $0.detail.contains("console user ana") })
        }
    }

    @Test func abandonRecordsAFinalState() async throws {
        try await ConsoleFixture.withConsole { client, store, seed in
            let token = try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let reply = try await client.send(
                "POST", "/console/sends/\(seed.unknownSend)/abandon", form: [("csrf", token)])
            #expect(reply.status == 303)
            let send = try #require(try await store.send(seed.unknownSend))
            #expect(send.state == .failed)
            #expect(send.reason?.contains("abandoned by console user ana") == true)
        }
    }
}
