package import Foundation
package import NurtureCore

/// One lead's timeline for the console: enrollments, sends and their attempts, incoming messages (replies, bounces,
/// out-of-office) and audit entries (stage and owner changes, API changes, pauses, console actions), newest first.
/// Pure.
package enum ConsoleTimeline {
    /// One event.
    package struct Event: Sendable, Hashable {
        package var at: Date
        /// `enrolled`, `ended`, `send`, `inbound` or the audit entry's kind.
        package var kind: String
        package var text: String
        /// The send it concerns, for a link.
        package var sendID: Int64?
    }

    /// The events of these facts, newest first (ties keep the order given: enrollments, sends, inbound, audit).
    package static func events(
        enrollments: [EnrollmentRecord], sends: [PlannedSend], inbound: [InboundRecord], audit: [LeadAuditEntry]
    ) -> [Event] {
        var events: [Event] = []
        for enrollment in enrollments {
            events.append(
                Event(at: enrollment.startedAt, kind: "enrolled", text: "enrolled in \(enrollment.sequence)"))
            if let ended = enrollment.endedAt {
                events.append(
                    Event(
                        at: ended, kind: "ended",
                        text:
                            "enrollment in \(enrollment.sequence) ended (\(enrollment.endReason.map { "\($0)" } ?? "ended"))"
                    ))
            }
        }
        for send in sends {
            var text = "step \(send.step) of \(send.sequence): \(send.state)"
            if let reason = send.reason { text += " — \(reason)" }
            events.append(Event(at: send.updatedAt, kind: "send", text: text, sendID: send.id))
        }
        for message in inbound {
            let subject = message.subject.map { " \"\(WhyReport.printable($0))\"" } ?? ""
            events.append(
                Event(
                    at: message.at, kind: "inbound",
                    text: "\(message.kind)\(subject) in \(message.mailbox): \(message.action)", sendID: message.sendID))
        }
        for entry in audit { events.append(Event(at: entry.at, kind: entry.kind, text: entry.detail)) }
        return events.enumerated().sorted { ($0.element.at, $1.offset) > ($1.element.at, $0.offset) }.map(\.element)
    }
}
