import Foundation
import HTTPTypes
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore

/// `GET /console/preview?sequence=&step=&lead=`: a step rendered for a real lead (or the example lead) exactly as
/// it would be sent now: the sender identity and headers, the subject, the text part, and the HTML part in a
/// sandboxed frame served by `GET /console/preview/html?...` under its own stricter policy. Template problems are
/// listed with file and line. The template files are read again on every request.
extension HTTPInterface {
    private static let previewTemplate = ConsoleHTML.template(
        """
        <h1>Template preview</h1>
        <form id="preview" method="get" action="/console/preview">
        <label for="preview-sequence">Sequence</label>
        <select id="preview-sequence" name="sequence">{{#sequences}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{id}}</option>{{/sequences}}</select>
        <label for="preview-step">Step</label>
        <select id="preview-step" name="step">{{#steps}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/steps}}</select>
        <label for="preview-lead">Lead (empty: the example lead)</label>
        <input id="preview-lead" name="lead" value="{{lead}}" placeholder="dana@example.com">
        <button type="submit">Preview</button>
        </form>
        <ul id="preview-problems">{{#problems}}<li class="error">{{.}}</li>{{/problems}}</ul>
        {{#rendered}}
        <h2>Headers</h2>
        <table id="preview-headers"><tbody>{{#headers}}<tr><th>{{name}}</th><td>{{value}}</td></tr>{{/headers}}</tbody></table>
        <p>Subject: <output id="preview-subject">{{subject}}</output></p>
        <h2>Text part</h2>
        <pre id="preview-text">{{text}}</pre>
        <h2>HTML part</h2>
        {{#hasHTML}}<iframe id="preview-html" sandbox title="HTML part" src="/console/preview/html?{{query}}"></iframe>{{/hasHTML}}
        {{^hasHTML}}<p>This step has no HTML part.</p>{{/hasHTML}}
        {{/rendered}}
        """)

    /// The preview of the request's sequence, step and lead; `nil` request when the form is not filled yet.
    private func renderPreview(
        _ parameters: [String: String], _ console: ConsoleRuntime
    ) async throws -> (request: ConsolePreview.Request?, preview: ConsolePreview?) {
        let configuration = configuration()
        let sequenceID = parameters["sequence"].flatMap { $0.isEmpty ? nil : $0 } ?? configuration.sequences.first?.id
        guard let sequenceID else { return (nil, nil) }
        let sequence = configuration.sequence(id: sequenceID)
        let stepID = parameters["step"].flatMap { $0.isEmpty ? nil : $0 } ?? sequence?.steps.first?.id ?? ""
        var lead: Lead?
        if let text = parameters["lead"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let address = try? EmailAddress(text) else {
                return (nil, ConsolePreview(problems: ["lead: `\(text)` is not an email address"]))
            }
            guard let stored = try await withStore({ try await store.lead(address) }) else {
                return (
                    nil,
                    ConsolePreview(problems: ["lead: there is no lead \(text); leave it empty for the example lead"])
                )
            }
            lead = stored
        }
        let request = ConsolePreview.Request(sequence: sequenceID, step: stepID, lead: lead)
        return (request, console.preview(request, configuration, now()))
    }

    func previewPage(_ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime) async throws -> Response
    {
        let parameters = Self.query(request)
        let configuration = configuration()
        let (asked, preview) = try await renderPreview(parameters, console)
        let sequenceID = asked?.sequence ?? parameters["sequence"] ?? configuration.sequences.first?.id
        var values: [String: Any] = [
            "sequences": configuration.sequences.map {
                ["id": $0.id, "selected": $0.id == sequenceID] as [String: Any]
            },
            "steps": configuration.sequences.flatMap { sequence in
                sequence.steps.map { step -> [String: Any] in
                    [
                        "id": step.id, "label": "\(sequence.id): \(step.id)",
                        "selected": sequence.id == sequenceID && step.id == asked?.step,
                    ]
                }
            },
            "lead": parameters["lead"] ?? "", "problems": preview?.problems ?? [],
        ]
        if let preview, preview.problems.isEmpty, let asked {
            values["rendered"] =
                [
                    "headers": preview.headers.map { ["name": $0.name, "value": $0.value] },
                    "subject": preview.subject ?? "", "text": preview.text ?? "", "hasHTML": preview.html != nil,
                    "query":
                        "sequence=\(ConsoleSendFilter.encode(asked.sequence))&step=\(ConsoleSendFilter.encode(asked.step))"
                        + "&lead=\(ConsoleSendFilter.encode(asked.lead?.email.description ?? ""))",
                ] as [String: Any]
        }
        let body = Self.previewTemplate.render(values)
        return pageResponse(
            ConsoleLayout.page(frame("Preview", request, session, console), body: body), request, console)
    }

    /// The HTML part alone, for the preview's sandboxed frame: its own policy runs no script, submits no form and
    /// loads nothing from elsewhere.
    func previewHTML(_ request: Request, _ console: ConsoleRuntime) async throws -> Response {
        let (_, preview) = try await renderPreview(Self.query(request), console)
        let html = preview?.html ?? "<!doctype html><p>No HTML part.</p>"
        var headers = ConsoleHTML.headers(
            contentType: "text/html; charset=utf-8", policy: ConsoleHTML.previewPolicy, sameOriginFrame: true)
        headers[.contentSecurityPolicy] = ConsoleHTML.previewPolicy + "; frame-ancestors 'self'"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
