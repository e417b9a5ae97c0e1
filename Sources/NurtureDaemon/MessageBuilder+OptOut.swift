import Foundation
package import NurtureTemplates

/// The sales opt-out sentence (`inbound.sales_opt_out_sentence`): the last line of every sales email, after the
/// signature, in the text part and (escaped) in the HTML part. Added here, where every sales email is rendered,
/// so no template can leave it out.
extension MessageBuilder {
    /// `rendered` with `sentence` after its signature: a line of its own in the text part, a paragraph at the end
    /// of the HTML body (its markup escaped).
    package static func appendingOptOut(_ sentence: String, to rendered: RenderedEmail) -> RenderedEmail {
        var result = rendered
        result.text = rendered.text + "\n" + sentence + "\n"
        if let html = rendered.html {
            let paragraph = "<p>" + HTMLEscaper.escape(sentence) + "</p>\n"
            if let close = html.range(of: "</body>", options: .backwards) {
                result.html = html.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: paragraph)
            } else {
                result.html = html + paragraph
            }
        }
        return result
    }
}
