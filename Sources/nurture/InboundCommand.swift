import ArgumentParser
import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureSQLite

/// `nurture inbound`: what the daemon hears from the watched mailboxes.
struct InboundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbound",
        abstract: "Classify an incoming message, or show the watched mailboxes.",
        subcommands: [Classify.self, Status.self])

    /// `nurture inbound classify FILE.eml`.
    struct Classify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classify",
            abstract: "Say what an incoming message is and what the daemon would do with it; changes nothing.",
            discussion: """
                Reads one message as saved from a mail client (.eml, the raw RFC 5322 bytes) and prints its \
                classification (reply, auto-reply with the return date, hard or soft bounce with status and \
                recipient, complaint, opt-out, unrelated), the evidence the classifier went by, the attribution \
                rule and the lead (and send) it is tied to, and what the daemon would do. The store is only read, \
                and only when it exists; nothing is changed, in the store or anywhere else.
                """)

        @OptionGroup var options: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption

        @Argument(help: ArgumentHelp("The message file (.eml).", valueName: "file"))
        var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw LogCommand.fail("cannot read \(file): no such file, or it is not readable")
            }
            let configuration: NurtureConfiguration
            do {
                configuration = try ConfigurationLoader().load(file: options.config)
            } catch {
                for problem in error.problems { printError("\(problem)") }
                throw ExitCode.failure
            }
            let bytes = [UInt8](data)
            let now = Date()
            let path = StoreLocation.path(for: configuration, stateDirectory: stateDirectory.path)
            let assessment: InboundProcessor.Assessment
            var note: String?
            if configuration.database != nil || FileManager.default.fileExists(atPath: path) {
                assessment = try await StoreLocation.withStore(
                    config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
                ) { configuration, opened in
                    do {
                        return try await InboundProcessor(store: opened.store, configuration: configuration)
                            .assess(bytes, now: now)
                    } catch {
                        throw LogCommand.fail("cannot read the store \(opened.name): \(error)")
                    }
                }
            } else {
                note = "not checked: no store at \(path) (point at the daemon's with --state-dir DIR)"
                let reading = InboundClassifier.read(bytes, now: now)
                let zone = TimeZone(identifier: configuration.defaults.timeZone) ?? .gmt
                let decision = InboundDecision.decide(
                    reading, attribution: nil,
                    facts: InboundDecision.Facts(lead: nil, activeEnrollment: nil, timeZone: zone),
                    policy: configuration.inbound.policy, now: now)
                assessment = InboundProcessor.Assessment(reading: reading, attribution: nil, decision: decision)
            }
            print(Self.describe(assessment, file: file, attributionNote: note))
        }

        /// The report for people.
        static func describe(_ assessment: InboundProcessor.Assessment, file: String, attributionNote: String?)
            -> String
        {
            let reading = assessment.reading
            let headers = reading.headers
            var lines = [
                "Message \(file)",
                "  from \(headers.from?.description ?? "unknown"), subject \(LogCommand.oneLine(headers.subject ?? ""))",
                "  message-id \(headers.messageID ?? "none")",
                "classification: \(classification(reading.classification))",
                "evidence: \(LogCommand.oneLine(reading.evidence))",
            ]
            if let note = attributionNote {
                lines.append("attribution: \(note)")
            } else if let attribution = assessment.attribution {
                let send = attribution.sendID.map { ", send \($0)" } ?? ""
                lines.append("attribution: rule \(attribution.rule) → lead \(attribution.lead)\(send)")
            } else {
                lines.append(
                    "attribution: no rule matched (no VERP token, ledger Message-ID, lead sender or recipient)")
            }
            lines.append("would do: \(assessment.decision.action)")
            lines.append("(nothing was changed)")
            return lines.joined(separator: "\n")
        }

        /// `hard-bounce 5.1.1 to x@y (postfix): diagnostic`, `auto-reply, back on 2026-12-14`, `reply`, ...
        static func classification(_ classification: InboundClassification) -> String {
            switch classification {
            case .bounce(let bounce):
                let status = bounce.status.map { " \($0)" } ?? ""
                let recipient = bounce.recipient.map { " to \($0)" } ?? ""
                let diagnostic = bounce.diagnostic.map { ": \(LogCommand.oneLine($0))" } ?? ""
                return "\(classification.kind)\(status)\(recipient) (\(bounce.format))\(diagnostic)"
            case .complaint(let complaint):
                let type = complaint.feedbackType.map { " (\($0))" } ?? ""
                return "complaint\(type)" + (complaint.recipient.map { " from \($0)" } ?? "")
            case .autoReply(let reply):
                return "auto-reply" + (reply.returnDate.map { ", back on \($0)" } ?? ", no return date read")
            case .optOut, .reply, .unrelated:
                return classification.kind.rawValue
            }
        }
    }

    /// `nurture inbound status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show each watched mailbox, its cursor and its last error, and the latest messages processed.",
            discussion: """
                Reads the store (the daemon need not run): for each mailbox in the configuration (and any the \
                store still has a cursor for), its UIDVALIDITY and last UID read, when it was last checked, and, \
                while it fails, the error, since when and how many polls in a row; then the latest processed \
                messages with what each did.
                """)

        @OptionGroup var options: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption

        @Option(help: "How many of the latest processed messages to show.")
        var recent = 10

        func run() async throws {
            let (mailboxes, records) = try await StoreLocation.withStore(
                config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
            ) { configuration, opened in
                do {
                    let mailboxes = StatusReport.Mailbox.merge(
                        configured: configuration.inbound.mailboxes.map { (name: $0.name, owner: $0.owner) },
                        cursors: try await opened.store.mailboxCursors())
                    let records = try await opened.store.inboundLog(mailbox: nil, limit: max(recent, 0))
                    return (mailboxes, records)
                } catch {
                    throw LogCommand.fail("cannot read the store \(opened.name): \(error)")
                }
            }
            var lines = InboundCommand.mailboxLines(
                mailboxes, now: Date(), whenNone: "Mailboxes: none watched (no inbound.mailboxes in \(options.config))")
            lines.append(records.isEmpty ? "Latest messages: none processed" : "Latest messages (newest first):")
            for record in records { lines.append("  " + InboundCommand.recordLine(record)) }
            print(lines.joined(separator: "\n"))
        }
    }

    /// The mailbox section of `status` and `inbound status`; `status` leaves it out when no mailbox is watched.
    static func mailboxLines(_ mailboxes: [StatusReport.Mailbox], now: Date, whenNone: String? = nil) -> [String] {
        guard !mailboxes.isEmpty else { return whenNone.map { [$0] } ?? [] }
        var lines = ["Mailboxes:"]
        for mailbox in mailboxes {
            let whose = mailbox.owner.map { " (\($0))" } ?? ""
            let gone = mailbox.configured ? "" : " (no longer configured)"
            guard let cursor = mailbox.cursor else {
                lines.append("  \(mailbox.name)\(whose)\(gone): not polled yet")
                continue
            }
            let checked = cursor.checkedAt.map {
                "last checked \(ScheduleTime.describe($0)) (\(StatusReport.relative($0, now: now)))"
            }
            lines.append(
                "  \(mailbox.name)\(whose)\(gone): UIDVALIDITY \(cursor.uidValidity), last UID \(cursor.lastUID); "
                    + (checked ?? "never checked successfully"))
            if let error = cursor.lastError {
                let since = cursor.failingSince.map { " since \(ScheduleTime.describe($0))" } ?? ""
                lines.append("    failing\(since), \(cursor.failures) poll(s) in a row: \(LogCommand.oneLine(error))")
            }
        }
        return lines
    }

    /// One mailbox as JSON (`status --json`).
    static func mailboxJSON(_ mailbox: StatusReport.Mailbox) -> [String: Any] {
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        let cursor = mailbox.cursor
        return [
            "name": mailbox.name, "owner": value(mailbox.owner), "configured": mailbox.configured,
            "uid_validity": value(cursor.map { Int($0.uidValidity) }),
            "last_uid": value(cursor.map { Int($0.lastUID) }),
            "checked_at": value(cursor?.checkedAt.map { ScheduleTime.describe($0) }),
            "last_error": value(cursor?.lastError),
            "failing_since": value(cursor?.failingSince.map { ScheduleTime.describe($0) }),
            "failures": cursor?.failures ?? 0,
        ]
    }

    /// One processed message: when, where, what it was, who it is tied to, what it did.
    static func recordLine(_ record: InboundRecord) -> String {
        let lead = record.leadEmail.map { " lead \($0)" } ?? ""
        let rule = record.rule.map { " (rule \($0))" } ?? ""
        return "\(ScheduleTime.describe(record.at)) \(record.mailbox) UID \(record.uid) \(record.kind)\(lead)\(rule):"
            + " \(LogCommand.oneLine(record.action))"
    }
}
