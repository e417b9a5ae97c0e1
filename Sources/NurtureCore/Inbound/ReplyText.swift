import Foundation

/// The text a person wrote in a reply, without what they quoted: `>` lines are dropped, and the text ends at the
/// first attribution or separator ("On ... wrote:", "Am ... schrieb", "Le ... a écrit", "El ... escribió",
/// "-----Original Message-----", an Outlook "From: ... Sent:" block, a `-- ` signature). HTML is reduced to text
/// first, with its `<blockquote>`s removed.
enum ReplyText {
    /// Lines read at most.
    static let maximumLines = 2000

    /// The new text of `text` (plain text).
    static func newText(_ text: String) -> String {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .prefix(maximumLines).map(String.init)
        var kept: [String] = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingASCIIWhitespace()
            if trimmed.hasPrefix(">") { continue }
            if line == "-- " || line == "--" || isSeparator(trimmed) { break }
            if isAttribution(trimmed, next: index + 1 < lines.count ? lines[index + 1] : "") { break }
            if isHeaderBlock(trimmed, following: lines[(index + 1)..<min(lines.count, index + 5)]) { break }
            kept.append(line)
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// HTML as plain text: tags removed, line breaks kept, `<blockquote>`, `<style>`, `<script>` and `<head>`
    /// contents dropped, common entities decoded. Linear in the input.
    static func plainText(fromHTML html: String) -> String {
        var out = ""
        var index = html.startIndex
        var hiddenDepth = 0
        // Past the last ">" no "<" opens a tag: knowing it keeps a run of unclosed "<" linear.
        let lastClose = html.lastIndex(of: ">") ?? html.startIndex
        while index < html.endIndex {
            let character = html[index]
            if character == "<", index < lastClose, let close = html[index...].firstIndex(of: ">") {
                let tag = html[html.index(after: index)..<close].lowercased()
                let name = tag.prefix { $0.isLetter || $0 == "/" }
                switch name {
                case "blockquote", "style", "script", "head": hiddenDepth += 1
                case "/blockquote", "/style", "/script", "/head": hiddenDepth = max(0, hiddenDepth - 1)
                case "br", "p", "/p", "div", "/div", "tr", "/tr", "li", "/h1", "/h2", "/h3", "hr":
                    if hiddenDepth == 0 { out += "\n" }
                default: break
                }
                index = html.index(after: close)
                continue
            }
            if hiddenDepth == 0 {
                if character == "&", let semicolon = html[index...].prefix(10).firstIndex(of: ";") {
                    let entity = html[html.index(after: index)..<semicolon]
                    if let decoded = decodeEntity(entity) {
                        out.append(decoded)
                        index = html.index(after: semicolon)
                        continue
                    }
                }
                out.append(character)
            }
            index = html.index(after: index)
        }
        return out
    }

    private static func decodeEntity(_ entity: Substring) -> Character? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap { Unicode.Scalar($0) }.map { Character($0) }
        }
    }

    /// "-----Original Message-----" and its translations, Outlook's underscore rule, forwarded-message markers.
    private static func isSeparator(_ line: String) -> Bool {
        let lower = line.lowercased()
        if lower.hasPrefix("-----") || lower.hasPrefix("---------- ") {
            return ["original", "ursprüngliche", "origine", "forwarded", "weitergeleitete", "mensaje"].contains {
                lower.contains($0)
            }
        }
        if line.count >= 10, line.allSatisfy({ $0 == "_" }) { return true }
        return lower.hasPrefix("begin forwarded message")
    }

    /// "On Mon, 30 Nov 2026, Sam <sam@example.com> wrote:" (possibly wrapped onto the next line), and its German,
    /// French and Spanish forms.
    private static func isAttribution(_ line: String, next: String) -> Bool {
        let forms: [(start: String, verb: String)] = [
            ("on ", "wrote:"), ("am ", "schrieb"), ("le ", "a écrit"), ("el ", "escribió"), ("el ", "escribio"),
            ("em ", "escreveu"),
        ]
        let lower = line.lowercased()
        let joined = lower + " " + next.lowercased().trimmingASCIIWhitespace()
        return forms.contains { form in
            lower.hasPrefix(form.start)
                && (lower.contains(form.verb) || (joined.contains(form.verb) && lower.count < 200))
        }
    }

    /// Outlook's quoted header block: a "From:" line followed within four lines by "Sent:"/"Date:" (or their
    /// German, French and Spanish forms).
    private static func isHeaderBlock(_ line: String, following: ArraySlice<String>) -> Bool {
        let starts = ["from:", "von:", "de :", "de:", "*from:*", "*von:*"]
        let lower = line.lowercased()
        guard starts.contains(where: { lower.hasPrefix($0) }) else { return false }
        let sentForms = [
            "sent:", "date:", "gesendet:", "datum:", "envoyé :", "envoyé:", "enviado:", "enviado el:",
            "fecha:", "*sent:*", "to:", "an:", "à :", "para:",
        ]
        return following.contains { next in
            let nextLower = next.lowercased().trimmingASCIIWhitespace()
            return sentForms.contains { nextLower.hasPrefix($0) }
        }
    }
}
