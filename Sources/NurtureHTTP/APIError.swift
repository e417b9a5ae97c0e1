import Foundation
package import Hummingbird
import NurtureCore

/// A refused request: an HTTP status and a JSON body naming the field and the problem.
///
/// Body: `{"error": {"status": 422, "field": "stage", "message": "..."}}`. Nothing of the request has been
/// applied when this is thrown.
package struct APIError: Error, Equatable, HTTPResponseError, CustomStringConvertible {
    package let status: HTTPResponse.Status
    /// The request field at fault (`stage`, `qualification.budget`, `owner`), or `nil` for the request as a whole.
    package let field: String?
    /// What is wrong and what to do.
    package let message: String
    /// Extra response headers (e.g. `WWW-Authenticate`).
    package var headers: HTTPFields = [:]

    /// Makes an error.
    package init(_ status: HTTPResponse.Status, field: String?, _ message: String) {
        self.status = status
        self.field = field
        self.message = message
    }

    package var description: String { field.map { "\($0): \(message)" } ?? message }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(status: status, body: body)
        for field in headers { response.headers.append(field) }
        return response
    }

    /// The JSON document sent back.
    var body: [String: Any] {
        var error: [String: Any] = ["status": Int(status.code), "message": message]
        if let field { error["field"] = field }
        return ["error": error]
    }

    /// 401 with `WWW-Authenticate: Bearer`.
    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, field: nil, message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"nurture\""
        return error
    }
}

/// Builds JSON responses with stable key order.
enum JSONResponse {
    /// `object` serialized with sorted keys, `Content-Type: application/json`.
    static func make(status: HTTPResponse.Status, body object: Any) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        var buffer = ByteBuffer()
        buffer.writeBytes(data)
        buffer.writeString("\n")
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: buffer))
    }
}

extension APIError {
    /// 422 for values that break the intake rules (``LeadInput``, ``LeadIntake``): names the first problem's field;
    /// the message is that problem and its fix, or every problem when there are several.
    static func invalid(_ problems: LeadInput.Problems) -> APIError {
        let first = problems.all[0]
        let message =
            problems.all.count == 1
            ? "\(first.problem); \(first.fix)" : problems.all.map(\.description).joined(separator: "; ")
        return APIError(.unprocessableContent, field: first.field, message)
    }
}
