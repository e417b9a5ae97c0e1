import Foundation

/// Tells an automatic reply (RFC 3834 and the de-facto markers) from a notification. `Auto-Submitted:
/// auto-replied`, `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply` and Exchange's
/// `X-MS-Exchange-Inbox-Rules-Loop` mark an automatic reply; so does an out-of-office subject. `Auto-Submitted:
/// auto-generated` and `Precedence: bulk|junk` mark an automatic reply only with an out-of-office subject or text,
/// else a notification or bulk mail. `X-Auto-Response-Suppress` asks others not to reply: it marks nothing.
enum AutoReplyReader {
    /// What the markers say.
    enum Verdict: Equatable {
        case autoReply(evidence: String)
        case notification(evidence: String)
        case none
    }

    /// Subject starts of automatic replies ("Automatic reply: ...", "Auto: ...", "Abwesenheitsnotiz: ...").
    private static let subjectPrefixes = [
        "automatic reply", "auto:", "autoreply", "auto-reply", "auto reply", "out of office", "out of the office",
        "ooo:", "abwesenheitsnotiz", "abwesenheit", "automatische antwort", "réponse automatique",
        "reponse automatique", "absence", "respuesta automática", "respuesta automatica", "fuera de la oficina",
        "fuera de oficina", "risposta automatica", "automatisch antwoord", "autosvar", "vacation", "urlaub",
        "congés", "conges", "ausente", "on vacation", "away from the office", "i am away", "i'm away",
    ]
    /// Phrases that mark an automatic reply anywhere in the subject.
    private static let subjectPhrases = [
        "automatic reply", "auto-reply", "autoreply", "out of office", "out of the office", "abwesenheitsnotiz",
        "automatische antwort", "réponse automatique", "respuesta automática", "fuera de la oficina",
    ]
    private static let bodyMarkers = [
        "out of office", "out of the office", "away from the office", "on vacation", "on holiday", "on leave",
        "limited access to email", "limited access to e-mail", "nicht im büro", "abwesend", "im urlaub",
        "außer haus", "absent du bureau", "en congé", "en congés", "absente", "absent", "fuera de la oficina",
        "de vacaciones", "ausente", "this is an automatic reply", "automatic reply", "automatische antwort",
        "réponse automatique", "respuesta automática",
    ]

    /// The verdict on `message`.
    static func judge(_ message: InboundMessage) -> Verdict {
        let headers = message.headers
        let autoSubmitted = headers.value("auto-submitted").map(firstToken)
        let precedence = headers.value("precedence").map(firstToken)
        let subject = message.subject.lowercased()
        let subjectMarker =
            subjectPrefixes.first { subject.hasPrefix($0) } ?? subjectPhrases.first { subject.contains($0) }
        if autoSubmitted == "auto-replied" { return .autoReply(evidence: "Auto-Submitted: auto-replied") }
        for name in ["x-autoreply", "x-autorespond", "x-autoresponder", "x-autoreply-from", "x-mailer-autoreply"] {
            if let value = headers.value(name), !["no", "false", "0"].contains(firstToken(value)) {
                return .autoReply(evidence: "\(name.headerCase): \(value.prefix(40))")
            }
        }
        if precedence == "auto_reply" { return .autoReply(evidence: "Precedence: auto_reply") }
        if headers.has("x-ms-exchange-inbox-rules-loop") {
            return .autoReply(evidence: "X-MS-Exchange-Inbox-Rules-Loop (an Exchange inbox rule's reply)")
        }
        let bodyMarker = bodyMarkers.first { message.bodyText.prefix(4000).lowercased().contains($0) }
        if let autoSubmitted, autoSubmitted != "no" {
            if let marker = subjectMarker ?? bodyMarker {
                return .autoReply(evidence: "Auto-Submitted: \(autoSubmitted) with \"\(marker)\"")
            }
            return .notification(evidence: "Auto-Submitted: \(autoSubmitted) without out-of-office words")
        }
        if let precedence, ["bulk", "junk", "list"].contains(precedence) {
            if let marker = subjectMarker ?? bodyMarker {
                return .autoReply(evidence: "Precedence: \(precedence) with \"\(marker)\"")
            }
            return .notification(evidence: "Precedence: \(precedence)")
        }
        if let subjectMarker { return .autoReply(evidence: "subject \"\(subjectMarker)\"") }
        return .none
    }

    /// The subject without leading "Re:", "AW:", "Fwd:" ... prefixes.
    static func stripReplyPrefixes(_ subject: String) -> String {
        var rest = Substring(subject).drop { $0 == " " }
        let prefixes = ["re:", "aw:", "fw:", "fwd:", "wg:", "tr:", "rv:", "r:", "sv:", "antw:", "réf:", "ref:"]
        var changed = true
        while changed {
            changed = false
            for prefix in prefixes where rest.lowercased().hasPrefix(prefix) {
                rest = rest.dropFirst(prefix.count).drop { $0 == " " }
                changed = true
            }
        }
        return String(rest)
    }

    private static func firstToken(_ value: String) -> String {
        value.lowercased().split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "\t" }).first.map(String.init)
            ?? ""
    }
}

extension String {
    /// `x-autoreply` → `X-Autoreply`, for evidence lines.
    fileprivate var headerCase: String {
        split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }
}
