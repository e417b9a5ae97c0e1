/// A person Nurture may email, with everything that decides what they get and from whom.
package struct Lead: Sendable, Hashable {
    /// The lead's address; unique among leads.
    package var email: EmailAddress
    /// Given name, when known.
    package var firstName: String?
    /// Family name, when known.
    package var lastName: String?
    /// The lead's company, when known.
    package var company: String?
    /// The lead's job title, when known.
    package var title: String?
    /// The lead's IANA time zone (e.g. `Europe/Berlin`); when `nil` the owner's, then the default, applies.
    package var timeZone: String?
    /// Lifecycle position.
    package var stage: Stage
    /// Whether they came to us or we went to them.
    package var source: LeadSource
    /// The id of the salesperson who owns the lead, if any.
    package var owner: String?
    /// The VBANT qualification.
    package var qualification: Qualification
    /// Free-form values for templates (`attributes.<key>`).
    package var attributes: [String: String]
    /// They asked to receive nothing more.
    package var isUnsubscribed: Bool
    /// Mail to them bounced permanently.
    package var hasBounced: Bool

    /// Makes a lead; only the address is required.
    package init(
        email: EmailAddress, firstName: String? = nil, lastName: String? = nil, company: String? = nil,
        title: String? = nil, timeZone: String? = nil, stage: Stage = .subscriber, source: LeadSource = .inbound,
        owner: String? = nil, qualification: Qualification = .unknown, attributes: [String: String] = [:],
        isUnsubscribed: Bool = false, hasBounced: Bool = false
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.company = company
        self.title = title
        self.timeZone = timeZone
        self.stage = stage
        self.source = source
        self.owner = owner
        self.qualification = qualification
        self.attributes = attributes
        self.isUnsubscribed = isUnsubscribed
        self.hasBounced = hasBounced
    }

    /// First and last name joined by a space, or `nil` when neither is known.
    package var fullName: String? {
        let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// Whether the lead may receive any more nurture mail: not unsubscribed, not bounced, not in a terminal stage.
    package var isContactable: Bool { !isUnsubscribed && !hasBounced && !stage.isTerminal }
}
