package import Foundation
package import NurtureConfig
package import NurtureCore
package import NurtureDKIM
import NurtureSMTP
package import NurtureTemplates

/// Turns a lead, a sequence step and the configuration into the exact message bytes `render` prints
/// (and the daemon will send): identity by track, template context, unsubscribe headers, composition.
package struct MessageBuilder: Sendable {
    package let configuration: NurtureConfiguration
    package let library: TemplateLibrary

    package init(configuration: NurtureConfiguration, library: TemplateLibrary) {
        self.configuration = configuration
        self.library = library
    }

    /// Used when no `unsubscribe_secret_*` is configured; `check` warns about it. Not a secret: forgeable.
    package static let demoUnsubscribeKey = Array("nurture-demo-unsubscribe-key-NOT-FOR-PRODUCTION".utf8)

    /// Why a message cannot be built.
    package enum Failure: Error, CustomStringConvertible {
        case unknownSequence(String, known: [String])
        case unknownStep(String, sequence: String, known: [String])
        case notContactable(Lead)
        case held(HoldReason)
        case template(TemplateError)
        case compose(ComposeError)
        case sign(DKIMSigner.Failure)

        package var description: String {
            switch self {
            case .unknownSequence(let id, let known):
                return "sequence `\(id)` is not in the configuration; use one of: \(known.joined(separator: ", "))"
            case .unknownStep(let id, let sequence, let known):
                return "sequence `\(sequence)` has no step `\(id)`; use one of: \(known.joined(separator: ", "))"
            case .notContactable(let lead):
                let why =
                    lead.isUnsubscribed
                    ? "unsubscribed" : lead.hasBounced ? "bounced" : "in stage `\(lead.stage)`, which receives nothing"
                return "\(lead.email) is \(why), so nothing would be sent; change the lead file to preview anyway"
            case .held(let reason):
                return "\(reason)"
            case .template(let error):
                return "\(error)"
            case .compose(let error):
                return "cannot compose the message: \(error)"
            case .sign(let failure):
                return "cannot sign the message: \(failure)"
            }
        }
    }

    /// The rendered parts and the composed bytes of one step for one lead.
    package struct Built: Sendable {
        package var rendered: RenderedEmail
        package var message: OutgoingMessage
        package var bytes: [UInt8]
    }

    /// Renders and composes `step` of `sequence` for `lead`, dated `date`.
    package func build(
        lead: Lead, sequenceID: String, stepID: String, date: Date, unique: String
    ) throws(Failure) -> Built {
        try build(lead: lead, sequenceID: sequenceID, stepID: stepID, date: date) { from in
            MessageID.make(unique: unique, domain: from.address.domain)
        }
    }

    /// Renders and composes with the Message-ID fixed when the send was planned (a retry reuses it).
    package func build(
        lead: Lead, sequenceID: String, stepID: String, date: Date, messageID: MessageID
    ) throws(Failure) -> Built {
        try build(lead: lead, sequenceID: sequenceID, stepID: stepID, date: date) { _ in messageID }
    }

    /// Resolves what the message needs (sequence, step, sender identity, zones, unsubscribe link), then
    /// renders it: the path of `nurture render` and `send-test`; the daemon's checks resolve these themselves
    /// (``SendGate``) and call ``render(_:lead:date:)``.
    private func build(
        lead: Lead, sequenceID: String, stepID: String, date: Date, messageID makeID: (Mailbox) -> MessageID
    ) throws(Failure) -> Built {
        guard let sequence = configuration.sequence(id: sequenceID) else {
            throw .unknownSequence(sequenceID, known: configuration.sequences.map(\.id))
        }
        guard let step = sequence.step(id: stepID) else {
            throw .unknownStep(stepID, sequence: sequenceID, known: sequence.steps.map(\.id))
        }
        guard lead.isContactable else { throw .notContactable(lead) }
        let identity = SenderIdentity.resolve(
            track: sequence.track, lead: lead, marketingSender: configuration.marketingSender,
            salespeople: configuration.salespeople)
        guard let from = identity.from else {
            if case .held(let reason) = identity { throw .held(reason) }
            throw .held(.noOwner)
        }
        let owner = lead.owner.flatMap { configuration.salesperson(id: $0) }
        let resolved = ResolvedSend(
            sequence: sequence, step: step, identity: identity, from: from, owner: owner,
            timeZone: timeZone(for: lead, sequence: sequence, owner: owner),
            senderTimeZone: senderZone(owner: sequence.track == .sales ? owner : nil),
            unsubscribeURL: sequence.track == .marketing ? unsubscribeURL(for: lead) : nil, messageID: makeID(from),
            overdue: false)
        return try render(resolved, lead: lead, date: date)
    }

    /// Renders and composes a send whose identity, zones and unsubscribe link were resolved beforehand (by the
    /// checks before the send): only the template context, the templates and the composition.
    package func render(_ send: ResolvedSend, lead: Lead, date: Date) throws(Failure) -> Built {
        let (sequence, step, owner) = (send.sequence, send.step, send.owner)
        var context = Self.context(
            lead: lead, owner: owner, from: send.from, configuration: configuration, timeZone: send.timeZone)
        context["sequence.id"] = sequence.id
        context["sequence.name"] = sequence.name
        context["step.id"] = step.id
        context["step.number"] = sequence.number(ofStep: step.id).map(String.init)
        let track: TemplateTrack
        var headers: [HeaderField] = []
        switch sequence.track {
        case .marketing:
            track = .marketing
            let unsubscribeURL = send.unsubscribeURL ?? unsubscribeURL(for: lead)
            context["unsubscribe_url"] = unsubscribeURL
            do {
                headers = [
                    try HeaderField(
                        name: "List-Unsubscribe",
                        value: UnsubscribeLink.listUnsubscribe(
                            url: unsubscribeURL, mailbox: configuration.company.unsubscribeMailbox)),
                    try HeaderField(name: "List-Unsubscribe-Post", value: UnsubscribeLink.listUnsubscribePost),
                ]
            } catch {
                throw .compose(error)
            }
        case .sales:
            track = .sales(signature: owner?.signature ?? "signature")
        }
        var rendered: RenderedEmail
        do {
            rendered = try library.render(sequence: sequence.id, step: step.template, track: track, context: context)
        } catch {
            throw .template(error)
        }
        if sequence.track == .sales, let sentence = configuration.inbound.salesOptOutSentence {
            rendered = Self.appendingOptOut(sentence, to: rendered)
        }
        let message = OutgoingMessage(
            from: send.from, replyTo: send.identity.replyTo,
            to: Mailbox(displayName: lead.fullName, address: lead.email), subject: rendered.subject, date: date,
            messageID: send.messageID, textBody: rendered.text, htmlBody: rendered.html, extraHeaders: headers)
        let zone = TimeZone(identifier: send.senderTimeZone) ?? .gmt
        let composed: [UInt8]
        do {
            composed = try MessageComposer.compose(message, utcOffsetSeconds: zone.secondsFromGMT(for: date))
        } catch {
            throw .compose(error)
        }
        // Signed last, over exactly the composed bytes: these are the bytes handed to the relay.
        do {
            let salesperson = sequence.track == .sales ? owner?.id : nil
            let bytes = try configuration.dkim.sign(
                composed, from: send.from.address, salesperson: salesperson, at: date)
            return Built(rendered: rendered, message: message, bytes: bytes)
        } catch {
            throw .sign(error)
        }
    }

    /// `<unsubscribe_url>/<HMAC-SHA256(address) in hex>`, keyed by the configured secret or the demo key.
    package func unsubscribeURL(for lead: Lead) -> String {
        UnsubscribeLink.url(baseURL: configuration.company.unsubscribeBaseURL, token: tokenBytes(for: lead.email))
    }

    /// The lead's unsubscribe token as it appears in the link (64 lower-case hex digits).
    package func unsubscribeToken(for email: EmailAddress) -> String {
        UnsubscribeLink.hex(tokenBytes(for: email))
    }

    private func tokenBytes(for email: EmailAddress) -> [UInt8] {
        let key = configuration.unsubscribeSecret.map { Array($0.value.utf8) } ?? Self.demoUnsubscribeKey
        return UnsubscribeLink.token(for: email, secret: key)
    }

    /// The zone the sequence's window is read in for this lead.
    package func timeZone(for lead: Lead, sequence: EmailSequence, owner: Salesperson?) -> String {
        sequence.window.timeZoneRule.resolve(
            leadZone: lead.timeZone, ownerZone: owner?.timeZone, defaultZone: configuration.defaults.timeZone)
    }

    /// The zone of the `Date` header: the owner's for sales mail, else the default.
    package func senderZone(owner: Salesperson?) -> String {
        owner?.timeZone ?? configuration.defaults.timeZone
    }

    /// The template variables for one lead (see docs/templates.md); absent values stay absent so strict
    /// rendering can name them.
    package static func context(
        lead: Lead, owner: Salesperson?, from: Mailbox, configuration: NurtureConfiguration, timeZone: String
    ) -> TemplateContext {
        var context = TemplateContext()
        context["lead.email"] = lead.email.description
        context["lead.first_name"] = lead.firstName
        context["lead.last_name"] = lead.lastName
        context["lead.full_name"] = lead.fullName
        context["lead.company"] = lead.company
        context["lead.title"] = lead.title
        context["lead.stage"] = lead.stage.rawValue
        context["lead.time_zone"] = timeZone
        for (key, value) in lead.attributes { context["attributes.\(key)"] = value }
        if let owner {
            context["owner.name"] = owner.name
            context["owner.first_name"] = owner.firstName
            context["owner.email"] = owner.email.description
            context["owner.title"] = owner.title
            context["owner.phone"] = owner.phone
            context["owner.booking_url"] = owner.bookingURL
        }
        context["sender.name"] = from.displayName
        context["sender.email"] = from.address.description
        context["company.name"] = configuration.company.name
        context["company.website"] = configuration.company.website
        context["company.postal_address"] = configuration.company.postalAddress
        return context
    }
}
