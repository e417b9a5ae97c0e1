import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// The optional `inbound:` section: the VERP envelope sender, how incoming mail acts on leads, the sales opt-out
/// sentence and the watched mailboxes (see ``ConfigParser/mailbox(_:path:)``).
extension ConfigParser {
    static let inboundKeys = [
        "verp", "out_of_office_default", "soft_bounce_limit", "soft_bounce_period", "sales_opt_out_sentence",
        "mailboxes",
    ]
    static let verpKeys = ["domain", "local_part", "secret_file", "secret_credential"]

    /// The `inbound:` section as read, with the mailboxes' nodes for the cross-checks.
    struct ParsedInbound {
        var settings = InboundSettings()
        var mailboxes: [ParsedMailbox] = []
    }

    /// The inbound settings; none (no mailbox, no VERP) when the section is absent. `unsubscribeSecret` keys the
    /// VERP tokens when `verp:` names no secret of its own.
    func inboundSection(_ top: Fields, unsubscribeSecret: Secret?) -> ParsedInbound {
        var parsed = ParsedInbound()
        guard let node = top["inbound"],
            let fields = diagnostics.fields(node, path: "inbound", allowed: Self.inboundKeys)
        else { return parsed }
        if let verpNode = fields["verp"],
            let verpFields = diagnostics.fields(verpNode, path: fields.path("verp"), allowed: Self.verpKeys)
        {
            parsed.settings.verp = verp(verpFields, unsubscribeSecret: unsubscribeSecret)
        }
        if let value = boundedDelay(fields, "out_of_office_default", in: 3_600...(90 * 86_400), example: "7d") {
            parsed.settings.policy.outOfOfficeDefault = value
        }
        if let value = diagnostics.integer(fields, "soft_bounce_limit", in: 1...100) {
            parsed.settings.policy.softBounceLimit = value
        }
        if let value = boundedDelay(fields, "soft_bounce_period", in: 3_600...(365 * 86_400), example: "30d") {
            parsed.settings.policy.softBouncePeriod = value
        }
        parsed.settings.salesOptOutSentence = sentence(fields, "sales_opt_out_sentence")
        if let items = diagnostics.list(fields, "mailboxes") {
            parsed.mailboxes = items.compactMap { mailbox($0.node, path: $0.path) }
            parsed.settings.mailboxes = parsed.mailboxes.compactMap(\.value)
        }
        return parsed
    }

    // MARK: VERP

    private func verp(_ fields: Fields, unsubscribeSecret: Secret?) -> VERPCodec? {
        let domain = diagnostics.text(fields, "domain", required: true, example: "bounces.example.com")
        let written = diagnostics.text(fields, "local_part", example: "bounces")
        let localPart = written ?? "bounces"
        let secret = secret(fields, fileKey: "secret_file", credentialKey: "secret_credential")
        var usable = !fields.has("local_part") || written != nil
        if let domain, (try? EmailAddress("postmaster@\(domain)")) == nil || domain.hasPrefix("[") {
            diagnostics.report(
                fields["domain"], fields.path("domain"), "`\(domain)` is not a mail domain",
                fix: "write the domain the relay routes to the watched bounce mailbox, e.g. bounces.example.com")
            usable = false
        }
        let longest = VERPCodec.maximumLocalPartLength
        if (try? EmailAddress("\(localPart)@example.com")) == nil || localPart.contains("+")
            || localPart.utf8.count > longest
        {
            diagnostics.report(
                fields["local_part"], fields.path("local_part"),
                "`\(localPart)` cannot begin a VERP address (`\(localPart)+<token>@...`)",
                fix: "use up to \(longest) letters, digits, '.', '-' or '_', without '+', e.g. `bounces`")
            usable = false
        }
        if let value = secret.value,
            !checkKeyLength(value, fields, fileKey: "secret_file", credentialKey: "secret_credential")
        {
            usable = false
        }
        if !secret.configured, unsubscribeSecret == nil {
            diagnostics.warn(
                fields.node, fields.path("secret_credential"),
                "no secret signs the VERP tokens, so Nurture uses a built-in demo key and anyone could forge a bounce"
                    + " that suppresses a lead",
                fix: "set secret_credential (or secret_file), or company.unsubscribe_secret_credential, before"
                    + " production")
        }
        guard let domain, usable, secret.ok else { return nil }
        let key =
            secret.value.map { Array($0.value.utf8) }
            ?? VERPCodec.derivedKey(from: unsubscribeSecret.map { Array($0.value.utf8) } ?? VERPCodec.demoKey)
        return VERPCodec(localPart: localPart.lowercased(), domain: domain.lowercased(), secret: key)
    }

    // MARK: values

    /// A delay (`7d`) within `seconds`.
    func boundedDelay(_ fields: Fields, _ key: String, in seconds: ClosedRange<Int>, example: String) -> Duration? {
        guard fields.has(key), let value = delay(fields, key) else { return nil }
        let whole = Int(value.components.seconds)
        guard seconds.contains(whole) else {
            let low = DelayText.format(.seconds(seconds.lowerBound))
            let high = DelayText.format(.seconds(seconds.upperBound))
            diagnostics.report(
                fields[key], fields.path(key), "`\(DelayText.format(value))` is outside \(low) to \(high)",
                fix: "write a delay from \(low) to \(high), e.g. \(example)")
            return nil
        }
        return value
    }

    /// One line of printable text (no control characters, at most 500 characters).
    private func sentence(_ fields: Fields, _ key: String) -> String? {
        guard let text = diagnostics.text(fields, key, example: "\"If you'd rather not hear from me, reply stop.\"")
        else { return nil }
        guard text.count <= 500, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            diagnostics.report(
                fields[key], fields.path(key), "the sentence must be one line of at most 500 characters",
                fix: "write one short sentence in quotes, without line breaks or control characters")
            return nil
        }
        return text
    }
}
