import Foundation
import HTTPTypes
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore

/// `GET /console/sends`: the send log, one row per send, newest first (latest due first for a date range),
/// filtered and paged by id, or due time and id (keyset), and
/// `GET /console/sends.csv`: the same filtered view as CSV (up to ``csvLimit`` rows).
extension HTTPInterface {
    static let csvLimit = 100_000

    private static let sendLogTemplate = ConsoleHTML.template(
        """
        <h1>Send log</h1>
        <form id="filters" method="get" action="/console/sends">
        {{#fields}}<label>{{label}} <input name="{{name}}" value="{{value}}"{{#date}} placeholder="YYYY-MM-DD"{{/date}}></label>
        {{/fields}}<button type="submit">Filter</button> <a href="/console/sends">Clear</a>
        </form>
        {{#hasProblems}}<ul class="error" role="alert">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/hasProblems}}
        <p><a href="/console/sends.csv?{{csvQuery}}">Download CSV</a></p>
        <table id="send-log"><thead><tr><th>Send</th><th>Due (lead's zone)</th><th>Due (UTC)</th><th>Lead</th>
        <th>Sequence / step</th><th>Track</th><th>Sender</th><th>State</th><th>Attempts</th><th>Last SMTP reply</th>
        </tr></thead><tbody>
        {{#rows}}<tr><td><a href="/console/sends/{{id}}">{{id}}</a></td><td>{{local}}</td><td>{{utc}}</td>
        <td><a href="{{leadPath}}">{{lead}}</a></td><td>{{sequence}} / {{step}}</td><td>{{track}}</td><td>{{sender}}</td>
        <td>{{state}}</td><td>{{attempts}}</td><td>{{reply}}</td></tr>
        {{/rows}}</tbody></table>
        {{#byDue}}<p>With dates set, sends are listed by due time, latest first.</p>{{/byDue}}
        {{^rows}}<p>No send matches these filters.</p>{{/rows}}
        {{#nextQuery}}<p><a rel="next" href="/console/sends?{{.}}">Next page</a></p>{{/nextQuery}}
        """)

    func sendLog(_ request: Request, _ session: ConsoleSession, _ console: ConsoleRuntime) async throws -> Response {
        let filter = ConsoleSendFilter(Self.query(request))
        let rows = try await withStore { try await console.queries.sendPage(filter.query) }
        let leads = try await withStore { try await store.leads(Array(Set(rows.map(\.send.leadEmail)))) }
        let zones = Dictionary(
            leads.map { ($0.email.description.lowercased(), $0.timeZone) }, uniquingKeysWith: { a, _ in a })
        let fallback = configuration().defaults.timeZone
        let labels = [
            "lead": "Lead starts with", "sequence": "Sequence", "step": "Step", "state": "State", "track": "Track",
            "sender": "Sender", "from": "Due from", "to": "Due to",
        ]
        var context: [String: Any] = [
            "fields": ConsoleSendFilter.fields.map { field in
                [
                    "name": field, "label": labels[field] ?? field, "value": filter.values[field] ?? "",
                    "date": field == "from" || field == "to",
                ] as [String: Any]
            },
            "hasProblems": !filter.problems.isEmpty, "problems": filter.problems,
            "csvQuery": filter.queryString(after: nil), "byDue": filter.query.ordersByDue,
            "rows": rows.map { row -> [String: Any] in
                let send = row.send
                let zone = zones[send.leadEmail.description.lowercased()] ?? fallback
                return [
                    "id": String(send.id), "local": ConsoleLayout.local(send.dueAt, zone: zone ?? fallback) ?? "",
                    "utc": ConsoleLayout.utc(send.dueAt), "lead": send.leadEmail.description,
                    "leadPath": ConsoleLayout.leadPath(send.leadEmail.description), "sequence": send.sequence,
                    "step": send.step, "track": send.track.rawValue, "sender": row.sender ?? "",
                    "state": send.state.rawValue, "attempts": send.attempts,
                    "reply": [send.lastCode.map(String.init), send.lastReply].compactMap { $0 }.joined(separator: " "),
                ]
            },
        ]
        if rows.count == filter.query.limit, let last = rows.last {
            context["nextQuery"] = filter.queryString(after: last.send.id, due: last.send.dueAt)
        }
        let body = Self.sendLogTemplate.render(context)
        return pageResponse(
            ConsoleLayout.page(frame("Send log", request, session, console), body: body), request, console)
    }

    /// Streams the CSV a page of 1,000 rows at a time, so the first bytes leave at once and memory stays bounded
    /// however many rows match. The first page is read before the response starts (a store error is then an
    /// error response); an error on a later page ends the download early, short of the header's promise.
    func sendLogCSV(_ request: Request, _ console: ConsoleRuntime) async throws -> Response {
        let filter = ConsoleSendFilter(Self.query(request), limit: 1_000)
        let first = try await withStore { try await console.queries.sendPage(filter.query) }
        let header = "id,due_utc,lead,sequence,step,track,sender,state,attempts,last_code,last_reply,reason\r\n"
        let body = ResponseBody { [self] writer in
            let formatter = ISO8601DateFormatter()
            var (query, page, total) = (filter.query, first, 0)
            try await writer.write(ByteBuffer(string: header))
            while true {
                let lines = page.map { Self.csvLine($0, formatter) }.joined()
                if !lines.isEmpty { try await writer.write(ByteBuffer(string: lines)) }
                total += page.count
                guard total < Self.csvLimit, page.count == query.limit, let last = page.last else { break }
                (query.after, query.afterDue) = (last.send.id, last.send.dueAt)
                page = try await withStore { [query] in try await console.queries.sendPage(query) }
            }
            try await writer.finish(nil)
        }
        var headers = ConsoleHTML.headers(contentType: "text/csv; charset=utf-8")
        headers[.contentDisposition] = "attachment; filename=\"nurture-sends.csv\""
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One row of the CSV export, with its line break.
    static func csvLine(_ row: SendPageRow, _ formatter: ISO8601DateFormatter) -> String {
        let send = row.send
        let fields: [String] = [
            String(send.id), formatter.string(from: send.dueAt), send.leadEmail.description, send.sequence, send.step,
            send.track.rawValue, row.sender ?? "", send.state.rawValue, String(send.attempts),
            send.lastCode.map(String.init) ?? "", send.lastReply ?? "", send.reason ?? "",
        ]
        return fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// One CSV field (RFC 4180), quoted when needed; a leading `=`, `+`, `-` or `@` gets a `'` so a spreadsheet
    /// does not run it as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
