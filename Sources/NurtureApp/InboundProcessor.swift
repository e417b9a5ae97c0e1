package import Foundation
package import NurtureConfig
package import NurtureCore

/// Processes one incoming message from a watched mailbox: classifies it (``InboundClassifier``), ties it to a send
/// or a lead (``InboundAttribution``), decides what it does (``InboundDecision``) and carries that out through the
/// lead service as one store transaction that also records the message, so a message is acted on once however
/// often it is read. Replies to sales mail count for their lead whichever mailbox they land in: attribution reads
/// the message and the store, never the mailbox.
package struct InboundProcessor: Sendable {
    package let store: any SendStore
    package let configuration: NurtureConfiguration

    package init(store: any SendStore, configuration: NurtureConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// One message as the watcher fetched it.
    package struct Message: Sendable, Hashable {
        /// The watched mailbox's configured name.
        package var mailbox: String
        /// The salesperson whose mailbox it is; `nil` for the marketing reply/bounce mailbox.
        package var owner: String?
        package var uidValidity: UInt32
        package var uid: UInt32
        /// The whole message as the server returned it.
        package var bytes: [UInt8]

        package init(mailbox: String, owner: String? = nil, uidValidity: UInt32, uid: UInt32, bytes: [UInt8]) {
            self.mailbox = mailbox
            self.owner = owner
            self.uidValidity = uidValidity
            self.uid = uid
            self.bytes = bytes
        }
    }

    /// What a message is and would do, found out without writing anything (`nurture inbound classify` prints it).
    package struct Assessment: Sendable, Hashable {
        package var reading: InboundReading
        /// The rule and lead (and send) it is tied to; `nil` when no rule matched.
        package var attribution: Attribution?
        package var decision: InboundDecision

        package init(reading: InboundReading, attribution: Attribution?, decision: InboundDecision) {
            self.reading = reading
            self.attribution = attribution
            self.decision = decision
        }
    }

    /// What processing one message did.
    package struct Outcome: Sendable, Hashable {
        /// The stored record of the message (the earlier one when it had been processed before).
        package var record: InboundRecord
        /// `false` when the message had already been processed: nothing was done this time.
        package var isNew: Bool
        /// What was done, as a stable label (metrics).
        package var action: InboundAction
    }

    /// Processes `message` at `now`: does nothing when it is already recorded, else acts on it and records it in
    /// one transaction. A `constraint` error from the store means another pass recorded it first: that is done too.
    package func process(_ message: Message, now: Date) async throws(StoreError) -> Outcome {
        if let done = try await store.inboundRecord(
            mailbox: message.mailbox, uidValidity: message.uidValidity, uid: message.uid)
        {
            return Outcome(record: done, isNew: false, action: .none)
        }
        let assessment = try await assess(message.bytes, now: now)
        let record = Self.record(of: message, assessment: assessment, at: now)
        let action = InboundAction(assessment.decision)
        do {
            // A decision that changes anything was made over the stored lead (InboundDecision.Facts.lead).
            if assessment.decision.changesLead, let email = assessment.attribution?.lead {
                let detail =
                    "\(assessment.reading.classification.kind) from \(message.mailbox): \(assessment.decision.action)"
                    + (assessment.attribution.map { " (rule \($0.rule))" } ?? "")
                _ = try await LeadService(store: store, configuration: configuration).applyInbound(
                    assessment.decision, to: email, record: record, detail: detail, at: now)
            } else {
                try await store.recordInbound(record)
            }
        } catch  where error.code == .constraint {
            let earlier = try await store.inboundRecord(
                mailbox: message.mailbox, uidValidity: message.uidValidity, uid: message.uid)
            return Outcome(record: earlier ?? record, isNew: false, action: .none)
        }
        return Outcome(record: record, isNew: true, action: action)
    }

    /// Classifies `bytes`, reads what attribution and the decision need from the store, and decides; writes
    /// nothing.
    package func assess(_ bytes: [UInt8], now: Date) async throws(StoreError) -> Assessment {
        let reading = InboundClassifier.read(bytes, now: now)
        let inbound = configuration.inbound
        let query = InboundAttribution.query(reading, verp: inbound.verp)
        let attribution = InboundAttribution.attribute(
            reading, query: query, facts: try await attributionFacts(query))
        let facts = try await decisionFacts(for: attribution?.lead, now: now)
        let decision = InboundDecision.decide(
            reading, attribution: attribution, facts: facts, policy: inbound.policy, now: now)
        return Assessment(reading: reading, attribution: attribution, decision: decision)
    }

    /// The sends named by VERP or Message-ID, and the leads among the sender and reported recipient.
    private func attributionFacts(_ query: InboundAttribution.Query) async throws(StoreError)
        -> InboundAttribution.Facts
    {
        var sends: [PlannedSend] = []
        for id in query.verpSendIDs {
            if let send = try await store.send(id) { sends.append(send) }
        }
        if !query.messageIDs.isEmpty {
            for send in try await store.sends(messageIDs: query.messageIDs) where !sends.contains(send) {
                sends.append(send)
            }
        }
        let leads = query.addresses.isEmpty ? [] : try await store.leads(query.addresses)
        var active: Set<EmailAddress> = []
        for lead in leads where try await store.enrollments(for: lead.email).contains(where: \.isActive) {
            active.insert(lead.email)
        }
        return InboundAttribution.Facts(sends: sends, leads: leads, activeLeads: active)
    }

    /// The attributed lead, its active enrollment, its zone and its recent soft bounces.
    private func decisionFacts(for email: EmailAddress?, now: Date) async throws(StoreError) -> InboundDecision.Facts {
        let defaultZone = TimeZone(identifier: configuration.defaults.timeZone) ?? .gmt
        guard let email, let lead = try await store.lead(email) else {
            return InboundDecision.Facts(lead: nil, activeEnrollment: nil, timeZone: defaultZone)
        }
        let active = try await store.enrollments(for: email).last(where: \.isActive)
        let period = configuration.inbound.policy.softBouncePeriod
        return InboundDecision.Facts(
            lead: lead, activeEnrollment: active, timeZone: zone(of: lead),
            softBouncesInPeriod: try await store.inboundCount(
                email, kind: .softBounce, since: ScheduleTime.date(now, plus: .zero - period)))
    }

    /// The lead's own zone, where "back on Monday" is meant: theirs, else their owner's, else the default (the
    /// send gate names the pause in the same zone). A sequence window's own zone rule does not apply: the window
    /// says when we send, not where the lead is.
    private func zone(of lead: Lead) -> TimeZone {
        let owner = lead.owner.flatMap { id in configuration.salespeople.first { $0.id == id } }
        let name = TimeZoneRule.lead.resolve(
            leadZone: lead.timeZone, ownerZone: owner?.timeZone, defaultZone: configuration.defaults.timeZone)
        return TimeZone(identifier: name) ?? .gmt
    }

    /// The record of `message` as `assessment` read and decided it.
    static func record(of message: Message, assessment: Assessment, at now: Date) -> InboundRecord {
        let headers = assessment.reading.headers
        return InboundRecord(
            mailbox: message.mailbox, uidValidity: message.uidValidity, uid: message.uid, at: now,
            messageID: headers.messageID, from: headers.from?.description.lowercased(), subject: headers.subject,
            kind: assessment.reading.classification.kind, evidence: assessment.reading.evidence,
            rule: assessment.attribution?.rule, leadEmail: assessment.attribution?.lead,
            sendID: assessment.attribution?.sendID, action: assessment.decision.action)
    }
}
