/// The URLs and command lines the mailbox reader hands to libcurl, built only from checked parts: nothing from
/// settings or mail reaches the wire unquoted, and no CR or LF ever does. Pure.
struct IMAPCommand {
    /// `imaps://host:port` or `imap://host:port` (no trailing slash).
    let server: String
    /// The folder, percent-encoded for a URL path.
    let folderPath: String
    /// The folder as an IMAP quoted string, for `STATUS`.
    let folderQuoted: String
    /// The processed keyword, a checked IMAP atom.
    let keyword: String

    /// Checks `settings` and builds the command parts; the error says which setting is wrong and what to do.
    init(settings: MailboxSettings) throws(MailboxError) {
        if let problem = Self.problem(in: settings) {
            throw MailboxError(.failed, "mailbox \(settings.name): \(problem)")
        }
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        server = "\(settings.security == .tls ? "imaps" : "imap")://\(host):\(settings.port)"
        folderPath = Self.percentEncoded(settings.folder)
        folderQuoted = Self.quoted(settings.folder)
        keyword = settings.keyword
    }

    /// The server URL a `STATUS` runs on (no folder selected).
    var serverURL: String { server + "/" }

    /// The folder's URL, optionally pinned to `uidValidity` (libcurl fails with CURLcode 78 when the folder's
    /// UIDVALIDITY differs, so nothing is read or changed under a renumbered mailbox).
    func folderURL(uidValidity: UInt32? = nil) -> String {
        server + "/" + folderPath + (uidValidity.map { ";UIDVALIDITY=\($0)" } ?? "")
    }

    /// The URL that fetches message `uid` whole (`UID FETCH uid BODY[]`, which sets `\Seen`).
    func messageURL(uid: UInt32, uidValidity: UInt32) -> String {
        folderURL(uidValidity: uidValidity) + "/;UID=\(uid)"
    }

    var status: String { "STATUS \(folderQuoted) (UIDVALIDITY UIDNEXT MESSAGES UNSEEN)" }

    func search(from lower: UInt32, to upper: UInt32) -> String { "UID SEARCH UID \(lower):\(upper)" }

    func flags(uid: UInt32) -> String { "UID FETCH \(uid) (UID FLAGS RFC822.SIZE)" }

    /// Sets the keyword; the reader reads the flags back after it, since a server that allows no keywords answers
    /// OK and drops it, and a UID that is gone is not an error to `STORE`.
    func markProcessed(uid: UInt32) -> String { "UID STORE \(uid) +FLAGS.SILENT (\(keyword))" }

    func restoreUnseen(uid: UInt32) -> String { "UID STORE \(uid) -FLAGS.SILENT (\\Seen)" }

    /// What is wrong with `settings`, or `nil`. Never quotes the password or token.
    static func problem(in settings: MailboxSettings) -> String? {
        if settings.host.isEmpty || !settings.host.allSatisfy(isHostCharacter) {
            return "host \"\(settings.host)\" is not a host name or IP address"
        }
        if !(1...65535).contains(settings.port) { return "port \(settings.port) is not between 1 and 65535" }
        if settings.security == .none && !isLoopback(settings.host) {
            return
                "security: none sends the password in clear text and is allowed only to a loopback host (127.0.0.1, ::1, localhost), not \(settings.host); use tls or starttls"
        }
        if settings.folder.isEmpty || !settings.folder.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            return
                "folder \"\(settings.folder.debugDescription.dropFirst().dropLast())\" must be printable ASCII (write a non-ASCII name in IMAP's modified UTF-7, as the server lists it)"
        }
        if !isAtom(settings.keyword) {
            return
                "keyword \"\(settings.keyword.debugDescription.dropFirst().dropLast())\" is not an IMAP keyword: use letters, digits and $ (e.g. $NurtureProcessed), no spaces, brackets, quotes, backslashes, % or *"
        }
        if settings.username.isEmpty || settings.username.unicodeScalars.contains(where: isControl) {
            return "username is empty or contains a control character (line break, tab)"
        }
        switch (settings.password, settings.bearerToken) {
        case (.some, .some): return "both a password and a bearer token are set; keep one"
        case (.none, .none): return "neither a password nor a bearer token is set"
        case (.some(let password), nil) where password.value.unicodeScalars.contains(where: isControl):
            return "the password contains a control character (a line break at the end of its file?)"
        case (nil, .some(let token)) where token.value.unicodeScalars.contains(where: isControl):
            return "the bearer token contains a control character (a line break at the end of its file?)"
        default: break
        }
        if settings.window < 1 { return "window \(settings.window) must be at least 1" }
        if settings.maxMessageBytes < 1 { return "the largest message size must be at least 1 byte" }
        return nil
    }

    /// Whether `word` is an IMAP atom usable as a keyword (RFC 3501 `atom`, no `\`: system flags are not ours).
    static func isAtom(_ word: String) -> Bool {
        !word.isEmpty && word.utf8.count <= 200
            && word.unicodeScalars.allSatisfy { scalar in
                (0x21...0x7E).contains(scalar.value) && !"(){%*\"\\]".unicodeScalars.contains(scalar)
            }
    }

    /// `127.0.0.0/8`, `::1` or `localhost`, by spelling (no name lookup).
    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// An IMAP quoted string (the caller has ruled out CR, LF and other controls).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\\" || character == "\"" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), so `/`, `;`, `?`, `#`, `%` and spaces in
    /// a folder name stay part of it; libcurl decodes the path before quoting it for SELECT.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar)
            {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    private static func isHostCharacter(_ character: Character) -> Bool {
        character.isASCII
            && (character.isLetter || character.isNumber || character == "." || character == "-"
                || character == ":")
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
