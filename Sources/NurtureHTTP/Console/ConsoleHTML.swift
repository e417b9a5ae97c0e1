import Foundation
import HTTPTypes
import Hummingbird
internal import Mustache
import NurtureTemplates

/// Renders the console's pages: each page's Mustache template inside the layout, with every value escaped scalar
/// by scalar (``HTMLEscaper``: a combining mark cannot hide a quote or bracket), and the response headers every
/// console page carries (the strict Content-Security-Policy, no caching, no framing).
enum ConsoleHTML {
    /// The content type every console template selects on its first line, escaping with ``HTMLEscaper``.
    private struct Escaping: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLEscaper.escape(text) }
    }

    static let pragma = "{{%CONTENT_TYPE:NURTURE_CONSOLE_HTML}}"

    private static let registered: Bool = {
        MustacheContentTypes.register(Escaping(), named: "NURTURE_CONSOLE_HTML")
        return true
    }()

    /// A parsed page template.
    struct Template: Sendable {
        fileprivate let template: MustacheTemplate

        /// The page with `context`'s values, each escaped.
        func render(_ context: [String: Any]) -> String { template.render(context) }
    }

    /// Parses a page template (a constant of this target: a failure is a programming error caught by the tests).
    static func template(_ text: String) -> Template {
        precondition(registered)
        do {
            return Template(template: try MustacheTemplate(string: pragma + text))
        } catch {
            preconditionFailure("console template: \(error)")
        }
    }

    /// The Content-Security-Policy of every console response.
    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none';"
        + " base-uri 'none'; frame-src 'self'"

    /// The stricter policy of the preview's HTML part (shown in a sandboxed frame): no scripts, no forms, images
    /// only from data URLs, styles inline as mail has them.
    static let previewPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none';"
        + " sandbox"

    private static let frameOptions = HTTPField.Name("X-Frame-Options")!
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    private static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!

    /// The headers of every console response.
    static func headers(contentType: String, policy: String = policy, sameOriginFrame: Bool = false) -> HTTPFields {
        [
            .contentType: contentType, .cacheControl: "no-store", .contentSecurityPolicy: policy,
            frameOptions: sameOriginFrame ? "SAMEORIGIN" : "DENY", referrerPolicy: "same-origin",
            contentTypeOptions: "nosniff",
        ]
    }

    /// An HTML response.
    static func response(_ status: HTTPResponse.Status, _ html: String, extra: HTTPFields = [:]) -> Response {
        var fields = headers(contentType: "text/html; charset=utf-8")
        fields.append(contentsOf: extra)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location`, with any cookies to set.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var fields = headers(contentType: "text/plain; charset=utf-8")
        fields[.location] = location
        for cookie in cookies { fields.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: fields)
    }
}

extension ConsoleHTML {
    /// Escapes text for HTML, scalar by scalar.
    static func escape(_ text: String) -> String { HTMLEscaper.escape(text) }
}
