import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore

/// `GET /console/sends/{id}`: one send: Message-ID, envelope, every attempt with its SMTP code, enhanced status and
/// text, every decision with its reason, the incoming messages tied to it and the rule that tied them, the message
/// as it renders now, and the actions that apply (resend or abandon an unknown send).
extension HTTPInterface {
    private static let sendTemplate = ConsoleHTML.template(
        """
        <h1>Send {{id}}</h1>
        <dl id="send">
        <dt>Lead</dt><dd><a href="{{leadPath}}">{{lead}}</a></dd>
        <dt>Sequence / step</dt><dd><a href="{{sequencePath}}">{{sequence}}</a> / {{step}} (step {{stepNumber}}, {{track}})</dd>
        <dt>State</dt><dd>{{state}}{{#reason}} — {{.}}{{/reason}}</dd>
        <dt>Message-ID</dt><dd>{{messageID}}</dd>
        <dt>Envelope sender</dt><dd>{{envelope}}</dd>
        <dt>Due</dt><dd>{{due}}</dd><dt>Next look</dt><dd>{{next}}</dd><dt>Attempts</dt><dd>{{attempts}}</dd>
        </dl>
        {{#canAct}}
        <form class="action-resend" method="post" action="/console/sends/{{id}}/resend">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Resend (same Message-ID)</button></form>
        <form class="action-abandon" method="post" action="/console/sends/{{id}}/abandon">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Abandon</button></form>
        {{/canAct}}
        <h2>Attempts and decisions</h2>
        <table id="attempts"><thead><tr><th>Time (UTC)</th><th>State</th><th>Attempt</th><th>Sender</th><th>SMTP code</th>
        <th>Enhanced status</th><th>Reply</th><th>Reason</th></tr></thead><tbody>
        {{#log}}<tr><td>{{at}}</td><td>{{state}}</td><td>{{attempt}}</td><td>{{sender}}</td><td>{{code}}</td>
        <td>{{enhanced}}</td><td>{{reply}}</td><td>{{detail}}</td></tr>{{/log}}
        </tbody></table>
        <h2>Incoming mail tied to this send</h2>
        <table id="inbound"><thead><tr><th>Time (UTC)</th><th>Kind</th><th>From</th><th>Subject</th><th>Tied by</th>
        <th>Action</th></tr></thead><tbody>
        {{#inbound}}<tr><td>{{at}}</td><td>{{kind}}</td><td>{{from}}</td><td>{{subject}}</td><td>{{rule}}</td>
        <td>{{action}}</td></tr>{{/inbound}}
        </tbody></table>
        {{^inbound}}<p>None.</p>{{/inbound}}
        <h2>The message as it renders now</h2>
        {{#problems}}<p class="error">{{.}}</p>{{/problems}}
        {{#subject}}<p>Subject: <output id="send-subject">{{.}}</output></p>{{/subject}}
        {{#text}}<pre id="send-text">{{.}}</pre>{{/text}}
        <p><a href="/console/preview?sequence={{sequenceQ}}&amp;step={{stepQ}}&amp;lead={{leadQ}}">Open in the preview</a></p>
        """)

    func sendDetail(
        _ request: Request, _ context: NurtureRequestContext, _ session: ConsoleSession, _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap({ Int64($0) }),
            let send = try await withStore({ try await store.send(id) })
        else { return notFound("There is no such send.", request, session, console) }
        let (log, inbound, lead) = try await withStore {
            (
                try await console.queries.sendLog(send: id), try await console.queries.inbound(send: id),
                try await store.lead(send.leadEmail)
            )
        }
        let configuration = configuration()
        let rendered =
            lead.map {
                console.preview(
                    ConsolePreview.Request(sequence: send.sequence, step: send.step, lead: $0), configuration, now())
            } ?? ConsolePreview(problems: ["the lead no longer exists"])
        let envelope =
            configuration.inbound.verp?.address(forSend: send.id)?.description
            ?? log.last(where: { $0.sender != nil })?.sender ?? "the From address (no attempt yet)"
        let values: [String: Any] = [
            "id": String(send.id), "lead": send.leadEmail.description,
            "leadPath": ConsoleLayout.leadPath(send.leadEmail.description),
            "sequencePath": "/console/sequences/" + ConsoleSendFilter.encode(send.sequence), "sequence": send.sequence,
            "step": send.step, "stepNumber": send.stepNumber, "track": send.track.rawValue,
            "state": send.state.rawValue, "reason": send.reason ?? "", "messageID": send.messageID,
            "envelope": envelope, "due": ConsoleLayout.utc(send.dueAt), "next": ConsoleLayout.utc(send.nextAttemptAt),
            "attempts": send.attempts,
            "canAct": session.role == .admin && ConsoleActions.applies(.resend, to: send),
            "csrf": session.csrfToken(key: console.key),
            "log": log.map { entry -> [String: Any] in
                [
                    "at": ConsoleLayout.utc(entry.at), "state": entry.state.rawValue, "attempt": entry.attempt,
                    "sender": entry.sender ?? "", "code": entry.code.map(String.init) ?? "",
                    "enhanced": entry.reply.flatMap(Self.enhancedStatus) ?? "", "reply": entry.reply ?? "",
                    "detail": entry.detail ?? "",
                ]
            },
            "inbound": inbound.map { message -> [String: Any] in
                [
                    "at": ConsoleLayout.utc(message.at), "kind": message.kind.rawValue, "from": message.from ?? "",
                    "subject": message.subject ?? "", "rule": message.rule?.rawValue ?? "", "action": message.action,
                ]
            },
            "problems": rendered.problems, "subject": rendered.subject ?? "", "text": rendered.text ?? "",
            "sequenceQ": ConsoleSendFilter.encode(send.sequence), "stepQ": ConsoleSendFilter.encode(send.step),
            "leadQ": ConsoleSendFilter.encode(send.leadEmail.description),
        ]
        let body = Self.sendTemplate.render(values)
        return pageResponse(
            ConsoleLayout.page(frame("Send \(send.id)", request, session, console), body: body), request, console)
    }

    /// The enhanced status code (RFC 3463, `5.1.1`) at the start of an SMTP reply text after its code, if any.
    static func enhancedStatus(_ reply: String) -> String? {
        let words = reply.split(separator: " ", maxSplits: 2)
        let candidate = words.count > 1 && Int(words[0]) != nil ? words[1] : (words.first ?? "")
        let parts = candidate.split(separator: ".")
        guard parts.count == 3, ["2", "4", "5"].contains(String(parts[0])), parts.allSatisfy({ Int($0) != nil })
        else { return nil }
        return String(candidate)
    }

    /// A 404 page in the console's frame.
    func notFound(_ text: String, _ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime) -> Response
    {
        let body = "<h1>Not found</h1><p class=\"error\" role=\"alert\">\(ConsoleHTML.escape(text))</p>"
        return pageResponse(
            ConsoleLayout.page(frame("Not found", request, session, console), body: body), request, console,
            status: .notFound)
    }
}
