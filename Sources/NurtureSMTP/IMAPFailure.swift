/// Turns a failed libcurl IMAP transfer into a ``MailboxError``. Pure.
///
/// libcurl 7.88.1's codes, as measured against Dovecot: 67 for a refused login *and* for a refused SELECT of the folder
/// (told apart by the last command sent), 78 for a UIDVALIDITY mismatch or a missing UID (told apart by the
/// caller with a fresh `STATUS`), 21 for a refused custom command (`STATUS` of a folder that does not exist),
/// 23 when the write callback stopped a message over the size limit.
enum IMAPFailure {
    /// CURLcodes meaning the server could not be reached or the connection broke: connect, resolve, TLS
    /// handshake and verification, timeouts, a dropped connection.
    /// (A CA file libcurl cannot read, 77, is a setting to fix, not a server to wait for: `failed`.)
    static let unreachableCodes: Set<Int> = [5, 6, 7, 28, 35, 52, 55, 56, 59, 60, 64, 80, 83, 90, 91, 92, 95, 97]

    /// The error for `result` (which did not end CURLE_OK). `action` says what was being done
    /// (`fetching UID 7`), `where` names the mailbox (never with a password).
    static func error(_ result: CurlIMAPResult, action: String, where mailbox: String) -> MailboxError {
        let said = serverRefusal(result.replyLines).map { "; the server said \"\($0)\"" } ?? ""
        let base = "\(action) on \(mailbox) failed: \(result.curlMessage) (libcurl code \(result.curlCode))\(said)"
        switch result.curlCode {
        case 67 where ["SELECT", "EXAMINE"].contains(result.lastCommand):
            return MailboxError(.failed, base + "; check that the folder exists and the user may read it")
        case 67:
            return MailboxError(.authentication, base + "; check the username and password or token")
        case 78:
            return MailboxError(.missing, base)
        case 77:
            return MailboxError(.failed, base + "; check the CA file setting (a readable PEM bundle)")
        case 23 where result.bodyTooLarge:
            return MailboxError(.tooLarge, "\(action) on \(mailbox): the message is larger than the size limit")
        case let code where unreachableCodes.contains(code):
            return MailboxError(.unreachable, base)
        default:
            return MailboxError(.failed, base)
        }
    }

    /// The server's last refusal (`A004 NO [AUTHENTICATIONFAILED] Authentication failed.`, `* BYE ...`), without its
    /// tag, clipped to 200 characters; `nil` when there is none.
    static func serverRefusal(_ lines: [String]) -> String? {
        for line in lines.reversed() {
            let words = line.split(separator: " ", maxSplits: 2)
            guard words.count >= 2 else { continue }
            let status = words[1].uppercased()
            if words[0] != "*" && words[0] != "+" && (status == "NO" || status == "BAD")
                || words[0] == "*"
                    && status == "BYE"
            {
                let text = line.dropFirst(words[0].count + 1)
                return String(
                    text.prefix(200).unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(
                        Character.init))
            }
        }
        return nil
    }
}
