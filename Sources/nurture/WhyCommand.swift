import ArgumentParser
import Foundation
import NurtureApp
import NurtureCore
import NurtureSQLite

/// `nurture why EMAIL`: one lead's state, enrollments and sends, and why its next email waits.
struct WhyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain a lead: its enrollments, its sends, and why its next email is waiting.",
        discussion: """
            Prints the lead (stage, source, owner, unsubscribed, bounced, suppressed), its enrollments \
            (active, paused by an out-of-office reply, and ended with their reasons), every send planned for \
            it (step, state, attempts, due time, next attempt, reason, last SMTP reply), the incoming mail \
            read from watched mailboxes and attributed to it (kind, attribution rule, action), and ends with \
            one line starting `why:` that answers "why is it waiting?" in plain words. Times are UTC, except \
            the end of a pause in the `why:` line, which is in the lead's zone. Exits 1 when the lead is not \
            in the store.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Argument(help: "The lead's email address.")
    var email: String

    func run() async throws {
        let address: EmailAddress
        do {
            address = try EmailAddress(email)
        } catch {
            throw LogCommand.fail("\(error)")
        }
        let report = try await StoreLocation.withStore(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
        ) { configuration, opened in
            do {
                return try await WhyReport.read(address, store: opened.store, configuration: configuration, now: Date())
            } catch {
                throw LogCommand.fail("cannot read the store \(opened.name): \(error)")
            }
        }
        guard let report else {
            throw LogCommand.fail(
                "no lead \(address) in the store (check the address, or add it with `nurture leads add`)")
        }
        print(Self.explain(report))
    }

    /// The whole report: lead, enrollments, sends and the `why:` line.
    static func explain(_ facts: WhyReport) -> String {
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
                let pause = enrollment.pausedUntil.flatMap { $0 > facts.now ? $0 : nil }
                let paused = pause.map { ", paused until \(ScheduleTime.describe($0))" } ?? ""
                lines.append("  #\(enrollment.id) \(enrollment.sequence): active since \(started)\(paused)")
            }
        }
        lines.append("Sends:")
        if facts.sends.isEmpty { lines.append("  none") }
        for send in facts.sends { lines.append(contentsOf: describe(send)) }
        if !facts.inbound.isEmpty {
            lines.append("Incoming mail:")
            for record in facts.inbound { lines.append(contentsOf: describe(record)) }
        }
        lines.append("why: " + facts.answer)
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

    /// One processed incoming message, on two lines: when, where, kind, rule; then from, subject and action.
    static func describe(_ record: InboundRecord) -> [String] {
        let rule = record.rule.map { "rule \($0)" } ?? "no rule"
        let from = record.from.map(WhyReport.printable) ?? "unknown sender"
        let subject = record.subject.map { "\"\(WhyReport.printable($0))\"" } ?? "no subject"
        return [
            "  \(ScheduleTime.describe(record.at)) \(record.kind) in mailbox \(WhyReport.printable(record.mailbox))"
                + " (UID \(record.uid)), \(rule)" + (record.sendID.map { ", send #\($0)" } ?? ""),
            "      from \(from), \(subject): \(WhyReport.printable(record.action))",
        ]
    }
}
