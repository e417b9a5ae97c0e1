import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture why EMAIL`: one lead's state, enrollments and sends, and why its next email waits.
struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain a lead: its enrollments, its sends, and why its next email is waiting.",
        discussion: """
            Prints the lead (stage, source, owner, unsubscribed, bounced, suppressed), its enrollments \
            (active, and ended with their reasons), every send planned for it (step, state, attempts, due \
            time, next attempt, reason, last SMTP reply), and ends with one line starting `why:` that answers \
            "why is it waiting?" in plain words. Times are UTC. Exits 1 when the lead is not in the store.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Argument(help: "The lead's email address.")
    var email: String

    func run() throws {
        let address: EmailAddress
        do {
            address = try EmailAddress(email)
        } catch {
            throw LogCommand.fail("\(error)")
        }
        let (configuration, store) = try StoreLocation.open(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly)
        do {
            guard let lead = try store.lead(address) else {
                throw LogCommand.fail(
                    "no lead \(address) in the store (check the address, or add it with `nurture leads add`)")
            }
            let facts = Facts(
                lead: lead,
                suppressed: try store.isSuppressed(configuration.addressKeying.suppressionKey(for: lead.email)),
                enrollments: try store.enrollments(for: lead.email), sends: try store.sends(for: lead.email))
            print(Self.explain(facts, configuration: configuration, now: Date()))
        } catch let error as StoreError {
            throw LogCommand.fail("cannot read the store \(store.path): \(error)")
        }
    }

    /// What the store says about one lead.
    struct Facts {
        var lead: Lead
        var suppressed: Bool
        var enrollments: [EnrollmentRecord]
        var sends: [PlannedSend]
    }

    /// The whole report: lead, enrollments, sends and the `why:` line.
    static func explain(_ facts: Facts, configuration: NurtureConfiguration, now: Date) -> String {
        let lead = facts.lead
        func yesNo(_ flag: Bool) -> String { flag ? "yes" : "no" }
        var lines = [
            "Lead \(lead.email)" + (lead.fullName.map { " (\($0))" } ?? ""),
            "  stage \(lead.stage), source \(lead.source), owner \(lead.owner ?? "none")",
            "  unsubscribed \(yesNo(lead.isUnsubscribed)), bounced \(yesNo(lead.hasBounced)),"
                + " suppressed \(yesNo(facts.suppressed))",
            "Enrollments:",
        ]
        if facts.enrollments.isEmpty { lines.append("  none") }
        for enrollment in facts.enrollments {
            let started = ScheduleTime.describe(enrollment.startedAt)
            if let ended = enrollment.endedAt {
                let reason = enrollment.endReason.map { "\($0)" } ?? "no reason recorded"
                lines.append(
                    "  #\(enrollment.id) \(enrollment.sequence): ended \(ScheduleTime.describe(ended)) (\(reason)),"
                        + " started \(started)")
            } else {
                lines.append("  #\(enrollment.id) \(enrollment.sequence): active since \(started)")
            }
        }
        lines.append("Sends:")
        if facts.sends.isEmpty { lines.append("  none") }
        for send in facts.sends { lines.append(contentsOf: describe(send)) }
        lines.append("why: " + answer(facts, configuration: configuration, now: now))
        return lines.joined(separator: "\n")
    }

    /// One ledger row, on two to four lines.
    static func describe(_ send: PlannedSend) -> [String] {
        let attempts = send.attempts == 1 ? "1 attempt" : "\(send.attempts) attempts"
        var lines = [
            "  #\(send.id) \(send.sequence) step \(send.stepNumber) `\(send.step)`: \(send.state), \(attempts)",
            "      due \(ScheduleTime.describe(send.dueAt))"
                + (send.state.isWaiting ? ", next attempt \(ScheduleTime.describe(send.nextAttemptAt))" : "")
                + ", Message-ID \(send.messageID)",
        ]
        if let reason = send.reason { lines.append("      reason: \(LogCommand.oneLine(reason))") }
        if let reply = send.lastReply ?? send.lastCode.map(String.init) {
            lines.append("      last reply: \(LogCommand.oneLine(reply))")
        }
        return lines
    }

    /// The plain-language answer to "why is it waiting?".
    static func answer(_ facts: Facts, configuration: NurtureConfiguration, now: Date) -> String {
        let lead = facts.lead
        if lead.isUnsubscribed { return "unsubscribed: nothing more will be sent" }
        if lead.hasBounced { return "bounced: mail to this address bounced; nothing more will be sent" }
        if facts.suppressed { return "suppressed: the address is on the suppression list; nothing more will be sent" }
        if lead.stage.isTerminal { return "stage \(lead.stage) receives nothing: nothing more will be sent" }
        if let flying = facts.sends.first(where: { $0.state == .inFlight }) {
            return "step `\(flying.step)` of `\(flying.sequence)` is being sent right now"
                + " (in flight since \(ScheduleTime.describe(flying.updatedAt)))"
        }
        let waiting = facts.sends.filter { $0.state.isWaiting }.min { $0.nextAttemptAt < $1.nextAttemptAt }
        if let send = waiting { return waitingAnswer(send, now: now) }
        if let active = facts.enrollments.last(where: { $0.isActive }) {
            guard configuration.sequence(id: active.sequence) != nil else {
                return "active enrollment in `\(active.sequence)`, which the configuration no longer has:"
                    + " add the sequence back or change the lead's stage"
            }
            return "active enrollment in `\(active.sequence)` but no send planned yet: the daemon plans it on its"
                + " next pass (is `nurture run` running?)"
        }
        guard let sequence = configuration.enrollmentRules.sequence(for: lead.stage, source: lead.source) else {
            return "not enrolled: no enrollment rule for stage \(lead.stage) and source \(lead.source)"
        }
        if let ended = facts.enrollments.last(where: { $0.sequence == sequence }), let at = ended.endedAt {
            let reason = ended.endReason.map { "\($0)" } ?? "ended"
            return "not enrolled: the enrollment in `\(sequence)` ended \(ScheduleTime.describe(at)) (\(reason));"
                + " nothing more to send in stage \(lead.stage)"
        }
        return "not enrolled, although the rule for stage \(lead.stage) and source \(lead.source) enters"
            + " `\(sequence)`: change the lead's stage (`nurture leads update`) to enroll it"
    }

    /// The answer for a lead with a waiting send: what holds it, and when it is looked at next.
    static func waitingAnswer(_ send: PlannedSend, now: Date) -> String {
        let next = "next: step `\(send.step)` of `\(send.sequence)`, due \(ScheduleTime.describe(send.dueAt))"
        let attempt =
            "\(ScheduleTime.describe(send.nextAttemptAt)) (\(StatusCommand.relative(send.nextAttemptAt, now: now)))"
        let overdue = send.nextAttemptAt <= now
        let daemon = "the daemon sends it on its next pass (is `nurture run` running?)"
        switch send.state {
        case .held:
            var reason = send.reason ?? "no reason recorded"
            if reason.hasPrefix("held: ") { reason.removeFirst("held: ".count) }
            let again = reason.contains("next opening") ? "" : "; looked at again \(attempt)"
            return "\(next); held: \(reason)\(again)"
        case .deferred:
            let reply = send.lastReply ?? send.lastCode.map(String.init) ?? send.reason ?? "no reply recorded"
            return "\(next); deferred after attempt \(send.attempts) (\(reply)); next attempt \(attempt)"
                + (overdue ? "; \(daemon)" : "")
        default:
            if overdue { return "\(next); planned for \(attempt), nothing holds it: \(daemon)" }
            if let reason = send.reason { return "\(next); planned for \(attempt): \(reason)" }
            return "\(next); planned for \(attempt), nothing holds it"
        }
    }
}
