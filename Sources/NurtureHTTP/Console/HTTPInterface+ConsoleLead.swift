import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore

/// `GET /console/leads/{email}`: one lead: its fields, why its next email waits (`nurture why`), its enrollments
/// with the actions that apply (resume a pause, end), unsuppress when suppressed, and the timeline of everything
/// that happened to it, each send linked.
extension HTTPInterface {
    private static let leadTemplate = ConsoleHTML.template(
        """
        <h1>{{email}}</h1>
        <dl id="lead">
        <dt>Name</dt><dd>{{name}}</dd><dt>Company</dt><dd>{{company}}</dd><dt>Title</dt><dd>{{title}}</dd>
        <dt>Stage</dt><dd>{{stage}}</dd><dt>Source</dt><dd>{{source}}</dd><dt>Owner</dt><dd>{{owner}}</dd>
        <dt>Time zone</dt><dd>{{zone}}</dd>
        {{#attributes}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/attributes}}
        </dl>
        <section id="why"><h2>Why it waits</h2><p>{{answer}}</p>
        {{#canUnsuppress}}<form class="action-unsuppress" method="post" action="{{path}}/unsuppress">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Unsuppress</button></form>{{/canUnsuppress}}
        </section>
        <h2>Enrollments</h2>
        <table id="enrollments"><thead><tr><th>Sequence</th><th>Started (UTC)</th><th>Ended</th><th>Paused until</th>
        <th>Actions</th></tr></thead><tbody>
        {{#enrollments}}<tr><td><a href="{{sequencePath}}">{{sequence}}</a></td><td>{{started}}</td><td>{{ended}}</td>
        <td>{{paused}}</td><td>{{#canResume}}<form class="action-resume inline" method="post" action="/console/enrollments/{{id}}/resume">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Resume</button></form>{{/canResume}}
        {{#canEnd}}<form class="action-end inline" method="post" action="/console/enrollments/{{id}}/end">
        <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">End</button></form>{{/canEnd}}</td></tr>
        {{/enrollments}}</tbody></table>
        <h2>Timeline</h2>
        <ol id="timeline" reversed>
        {{#timeline}}<li><time>{{at}}</time> <span class="kind">{{kind}}</span> {{text}}{{#sendID}}
        (<a href="/console/sends/{{.}}">send {{.}}</a>){{/sendID}}</li>
        {{/timeline}}</ol>
        """)

    func leadPage(
        _ request: Request, _ context: NurtureRequestContext, _ session: ConsoleSession, _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let text = context.parameters.get("email").flatMap({ $0.removingPercentEncoding }),
            let email = try? EmailAddress(text)
        else { return notFound("That is not an email address.", request, session, console) }
        let configuration = configuration()
        let at = now()
        guard
            let why = try await withStore({
                try await WhyReport.read(email, store: store, configuration: configuration, now: at)
            })
        else { return notFound("There is no lead \(text).", request, session, console) }
        let audit = try await withStore { try await store.audit(for: why.lead.email) }
        let lead = why.lead
        let csrf = session.csrfToken(key: console.key)
        let admin = session.role == .admin
        let values: [String: Any] = [
            "email": lead.email.description, "path": ConsoleLayout.leadPath(lead.email.description),
            "name": lead.fullName ?? "", "company": lead.company ?? "", "title": lead.title ?? "",
            "stage": "\(lead.stage)", "source": "\(lead.source)", "owner": lead.owner ?? "",
            "zone": lead.timeZone ?? "\(configuration.defaults.timeZone) (default)",
            "attributes": lead.attributes.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] },
            "answer": why.answer, "csrf": csrf,
            "canUnsuppress": admin && (why.suppressed || lead.hasBounced) && !lead.isUnsubscribed,
            "enrollments": why.enrollments.reversed().map { enrollment -> [String: Any] in
                [
                    "id": String(enrollment.id), "sequence": enrollment.sequence,
                    "sequencePath": "/console/sequences/" + ConsoleSendFilter.encode(enrollment.sequence),
                    "started": ConsoleLayout.utc(enrollment.startedAt),
                    "ended": enrollment.endedAt.map {
                        ConsoleLayout.utc($0) + (enrollment.endReason.map { " (\($0))" } ?? "")
                    } ?? "active",
                    "paused": enrollment.pausedUntil.map(ConsoleLayout.utc) ?? "",
                    "canResume": admin && ConsoleActions.applies(.resume, to: enrollment, now: at),
                    "canEnd": admin && ConsoleActions.applies(.end, to: enrollment, now: at), "csrf": csrf,
                ]
            },
            "timeline": ConsoleTimeline.events(
                enrollments: why.enrollments, sends: why.sends, inbound: why.inbound, audit: audit
            ).map { event -> [String: Any] in
                var row: [String: Any] = ["at": ConsoleLayout.utc(event.at), "kind": event.kind, "text": event.text]
                if let id = event.sendID { row["sendID"] = String(id) }
                return row
            },
        ]
        let body = Self.leadTemplate.render(values)
        return pageResponse(
            ConsoleLayout.page(frame(lead.email.description, request, session, console), body: body), request, console)
    }
}
