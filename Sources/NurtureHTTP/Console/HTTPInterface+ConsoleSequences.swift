import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore

/// `GET /console/sequences` (the configured sequences) and `GET /console/sequences/{name}`: the funnel of one
/// sequence per step (planned, waiting, sent, held by reason, skipped, cancelled, failed, unknown, replied) and, for
/// each step, who did not get it and why (rows that did not go out, and enrollments that ended before the step was
/// planned), each row linking to the lead.
extension HTTPInterface {
    /// How many of a sequence's most recently ended enrollments the funnel looks through for the leads whose
    /// enrollment ended before a step (``ConsoleQueries/endedEnrollments(sequence:limit:)``).
    static let endedScanned = 2_000

    private static let sequencesTemplate = ConsoleHTML.template(
        """
        <h1>Sequences</h1>
        <table id="sequences"><thead><tr><th>Sequence</th><th>Track</th><th>Steps</th></tr></thead><tbody>
        {{#sequences}}<tr><td><a href="{{path}}">{{id}}</a></td><td>{{track}}</td><td>{{steps}}</td></tr>{{/sequences}}
        </tbody></table>
        """)

    private static let funnelTemplate = ConsoleHTML.template(
        """
        <h1>Sequence {{sequence}}</h1>
        {{^configured}}<p class="error">The configuration no longer has this sequence.</p>{{/configured}}
        <table id="funnel"><thead><tr><th>Step</th><th>Planned</th><th>Waiting</th><th>Sent</th><th>Held</th>
        <th>Skipped</th><th>Cancelled</th><th>Failed</th><th>Unknown</th><th>Replied</th></tr></thead><tbody>
        {{#steps}}<tr><td><a href="#step-{{anchor}}">{{number}}. {{id}}</a></td><td>{{planned}}</td><td>{{waiting}}</td>
        <td><a href="/console/sends?sequence={{sequenceQ}}&amp;step={{stepQ}}&amp;state=sent">{{sent}}</a></td>
        <td>{{heldTotal}}{{#held}}<br>{{kind}}: {{count}}{{/held}}</td><td>{{skipped}}</td><td>{{cancelled}}</td>
        <td>{{failed}}</td><td>{{unknown}}</td><td>{{replied}}</td></tr>
        {{/steps}}</tbody></table>
        <h2>Who did not get each step, and why</h2>
        {{#steps}}<section id="step-{{anchor}}"><h3>{{number}}. {{id}}</h3>
        {{#missed}}<ul class="missed">{{#rows}}<li><a href="{{leadPath}}">{{lead}}</a>: {{state}}{{#reason}} — {{.}}{{/reason}}
        (<a href="/console/sends/{{sendID}}">send {{sendID}}</a>)</li>{{/rows}}</ul>{{/missed}}
        {{^missed}}<p>Everyone planned for this step got it or is still waiting for it.</p>{{/missed}}
        {{#ended}}<p>Enrollment ended before this step was planned (among the {{scanning}} enrollments that ended last):</p>
        <ul class="ended">{{#rows}}<li><a href="{{leadPath}}">{{lead}}</a>: {{reason}} on {{endedAt}}</li>{{/rows}}</ul>
        {{/ended}}
        </section>{{/steps}}
        """)

    func sequencesPage(_ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime) async throws
        -> Response
    {
        let values: [String: Any] = [
            "sequences": configuration().sequences.map { sequence -> [String: Any] in
                [
                    "id": sequence.id, "path": "/console/sequences/" + ConsoleSendFilter.encode(sequence.id),
                    "track": sequence.track.rawValue, "steps": sequence.steps.map(\.id).joined(separator: ", "),
                ]
            }
        ]
        let body = Self.sequencesTemplate.render(values)
        return pageResponse(
            ConsoleLayout.page(frame("Sequences", request, session, console), body: body), request, console)
    }

    func funnelPage(
        _ request: Request, _ context: NurtureRequestContext, _ session: ConsoleSession, _ console: ConsoleRuntime
    ) async throws -> Response {
        guard let name = context.parameters.get("name").flatMap({ $0.removingPercentEncoding }) else {
            return notFound("No sequence named.", request, session, console)
        }
        let configured = configuration().sequence(id: name)
        let (counts, replies, ended) = try await withStore {
            (
                try await console.queries.funnel(sequence: name), try await console.queries.replies(sequence: name),
                try await console.queries.endedEnrollments(sequence: name, limit: Self.endedScanned)
            )
        }
        guard configured != nil || !counts.isEmpty else {
            return notFound("There is no sequence \(name).", request, session, console)
        }
        let funnel = ConsoleFunnel(
            sequence: name, configuredSteps: configured?.steps.map(\.id) ?? [], counts: counts, replies: replies)
        var steps: [[String: Any]] = []
        for (index, step) in funnel.steps.enumerated() {
            let missed = try await withStore {
                try await console.queries.missed(sequence: name, step: step.id, limit: 50)
            }
            // Those who left before this step was planned for them: planned no further than the step before.
            let left = step.configured ? ended.filter { $0.plannedThrough < step.number }.prefix(50) : []
            var row: [String: Any] = [
                "anchor": String(index + 1), "number": step.number, "id": step.id, "planned": step.planned,
                "waiting": step.waiting, "sent": step.sent, "heldTotal": step.heldTotal,
                "held": step.held.sorted { $0.key < $1.key }.map {
                    ["kind": $0.key, "count": $0.value] as [String: Any]
                },
                "skipped": step.skipped, "cancelled": step.cancelled, "failed": step.failed, "unknown": step.unknown,
                "replied": step.replied, "sequenceQ": ConsoleSendFilter.encode(name),
                "stepQ": ConsoleSendFilter.encode(step.id),
            ]
            if !missed.isEmpty {
                row["missed"] = [
                    "rows": missed.map { send -> [String: Any] in
                        [
                            "lead": send.leadEmail.description,
                            "leadPath": ConsoleLayout.leadPath(send.leadEmail.description),
                            "state": send.state.rawValue, "reason": send.reason ?? "", "sendID": String(send.id),
                        ]
                    }
                ]
            }
            if !left.isEmpty {
                row["ended"] = [
                    "scanning": Self.endedScanned.formatted(),
                    "rows": left.map(\.enrollment).map { enrollment -> [String: Any] in
                        [
                            "lead": enrollment.leadEmail.description,
                            "leadPath": ConsoleLayout.leadPath(enrollment.leadEmail.description),
                            "reason": enrollment.endReason?.rawValue ?? "ended",
                            "endedAt": enrollment.endedAt.map(ConsoleLayout.utc) ?? "",
                        ]
                    },
                ]
            }
            steps.append(row)
        }
        let values: [String: Any] = ["sequence": name, "configured": configured != nil, "steps": steps]
        let body = Self.funnelTemplate.render(values)
        return pageResponse(
            ConsoleLayout.page(frame("Sequence \(name)", request, session, console), body: body), request, console)
    }
}
