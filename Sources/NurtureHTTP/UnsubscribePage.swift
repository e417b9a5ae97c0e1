import NurtureTemplates

/// The plain HTML pages of one-click unsubscribe: a confirmation with a button (GET), the result (POST), and
/// a refusal for links that are not valid. No scripts, no external resources. Pure.
enum UnsubscribePage {
    /// The GET page: what will happen, and a form that POSTs `List-Unsubscribe=One-Click` to the same URL.
    static func confirm(company: String, maskedAddress: String, alreadyUnsubscribed: Bool) -> String {
        if alreadyUnsubscribed {
            return page(
                title: "Already unsubscribed",
                body: "<p>\(escape(maskedAddress)) no longer receives marketing email from \(escape(company)).</p>")
        }
        return page(
            title: "Unsubscribe",
            body: """
                <p>Stop marketing email from \(escape(company)) to \(escape(maskedAddress))?</p>
                <form method="post" action="">
                <input type="hidden" name="List-Unsubscribe" value="One-Click">
                <button type="submit">Unsubscribe</button>
                </form>
                """)
    }

    /// The POST result.
    static func done(company: String, maskedAddress: String) -> String {
        page(
            title: "Unsubscribed",
            body: "<p>\(escape(maskedAddress)) will receive no more marketing email from \(escape(company)).</p>")
    }

    /// A link that does not resolve (forged, altered, or from an erased lead).
    static func invalid() -> String {
        page(
            title: "Link not valid",
            body: "<p>This unsubscribe link is not valid. Use the link in a recent email, or reply to it and ask"
                + " to be removed.</p>")
    }

    /// A POST without `List-Unsubscribe=One-Click`.
    static func badRequest() -> String {
        page(title: "Nothing changed", body: "<p>Use the Unsubscribe button on the previous page.</p>")
    }

    /// `ana@example.com` → `a**@example.com`: enough for the reader to recognize, little for anyone else.
    static func mask(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "your address" }
        let local = address[..<at]
        let shown = local.prefix(1)
        return shown + String(repeating: "*", count: max(2, local.count - 1)) + address[at...]
    }

    /// The project's per-scalar HTML escaping (a combining mark cannot hide a quote or bracket).
    static func escape(_ text: String) -> String { HTMLEscaper.escape(text) }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(escape(title))</title>
        <style>body{font-family:sans-serif;max-width:32em;margin:4em auto;padding:0 1em;line-height:1.5}\
        button{font-size:1em;padding:.5em 1.5em}</style>
        </head><body>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>

        """
    }
}
