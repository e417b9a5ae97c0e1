/// The flash message an action leaves for the next page, in a short signed cookie (so no one else can make the
/// console show a message of their choosing).
enum ConsoleFlash {
    static let cookieName = "nurture_console_flash"

    /// The cookie value of `text`.
    static func value(_ text: String, key: ConsoleSession.Key) -> String {
        let payload = ConsoleSession.base64url(Array(text.utf8))
        return payload + "." + key.sign("flash|" + payload)
    }

    /// The message in `value` when its signature holds.
    static func read(_ value: String, key: ConsoleSession.Key) -> String? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, key.verify("flash|" + parts[0], signature: parts[1]),
            let bytes = ConsoleSession.unbase64url(parts[0])
        else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
