/// Reads the one-line untagged replies the mailbox reader asks for: `* STATUS`, `* SEARCH` and
/// `* n FETCH (UID .. FLAGS (..) RFC822.SIZE ..)`. Pure; lines the reader did not ask about are ignored.
enum IMAPResponse {
    /// The flags and size of one message, from a `UID FETCH n (UID FLAGS RFC822.SIZE)` reply.
    struct MessageFlags: Sendable, Equatable {
        var uid: UInt32
        /// The flags as the server spelt them (`\Seen`, `$NurtureProcessed`).
        var flags: [String]
        /// `RFC822.SIZE`, when the server sent it.
        var size: Int?

        /// Whether `flag` is set; flag names are case-insensitive (RFC 3501).
        func has(_ flag: String) -> Bool {
            flags.contains { $0.lowercased() == flag.lowercased() }
        }
    }

    /// The `* STATUS <folder> (UIDVALIDITY v UIDNEXT n MESSAGES m UNSEEN u)` line in `text`; `nil` when there is
    /// none or an item is missing.
    static func status(_ text: String) -> MailboxStatus? {
        for line in lines(text) where line.uppercased().hasPrefix("* STATUS ") {
            // The folder name may be quoted and hold spaces; the item list is the last parenthesised group.
            guard let open = line.lastIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else {
                continue
            }
            let words = line[line.index(after: open)..<close].split(separator: " ")
            var values: [String: UInt64] = [:]
            var index = 0
            while index + 1 < words.count {
                if let value = UInt64(words[index + 1]) { values[words[index].uppercased()] = value }
                index += 2
            }
            guard let validity = values["UIDVALIDITY"].flatMap(UInt32.init(exactly:)),
                let next = values["UIDNEXT"].flatMap(UInt32.init(exactly:)),
                let messages = values["MESSAGES"].flatMap(Int.init(exactly:)),
                let unseen = values["UNSEEN"].flatMap(Int.init(exactly:))
            else { continue }
            return MailboxStatus(uidValidity: validity, uidNext: next, messages: messages, unseen: unseen)
        }
        return nil
    }

    /// The UIDs of every `* SEARCH n n n` line in `text`, ascending and without repeats.
    static func searchUIDs(_ text: String) -> [UInt32] {
        var uids = Set<UInt32>()
        for line in lines(text) {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "*", words[1].uppercased() == "SEARCH" else { continue }
            for word in words.dropFirst(2) {
                if let uid = UInt32(word), uid > 0 { uids.insert(uid) }
            }
        }
        return uids.sorted()
    }

    /// The flags of message `uid` from the `* n FETCH (...)` lines in `text`; `nil` when no line names that UID
    /// (the message is gone). Unsolicited FETCH lines about other messages are skipped.
    static func messageFlags(_ text: String, uid: UInt32) -> MessageFlags? {
        for line in lines(text) {
            let words = line.split(separator: " ", maxSplits: 3)
            guard words.count == 4, words[0] == "*", UInt32(words[1]) != nil, words[2].uppercased() == "FETCH"
            else { continue }
            let items = parseList(Substring(words[3]))
            var found: UInt32?
            var flags: [String]?
            var size: Int?
            var index = 0
            while index + 1 < items.count {
                switch (items[index], items[index + 1]) {
                case (.atom(let name), .atom(let value)) where name.uppercased() == "UID": found = UInt32(value)
                case (.atom(let name), .atom(let value)) where name.uppercased() == "RFC822.SIZE": size = Int(value)
                case (.atom(let name), .list(let values)) where name.uppercased() == "FLAGS": flags = values
                default: break
                }
                index += 2
            }
            if found == uid, let flags { return MessageFlags(uid: uid, flags: flags, size: size) }
        }
        return nil
    }

    private enum Item: Equatable {
        case atom(String)
        case list([String])
    }

    /// The items of a FETCH reply's outer list: atoms and flat parenthesised lists (FLAGS).
    private static func parseList(_ text: Substring) -> [Item] {
        var body = text.trimmingSuffix(while: { $0 == " " })
        guard body.first == "(", body.last == ")" else { return [] }
        body = body.dropFirst().dropLast()
        var items: [Item] = []
        var rest = body[...]
        while let first = rest.first {
            if first == " " {
                rest = rest.dropFirst()
            } else if first == "(" {
                let end = rest.firstIndex(of: ")") ?? rest.endIndex
                let inner = rest[rest.index(after: rest.startIndex)..<end]
                items.append(.list(inner.split(separator: " ").map(String.init)))
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                let end = rest.firstIndex(where: { $0 == " " || $0 == "(" }) ?? rest.endIndex
                items.append(.atom(String(rest[..<end])))
                rest = rest[end...]
            }
        }
        return items
    }

    private static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }
}

extension Substring {
    /// The text without trailing characters matching `predicate`.
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var result = self
        while let last = result.last, predicate(last) { result = result.dropLast() }
        return result
    }
}
