import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// One `inbound.mailboxes[]` entry: where the mailbox is, how to log in, how often to look, and whose it is.
extension ConfigParser {
    static let mailboxKeys = [
        "name", "url", "security", "username", "password_file", "password_credential", "bearer_token_file",
        "bearer_token_credential", "ca_file", "poll_interval", "keyword", "owner",
    ]

    /// A watched mailbox as read, with the nodes the cross-checks point at.
    struct ParsedMailbox {
        var value: WatchedMailbox?
        var name: String?
        var nameNode: Node?
        var owner: String?
        var ownerNode: Node?
        var path: String
    }

    /// One mailbox entry; `value` is `nil` when a part is unusable (problems say why).
    func mailbox(_ node: Node, path: String) -> ParsedMailbox? {
        guard let fields = diagnostics.fields(node, path: path, allowed: Self.mailboxKeys) else { return nil }
        let before = diagnostics.problems.count
        let name = diagnostics.identifier(fields, "name", example: "marketing")
        let location = mailboxURL(fields)
        let security = mailboxSecurity(fields, scheme: location?.scheme, host: location?.host)
        let username = diagnostics.text(fields, "username", required: true, example: "replies@example.com")
        let password = secret(fields, fileKey: "password_file", credentialKey: "password_credential")
        let bearer = secret(fields, fileKey: "bearer_token_file", credentialKey: "bearer_token_credential")
        if password.configured == bearer.configured, password.ok, bearer.ok {
            // Both or neither: point at the bearer token when both are set, else at the mailbox.
            let key =
                password.configured
                ? (fields.has("bearer_token_file") ? "bearer_token_file" : "bearer_token_credential")
                : "password_credential"
            diagnostics.report(
                password.configured ? fields[key] : fields.node, fields.path(key),
                password.configured
                    ? "both a password and a bearer token are configured" : "no password or bearer token is configured",
                fix: "give exactly one: password_credential (or password_file) with an app password, or"
                    + " bearer_token_credential (or bearer_token_file) with an OAuth 2 access token")
        }
        let caFile = diagnostics.text(fields, "ca_file", example: "/etc/ssl/private-ca.pem").map(resolve)
        let interval = boundedDelay(fields, "poll_interval", in: 5...86_400, example: "60s")
        let keyword = imapKeyword(fields)
        let owner = diagnostics.identifier(optional: fields, "owner", example: "priya")
        var parsed = ParsedMailbox(
            name: name, nameNode: fields["name"], owner: owner, ownerNode: fields["owner"], path: path)
        guard diagnostics.problems.count == before, let name, let location, let security, let username else {
            return parsed
        }
        let settings = MailboxSettings(
            name: name, host: location.host, port: location.port ?? (security == .tls ? 993 : 143),
            folder: location.folder, security: security, username: username, password: password.value,
            bearerToken: bearer.value, caFile: caFile, keyword: keyword ?? "$NurtureProcessed")
        parsed.value = WatchedMailbox(settings: settings, pollInterval: interval ?? .seconds(60), owner: owner)
        return parsed
    }

    /// The parts of `imaps://host[:port]/FOLDER`.
    struct MailboxLocation {
        var scheme: String
        var host: String
        var port: Int?
        var folder: String
    }

    private func mailboxURL(_ fields: Fields) -> MailboxLocation? {
        guard let text = diagnostics.text(fields, "url", required: true, example: "imaps://imap.example.com/INBOX")
        else { return nil }
        let fix =
            "write imaps://HOST/FOLDER (TLS, port 993) or imap://HOST/FOLDER (STARTTLS, port 143), e.g."
            + " imaps://imap.example.com/INBOX; put the login in `username:` and the password in a credential"
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "imap" || scheme == "imaps", let host = url.host, !host.isEmpty,
            url.user == nil, url.password == nil, url.query == nil, url.fragment == nil,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) })
        else {
            diagnostics.report(fields["url"], fields.path("url"), "`\(text)` is not an IMAP mailbox URL", fix: fix)
            return nil
        }
        var folder = String(url.percentEncodedPath.drop { $0 == "/" })
        folder = folder.removingPercentEncoding ?? folder
        if folder.isEmpty { folder = "INBOX" }
        guard folder.count <= 200, !folder.hasPrefix(" "), !folder.hasSuffix(" "),
            folder.unicodeScalars.allSatisfy({
                $0.value >= 0x20 && $0.value < 0x7F && !"\"\\*%{}".unicodeScalars.contains($0)
            })
        else {
            diagnostics.report(
                fields["url"], fields.path("url"), "the folder `\(folder)` cannot be watched safely",
                fix: "name a folder of printable ASCII without \" \\ * % { } (a non-ASCII folder in IMAP's modified"
                    + " UTF-7 as the server lists it), e.g. INBOX or INBOX/Bounces")
            return nil
        }
        return MailboxLocation(scheme: scheme, host: host, port: url.port, folder: folder)
    }

    private func mailboxSecurity(_ fields: Fields, scheme: String?, host: String?) -> MailboxSettings.Security? {
        let choices = MailboxSettings.Security.allCases.map(\.rawValue)
        let written = diagnostics.choice(fields, "security", choices).flatMap(MailboxSettings.Security.init)
        guard let scheme, fields["security"] == nil || written != nil else { return nil }
        let security = written ?? (scheme == "imaps" ? .tls : .starttls)
        if scheme == "imaps" && security != .tls || scheme == "imap" && security == .tls {
            diagnostics.report(
                fields["security"], fields.path("security"),
                "`security: \(security)` does not match the URL's \(scheme)://",
                fix: "use imaps:// for `tls`, imap:// for `starttls` (or `none` on loopback), or drop `security:`")
            return nil
        }
        if security == .none, let host, !Self.isLoopback(host) {
            diagnostics.report(
                fields["security"], fields.path("security"),
                "`security: none` would send the mailbox password in clear to \(host)",
                fix: "use imaps:// (TLS) or imap:// with `security: starttls`; `none` is for a loopback server only")
            return nil
        }
        return security
    }

    /// An IMAP keyword: an atom (RFC 3501) of at most 64 characters, not a system flag.
    private func imapKeyword(_ fields: Fields) -> String? {
        guard let text = diagnostics.text(fields, "keyword", example: "$NurtureProcessed") else { return nil }
        let specials = "(){ %*\"\\]"
        guard text.count <= 64,
            text.unicodeScalars.allSatisfy({
                $0.value > 0x20 && $0.value < 0x7F && !specials.unicodeScalars.contains($0)
            })
        else {
            diagnostics.report(
                fields["keyword"], fields.path("keyword"), "`\(text)` is not an IMAP keyword",
                fix: "use letters, digits and $ - _ . (at most 64), e.g. $NurtureProcessed")
            return nil
        }
        return text
    }
}
