/// The step of an SMTP transaction a reply answered: the client's command just sent (or the greeting).
///
/// The transport records it with each outcome, because a reply code alone does not say what was refused:
/// a 550 to `MAIL FROM` refuses the sender (the relay will refuse every message), a 550 to `RCPT TO`
/// refuses the recipient, and a 550 after the final dot refuses this one message.
package enum SMTPPhase: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// The server's greeting on connect (`220`, or a refusal such as `554 no service`).
    case greeting
    /// `EHLO` / `HELO` (and `STARTTLS`, which is part of saying hello).
    case hello = "ehlo"
    /// `AUTH` and its continuation lines.
    case auth
    /// `MAIL FROM`: the sender.
    case mailFrom = "mail"
    /// `RCPT TO`: the recipient.
    case rcptTo = "rcpt"
    /// The `DATA` command, before the server invites the body with `354`.
    case data
    /// The final dot: the server's verdict on the message it received.
    case endOfData = "end-of-data"

    /// How an operator reads it: `at MAIL FROM`, `after the final dot`.
    package var description: String {
        switch self {
        case .greeting: "at the greeting"
        case .hello: "at EHLO"
        case .auth: "at AUTH"
        case .mailFrom: "at MAIL FROM"
        case .rcptTo: "at RCPT TO"
        case .data: "at DATA"
        case .endOfData: "after the final dot"
        }
    }

    /// The phase a command sent by the client starts, from the command line itself (`MAIL FROM:<...>`),
    /// or `nil` for a line that starts no phase (an AUTH continuation, `QUIT`, `RSET`, `NOOP`).
    package static func started(byCommand line: some StringProtocol) -> SMTPPhase? {
        let verb = line.prefix { $0 != " " && $0 != "\r" && $0 != "\n" }.uppercased()
        switch verb {
        case "EHLO", "HELO", "LHLO", "STARTTLS": return .hello
        case "AUTH": return .auth
        case "MAIL": return .mailFrom
        case "RCPT": return .rcptTo
        case "DATA": return .data
        default: return nil
        }
    }
}
