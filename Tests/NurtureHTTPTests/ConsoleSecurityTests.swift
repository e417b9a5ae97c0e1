import Foundation
import NurtureCore
import NurtureHTTP
import NurtureSQLite
import NurtureTestSupport
import Testing

/// The console's doors, against a real server and store: nothing without a session, the login (its CSRF token,
/// wrong passwords, the rate limit, the cookie's flags, the way back), CSRF on every POST, viewers cannot act, the
/// policy header on every response.
@Suite(.serialized) struct ConsoleSecurityTests {
    static let pages = [
        "/console", "/console/sends", "/console/sends.csv", "/console/sends/1", "/console/leads/ann%40example.com",
        "/console/sequences", "/console/sequences/marketing-nurture", "/console/preview",
        "/console/preview/html?sequence=marketing-nurture&step=welcome",
    ]
    static let actions = [
        "/console/sends/1/resend", "/console/sends/1/abandon", "/console/leads/ann%40example.com/unsuppress",
        "/console/enrollments/1/resume", "/console/enrollments/1/end", "/console/logout",
    ]

    @Test func everyPageRefusesWithoutASession() async throws {
        try await ConsoleFixture.withConsole { client, _, _ in
            for page in Self.pages {
                let reply = try await client.send("GET", page)
                #expect(reply.status == 303, "\(page)")
                #expect(reply.location?.hasPrefix("/console/login?next=") == true, "\(page): \(reply.location ?? "-")")
                #expect(!reply.body.contains("ann@example.com"), "\(page)")
            }
            for action in Self.actions {
                let reply = try await client.send("POST", action, form: [("csrf", "x")])
                #expect(reply.status == 401, "\(action)")
            }
            client.cookies["nurture_console"] = "forged.value"
            #expect(try await client.send("GET", "/console").status == 303, "a forged cookie is no session")
            let css = try await client.send("GET", "/console/static/console.css")
            #expect(css.status == 200)
            #expect(css.header("content-type")?.hasPrefix("text/css") == true)
        }
    }

    @Test func loginSetsAStrictCookieAndGoesBackOnlyToTheConsole() async throws {
        try await ConsoleFixture.withConsole { client, _, _ in
            let form = try await client.send("GET", "/console/login?next=%2Fconsole%2Fsequences")
            #expect(form.status == 200)
            #expect(form.body.contains("<form id=\"login\" method=\"post\" action=\"/console/login\">"))
            #expect(form.body.contains("name=\"username\"") && form.body.contains("name=\"password\""))
            let token = try #require(ConsoleFixture.csrf(in: form.body))
            let login = try await client.send(
                "POST", "/console/login",
                form: [
                    ("csrf", token), ("username", ConsoleFixture.admin.name),
                    ("password", ConsoleFixture.admin.password), ("next", "/console/sequences"),
                ])
            #expect(login.status == 303)
            #expect(login.location == "/console/sequences")
            let cookie = try #require(login.setCookies.first { $0.hasPrefix("nurture_console=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/console"))
            #expect(cookie.contains("Max-Age=43200"), "12 hours")
            #expect(!cookie.contains("Secure"), "the listener is on loopback")
            #expect(try await client.send("GET", "/console").status == 200)

            for next in ["https://evil.example/", "//evil.example/console", "/\\evil.example", "/v1/leads"] {
                let again = try await client.send("GET", "/console/login")
                let reply = try await client.send(
                    "POST", "/console/login",
                    form: [
                        ("csrf", ConsoleFixture.csrf(in: again.body) ?? ""), ("username", ConsoleFixture.admin.name),
                        ("password", ConsoleFixture.admin.password), ("next", next),
                    ])
                #expect(reply.location == "/console", "next=\(next) is not followed")
            }
        }
    }

    @Test func aLoginWithoutItsFormTokenOrWithAWrongPasswordIsRefused() async throws {
        try await ConsoleFixture.withConsole { client, _, _ in
            let form = try await client.send("GET", "/console/login")
            #expect(ConsoleFixture.csrf(in: form.body) != nil)
            let forged = try await client.send(
                "POST", "/console/login",
                form: [("csrf", "forged"), ("username", "ana"), ("password", ConsoleFixture.admin.password)])
            #expect(forged.status == 403)
            #expect(!forged.setCookies.contains { $0.hasPrefix("nurture_console=") })
            // The refused form comes back with a fresh token (and its cookie): each try uses the page it got.
            let retry = try #require(ConsoleFixture.csrf(in: forged.body))
            let wrong = try await client.send(
                "POST", "/console/login", form: [("csrf", retry), ("username", "ana"), ("password", "wrong")])
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("<p class=\"error\" role=\"alert\">"))
            #expect(!wrong.setCookies.contains { $0.hasPrefix("nurture_console=") })
            let nobody = try await client.send(
                "POST", "/console/login",
                form: [("csrf", ConsoleFixture.csrf(in: wrong.body) ?? ""), ("username", "nobody"), ("password", "x")])
            #expect(nobody.status == 401)
        }
    }

    @Test func manyFailedLoginsAreLimitedEvenWithTheRightPassword() async throws {
        try await ConsoleFixture.withConsole { client, _, _ in
            var page = try await client.send("GET", "/console/login")
            for attempt in 1...5 {
                let token = try #require(ConsoleFixture.csrf(in: page.body))
                page = try await client.send(
                    "POST", "/console/login",
                    form: [("csrf", token), ("username", "ana"), ("password", "guess\(attempt)")])
                #expect(page.status == 401, "attempt \(attempt)")
            }
            let token = try #require(ConsoleFixture.csrf(in: page.body))
            let limited = try await client.send(
                "POST", "/console/login",
                form: [("csrf", token), ("username", "ana"), ("password", ConsoleFixture.admin.password)])
            #expect(limited.status == 429)
            #expect(limited.body.contains("Too many failed logins"))
            #expect(!limited.setCookies.contains { $0.hasPrefix("nurture_console=") })
        }
    }

    @Test func postsNeedTheSessionsCSRFTokenAndAnAdmin() async throws {
        try await ConsoleFixture.withConsole { client, store, seed in
            let token = try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let path = "/console/sends/\(seed.unknownSend)/resend"
            #expect(try await client.send("POST", path, form: []).status == 403, "no token")
            #expect(try await client.send("POST", path, form: [("csrf", token + "x")]).status == 403, "a wrong token")
            #expect(try await store.send(seed.unknownSend)?.state == .unknown, "nothing changed")

            let viewer = ConsoleClient(address: "\(client.host):\(client.port)")
            let viewerToken = try await ConsoleFixture.login(viewer, ConsoleFixture.viewer)
            #expect(viewerToken != token, "each session has its own token")
            let refused = try await viewer.send("POST", path, form: [("csrf", viewerToken)])
            #expect(refused.status == 403)
            #expect(refused.body.contains("viewer"))
            #expect(
                try await viewer.send("POST", path, form: [("csrf", token)]).status == 403, "another session's token")
            let page = try await viewer.send("GET", "/console/sends/\(seed.unknownSend)")
            #expect(!page.body.contains("action-resend"), "a viewer sees no action")
            #expect(try await store.send(seed.unknownSend)?.state == .unknown)

            let logout = try await client.send("POST", "/console/logout", form: [("csrf", token)])
            #expect(logout.status == 303)
            #expect(logout.location == "/console/login")
            #expect(try await client.send("GET", "/console").status == 303, "logged out")
        }
    }

    @Test func everyConsoleResponseCarriesTheStrictPolicy() async throws {
        try await ConsoleFixture.withConsole { client, _, seed in
            try await ConsoleFixture.login(client, ConsoleFixture.admin)
            let pages = Self.pages.map { $0.replacingOccurrences(of: "/sends/1", with: "/sends/\(seed.sentSend)") }
            for page in pages + ["/console/login", "/console/static/console.css"] {
                let reply = try await client.send("GET", page)
                #expect(reply.status == 200, "\(page): \(reply.status)")
                let policy = try #require(reply.header("content-security-policy"), "\(page)")
                #expect(policy.contains("default-src 'none'"), "\(page)")
                #expect(!policy.contains("script-src"), "\(page): no script may run")
                #expect(reply.header("cache-control") == "no-store", "\(page)")
                if page.hasPrefix("/console/preview/html") {
                    #expect(policy.contains("sandbox"))
                    #expect(policy.contains("form-action 'none'"))
                } else {
                    #expect(policy.contains("frame-ancestors 'none'"), "\(page)")
                }
            }
        }
    }

    @Test(arguments: [
        ("ana:admin:$2b$12$" + String(repeating: "a", count: 53), true),
        ("# comment\n\nana:viewer:$2y$10$" + String(repeating: "b", count: 53), true),
        ("ana:root:$2b$12$" + String(repeating: "a", count: 53), false),
        ("ana:admin:5f4dcc3b5aa765d61d8327deb882cf99", false),
        ("an a:admin:$2b$12$" + String(repeating: "a", count: 53), false),
        ("ana:admin", false),
    ])
    func usersFileLinesAreCheckedWithTheirLineNumber(text: String, valid: Bool) {
        do {
            let users = try ConsoleUsers.parse(text, file: "console-users")
            #expect(valid)
            #expect(users.first?.name == "ana")
        } catch {
            #expect(!valid)
            #expect(error.description.hasPrefix("console-users:1:"), "\(error)")
        }
    }

    @Test func aSessionCookieCannotBeAlteredOrOutlived() {
        let key = ConsoleSession.Key.random()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let session = ConsoleSession(user: "vic", role: .viewer, expires: now.addingTimeInterval(60), nonce: "n1")
        let value = session.cookieValue(key: key)
        #expect(ConsoleSession.verify(value, key: key, now: now) == session)
        #expect(ConsoleSession.verify(value, key: key, now: now.addingTimeInterval(61)) == nil, "expired")
        #expect(ConsoleSession.verify(value, key: .random(), now: now) == nil, "another key (a restart)")
        let forged = ConsoleSession(user: "vic", role: .admin, expires: session.expires, nonce: "n1")
        let spliced = forged.cookieValue(key: .random()).split(separator: ".")[0] + "." + value.split(separator: ".")[1]
        #expect(ConsoleSession.verify(String(spliced), key: key, now: now) == nil, "a viewer cannot make itself admin")
        #expect(session.checkCSRF(session.csrfToken(key: key), key: key))
        #expect(!session.checkCSRF(nil, key: key))
        #expect(!session.checkCSRF(forged.csrfToken(key: key) + "x", key: key))
    }
}
