import Foundation
import NurtureApp

/// The frame of every console page: the header with the user and the logout form, the navigation, the flash
/// message, and one `<main id="content">` holding the page (whose template brings the one `<h1>`).
enum ConsoleLayout {
    /// What the frame shows about the request.
    struct Frame {
        var title: String
        /// `nil` on the login page.
        var session: ConsoleSession?
        var csrf: String
        var flash: String?
    }

    private static let template = ConsoleHTML.template(
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <link rel="icon" href="data:,">
        <title>{{title}} · Nurture console</title>
        <link rel="stylesheet" href="/console/static/console.css">
        </head><body>
        <header><a class="brand" href="/console">Nurture console</a>
        {{#user}}<span class="user">{{name}} ({{role}})</span>
        <form id="logout" method="post" action="/console/logout"><input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit">Log out</button></form>{{/user}}
        </header>
        {{#user}}<nav id="console-nav" aria-label="Console"><ul>
        <li><a href="/console">Overview</a></li><li><a href="/console/sends">Send log</a></li>
        <li><a href="/console/sequences">Sequences</a></li><li><a href="/console/preview">Preview</a></li>
        </ul></nav>{{/user}}
        <main id="content">
        {{#flash}}<p class="flash" role="status">{{.}}</p>{{/flash}}
        {{{body}}}
        </main>
        </body></html>

        """)

    /// The page: `body` (markup rendered by a console template, never raw stored text) inside the frame.
    static func page(_ frame: Frame, body: String) -> String {
        var context: [String: Any] = ["title": frame.title, "body": body]
        if let session = frame.session {
            context["user"] = ["name": session.user, "role": session.role.rawValue, "csrf": frame.csrf]
        }
        if let flash = frame.flash { context["flash"] = flash }
        return template.render(context)
    }

    /// A date as `2026-01-31 14:05 UTC`.
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return stamp(date, calendar) + " UTC"
    }

    /// A date in `zone` as `2026-01-31 08:05 America/Chicago`; `nil` for an unknown zone.
    static func local(_ date: Date, zone identifier: String?) -> String? {
        guard let identifier, let zone = TimeZone(identifier: identifier) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return stamp(date, calendar) + " " + identifier
    }

    /// `2026-01-31 14:05` in `calendar`'s zone.
    private static func stamp(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2)) \(pad(c.hour, 2)):\(pad(c.minute, 2))"
    }

    /// The console path of a lead (the address percent-encoded as one path segment).
    static func leadPath(_ email: String) -> String { "/console/leads/" + ConsoleSendFilter.encode(email) }
}
