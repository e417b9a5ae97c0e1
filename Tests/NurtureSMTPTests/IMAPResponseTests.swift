import NurtureCore
import Testing

@testable import NurtureSMTP

/// The pure parts of the mailbox reader: reading STATUS / SEARCH / FETCH lines, building commands and URLs from
/// checked settings, and turning libcurl's codes into mailbox errors.
struct IMAPResponseTests {
    struct StatusCase: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: MailboxStatus?
        var testDescription: String { line }
    }

    static let statusCases: [StatusCase] = [
        StatusCase(
            line: "* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 1796012660 UNSEEN 1)\r\n",
            expected: MailboxStatus(uidValidity: 1_796_012_660, uidNext: 2, messages: 1, unseen: 1)),
        StatusCase(
            line: "* FLAGS (\\Seen)\r\n* STATUS \"Sales (EU)\" (UIDVALIDITY 7 UIDNEXT 1 MESSAGES 0 UNSEEN 0)\r\n",
            expected: MailboxStatus(uidValidity: 7, uidNext: 1, messages: 0, unseen: 0)),
        StatusCase(
            line: "* status inbox (uidvalidity 4294967295 uidnext 4294967295 messages 3 unseen 0)",
            expected: MailboxStatus(uidValidity: 4_294_967_295, uidNext: 4_294_967_295, messages: 3, unseen: 0)),
        StatusCase(line: "* STATUS INBOX (MESSAGES 1 UIDNEXT 2 UNSEEN 1)", expected: nil),
        StatusCase(line: "* STATUS INBOX (UIDVALIDITY 4294967296 UIDNEXT 2 MESSAGES 1 UNSEEN 1)", expected: nil),
        StatusCase(line: "A003 OK Status completed.", expected: nil),
        StatusCase(line: "", expected: nil),
    ]

    @Test(arguments: statusCases)
    func readsStatus(_ row: StatusCase) {
        #expect(IMAPResponse.status(row.line) == row.expected)
    }

    @Test(arguments: [
        ("* SEARCH 1 2 3\r\n", [UInt32(1), 2, 3]),
        ("* SEARCH\r\n", []),
        ("* SEARCH 9 4 4\r\n* SEARCH 12\r\n", [4, 9, 12]),
        ("* 3 EXISTS\r\n* SEARCH 5\r\n", [5]),
        ("* SEARCH 0 x 4294967296 7", [7]),
        ("", []),
    ])
    func readsSearch(_ text: String, _ expected: [UInt32]) {
        #expect(IMAPResponse.searchUIDs(text) == expected)
    }

    struct FlagsCase: Sendable, CustomTestStringConvertible {
        let text: String
        let uid: UInt32
        let expected: IMAPResponse.MessageFlags?
        var testDescription: String { "\(uid) in \(text)" }
    }

    static let flagsCases: [FlagsCase] = [
        FlagsCase(
            text: "* 1 FETCH (UID 1 FLAGS (\\Recent) RFC822.SIZE 61)\r\n", uid: 1,
            expected: .init(uid: 1, flags: ["\\Recent"], size: 61)),
        FlagsCase(
            text: "* 7 FETCH (FLAGS (\\Seen $NurtureProcessed) UID 40 RFC822.SIZE 1200)\r\n", uid: 40,
            expected: .init(uid: 40, flags: ["\\Seen", "$NurtureProcessed"], size: 1200)),
        FlagsCase(
            text: "* 2 FETCH (FLAGS (\\Seen))\r\n* 3 FETCH (UID 9 FLAGS ())\r\n", uid: 9,
            expected: .init(uid: 9, flags: [], size: nil)),
        FlagsCase(text: "* 3 FETCH (UID 8 FLAGS (\\Seen))\r\n", uid: 9, expected: nil),
        FlagsCase(text: "* 3 FETCH (UID 9 RFC822.SIZE 10)\r\n", uid: 9, expected: nil),
        FlagsCase(text: "", uid: 1, expected: nil),
    ]

    @Test(arguments: flagsCases)
    func readsFlags(_ row: FlagsCase) {
        #expect(IMAPResponse.messageFlags(row.text, uid: row.uid) == row.expected)
    }

    @Test func flagNamesAreCaseInsensitive() {
        let flags = IMAPResponse.MessageFlags(uid: 1, flags: ["\\SEEN", "$nurtureprocessed"], size: nil)
        #expect(flags.has("\\Seen"))
        #expect(flags.has("$NurtureProcessed"))
        #expect(!flags.has("\\Deleted"))
    }
}

/// Settings checks, quoting and URL building.
struct IMAPCommandTests {
    static func settings(
        host: String = "imap.example.com", security: MailboxSettings.Security = .tls, folder: String = "INBOX",
        keyword: String = "$NurtureProcessed", password: Secret? = Secret("pw"), token: Secret? = nil
    ) -> MailboxSettings {
        MailboxSettings(
            name: "marketing", host: host, port: 993, folder: folder, security: security, username: "ada@example.com",
            password: password, bearerToken: token, keyword: keyword)
    }

    @Test func buildsURLsAndCommands() throws {
        let command = try IMAPCommand(settings: Self.settings(folder: "Sales/EU; \"x\" 50%"))
        #expect(command.serverURL == "imaps://imap.example.com:993/")
        #expect(command.folderURL() == "imaps://imap.example.com:993/Sales%2FEU%3B%20%22x%22%2050%25")
        #expect(command.messageURL(uid: 7, uidValidity: 99).hasSuffix("%25;UIDVALIDITY=99/;UID=7"))
        #expect(command.status == #"STATUS "Sales/EU; \"x\" 50%" (UIDVALIDITY UIDNEXT MESSAGES UNSEEN)"#)
        #expect(command.markProcessed(uid: 7) == "UID STORE 7 +FLAGS.SILENT ($NurtureProcessed)")
        #expect(command.restoreUnseen(uid: 7) == "UID STORE 7 -FLAGS.SILENT (\\Seen)")
        #expect(command.search(from: 201, to: 400) == "UID SEARCH UID 201:400")
        let v6 = try IMAPCommand(settings: Self.settings(host: "::1", security: .starttls))
        #expect(v6.serverURL == "imap://[::1]:993/")
    }

    @Test(arguments: [
        ("$NurtureProcessed", true), ("Processed_by-Nurture.1", true), ("", false), ("two words", false),
        ("(x)", false), ("\\Seen", false), ("a\"b", false), ("a\r\nA1 DELETE INBOX", false), ("50%", false),
        ("a*", false), ("a]", false), ("a{3}", false), ("é", false),
    ])
    func keywordMustBeAnAtom(_ keyword: String, _ valid: Bool) {
        #expect(IMAPCommand.isAtom(keyword) == valid)
        #expect((IMAPCommand.problem(in: Self.settings(keyword: keyword)) == nil) == valid)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("LOCALHOST", true), ("::1", true),
        ("10.0.0.1", false), ("imap.example.com", false), ("127.0.0.1.example.com", false), ("::2", false),
    ])
    func clearTextOnlyToLoopback(_ host: String, _ allowed: Bool) {
        let problem = IMAPCommand.problem(in: Self.settings(host: host, security: .none))
        #expect((problem == nil) == allowed, "\(problem ?? "allowed")")
        if let problem { #expect(problem.contains("loopback")) }
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let settings: MailboxSettings
        let mentions: String
        var testDescription: String { mentions }
    }

    static let bad: [Bad] = [
        Bad(settings: settings(folder: "INBOX\r\nA9 DELETE INBOX"), mentions: "folder"),
        Bad(settings: settings(folder: ""), mentions: "folder"),
        Bad(settings: settings(folder: "Entwürfe"), mentions: "modified UTF-7"),
        Bad(settings: settings(host: "evil.com/x?"), mentions: "host"),
        Bad(settings: settings(host: "a@b"), mentions: "host"),
        Bad(settings: settings(token: Secret("t0k3n-9Z")), mentions: "both a password and a bearer token"),
        Bad(settings: settings(password: nil), mentions: "neither a password nor a bearer token"),
        Bad(settings: settings(password: Secret("hunter2\n")), mentions: "the password contains a control character"),
        Bad(settings: settings(password: nil, token: Secret("t0k3n-9Z\r\n")), mentions: "bearer token contains"),
    ]

    @Test(arguments: bad)
    func refusesBadSettingsNamingTheField(_ row: Bad) {
        #expect(throws: MailboxError.self) { try IMAPCommand(settings: row.settings) }
        let problem = IMAPCommand.problem(in: row.settings) ?? ""
        #expect(problem.contains(row.mentions), "\(problem)")
        #expect(!problem.contains("hunter2") && !problem.contains("t0k3n"))
    }
}

/// libcurl's codes → mailbox error kinds.
struct IMAPFailureTests {
    static func result(_ code: Int, last: String = "UID", lines: [String] = [], tooLarge: Bool = false)
        -> CurlIMAPResult
    {
        CurlIMAPResult(
            curlCode: code, curlMessage: "libcurl says", body: [], replyLines: lines, lastCommand: last,
            bodyTooLarge: tooLarge)
    }

    @Test(arguments: [
        (
            IMAPFailureTests.result(
                67, last: "AUTHENTICATE", lines: ["A002 NO [AUTHENTICATIONFAILED] Authentication failed."]),
            MailboxError.Kind.authentication
        ),
        (IMAPFailureTests.result(67, last: "LOGIN"), .authentication),
        (IMAPFailureTests.result(67, last: "SELECT", lines: ["A003 NO Mailbox doesn't exist: Nope"]), .failed),
        (IMAPFailureTests.result(78), .missing),
        (IMAPFailureTests.result(23, tooLarge: true), .tooLarge),
        (IMAPFailureTests.result(23), .failed),
        (IMAPFailureTests.result(7), .unreachable), (IMAPFailureTests.result(6), .unreachable),
        (IMAPFailureTests.result(28), .unreachable), (IMAPFailureTests.result(35), .unreachable),
        (IMAPFailureTests.result(60), .unreachable), (IMAPFailureTests.result(56), .unreachable),
        (IMAPFailureTests.result(64), .unreachable),
        (IMAPFailureTests.result(21, lines: ["A003 NO Mailbox doesn't exist"]), .failed),
        (IMAPFailureTests.result(77), .failed),
        (IMAPFailureTests.result(8), .failed),
    ])
    func mapsCodes(_ result: CurlIMAPResult, _ kind: MailboxError.Kind) {
        let error = IMAPFailure.error(result, action: "reading", where: "mailbox m")
        #expect(error.kind == kind, "\(error)")
        #expect(error.message.contains("mailbox m"))
    }

    @Test func quotesTheServersRefusalWithoutTag() {
        let error = IMAPFailure.error(
            Self.result(
                67, last: "AUTHENTICATE",
                lines: ["* OK ready", "A002 NO [AUTHENTICATIONFAILED] Authentication failed."]),
            action: "STATUS", where: "mailbox m")
        #expect(error.message.contains("the server said \"NO [AUTHENTICATIONFAILED] Authentication failed.\""))
        #expect(IMAPFailure.serverRefusal(["* BYE Server shutting down."]) == "BYE Server shutting down.")
        #expect(IMAPFailure.serverRefusal(["* OK fine", "A1 OK done"]) == nil)
    }
}
