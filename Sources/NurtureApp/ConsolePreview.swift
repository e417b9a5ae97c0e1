import Foundation
package import NurtureCore

/// The template preview of one step for one lead, as it would be sent now: the sender identity and headers, the
/// subject, the text part and the HTML part, or the problems that stop it (template errors with file and line, as
/// `nurture check` prints them). Made by the daemon's message builder, which re-reads the template files each time.
package struct ConsolePreview: Sendable, Hashable {
    /// What to preview: a sequence's step for a lead (`nil`: the example lead).
    package struct Request: Sendable, Hashable {
        package var sequence: String
        package var step: String
        package var lead: Lead?

        package init(sequence: String, step: String, lead: Lead?) {
            self.sequence = sequence
            self.step = step
            self.lead = lead
        }
    }

    /// The message's header fields, in order (name, value).
    package var headers: [HeaderLine]
    package var subject: String?
    package var text: String?
    package var html: String?
    /// Why it cannot be rendered, one line each.
    package var problems: [String]

    /// One header field.
    package struct HeaderLine: Sendable, Hashable {
        package var name: String
        package var value: String
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package init(
        headers: [HeaderLine] = [], subject: String? = nil, text: String? = nil, html: String? = nil,
        problems: [String] = []
    ) {
        self.headers = headers
        self.subject = subject
        self.text = text
        self.html = html
        self.problems = problems
    }

    /// The header block of a composed message (up to the first empty line), unfolded, one field a line.
    package static func headers(of bytes: [UInt8]) -> [HeaderLine] {
        let text = String(decoding: bytes, as: UTF8.self)
        let block = text.components(separatedBy: "\r\n\r\n").first ?? ""
        var lines: [HeaderLine] = []
        for line in block.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", var last = lines.popLast() {
                last.value += " " + line.trimmingCharacters(in: .whitespaces)
                lines.append(last)
            } else if let colon = line.firstIndex(of: ":") {
                lines.append(
                    HeaderLine(
                        name: String(line[..<colon]),
                        value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return lines
    }
}
