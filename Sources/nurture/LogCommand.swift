import ArgumentParser
import Foundation
import NurtureCore
import NurtureSQLite

/// `nurture log`: the send log — every attempt and every decision about a send — newest last.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the send log: every attempt and every decision about a send, newest last.",
        discussion: """
            One line per entry: time (UTC), state, lead, sequence/step, attempt, SMTP reply, Message-ID and \
            the reason or transport detail. `attempt -` marks a decision without a transfer (held, skipped, \
            cancelled). With --json, one JSON object per line with the keys at, send_id, lead, sequence, step, \
            message_id, state, attempt, code, reply, detail and sender (null when absent). \
            With --follow, keeps printing new entries (polling the store every 500 ms) until interrupted. \
            With --inbound, shows the incoming mail read from watched mailboxes instead (replies, automatic \
            replies, delivery reports, complaints, opt-outs, unrelated mail): time, kind, lead (or \
            `unattributed`), mailbox and UID, attribution rule, sender, subject and what was done; --lead, \
            --mailbox, --since, --limit, --json and --follow apply to it.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Option(help: ArgumentHelp("Only entries for this lead.", valueName: "email"))
    var lead: String?

    @Option(help: ArgumentHelp("Only entries of this sequence.", valueName: "id"))
    var sequence: String?

    @Option(help: ArgumentHelp("Only entries that moved a send to this state: \(Self.stateNames).", valueName: "state"))
    var status: SendState?

    @Option(help: ArgumentHelp("Only entries from the last DURATION, e.g. 30m, 2h, 1d.", valueName: "duration"))
    var since: String?

    @Option(help: ArgumentHelp("Only the newest N entries.", valueName: "n"))
    var limit: Int?

    @Flag(help: "One JSON object per line.")
    var json = false

    @Flag(help: "Keep printing new entries until interrupted.")
    var follow = false

    @Flag(help: "Show the incoming mail read from watched mailboxes instead of the send log.")
    var inbound = false

    @Option(help: ArgumentHelp("With --inbound: only messages of this watched mailbox.", valueName: "name"))
    var mailbox: String?

    /// The send states, comma-separated, for help and errors.
    static let stateNames = SendState.allCases.map(\.rawValue).joined(separator: ", ")

    func run() async throws {
        if inbound { return try await runInbound() }
        if mailbox != nil { throw Self.fail("--mailbox applies to incoming mail: add --inbound") }
        var filter = try makeFilter(now: Date())
        try await StoreLocation.withStore(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
        ) { _, opened in
            let store = opened.store
            var lastID = try await write(store.log(filter))
            guard follow else { return }
            filter.limit = nil
            while true {
                try await Task.sleep(for: .milliseconds(500))
                filter.afterID = lastID
                let entries = try await store.log(filter)
                lastID = max(lastID, write(entries))
            }
        }
    }

    /// The store filter for the options; prints the problem and fails on a bad value.
    func makeFilter(now: Date) throws -> SendLogFilter {
        var filter = SendLogFilter(sequence: sequence)
        if let lead {
            do {
                filter.leadEmail = try EmailAddress(lead)
            } catch {
                throw Self.fail("--lead \(lead): \(error)")
            }
        }
        if let status { filter.state = status }
        if let since {
            guard let duration = DelayText.parse(since), duration > .zero else {
                throw Self.fail(
                    "--since \(since): not a duration; use a whole number and a unit, e.g. 30m, 2h or 1d"
                        + " (units s, m, h, d, w)")
            }
            filter.since = ScheduleTime.date(now, plus: Duration.zero - duration)
        }
        if let limit {
            guard limit > 0 else { throw Self.fail("--limit \(limit): give a number of entries above 0, e.g. 50") }
            filter.limit = limit
        }
        return filter
    }

    /// Writes the entries in one go (so `--follow` output reaches a pipe at once) and returns the last id.
    private func write(_ entries: [SendLogEntry]) -> Int64 {
        guard !entries.isEmpty else { return 0 }
        let lines = entries.map { json ? Self.jsonLine($0) : Self.line($0) }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        return entries.map(\.id).max() ?? 0
    }

    /// Prints `message` to standard error and returns the failure to throw.
    static func fail(_ message: String) -> ExitCode {
        printError(message)
        return ExitCode.failure
    }

    /// One entry for people, e.g.
    /// `2026-11-24T14:00:03Z  sent       dana@example.com  inbound-sales/intro  attempt 1  250 2.0.0 Ok  <id@x>`.
    static func line(_ entry: SendLogEntry) -> String {
        var fields = [
            ScheduleTime.describe(entry.at),
            entry.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0),
            entry.leadEmail.description,
            "\(entry.sequence)/\(entry.step)",
            entry.attempt > 0 ? "attempt \(entry.attempt)" : "attempt -",
        ]
        if let reply = entry.reply {
            fields.append(reply)
        } else if let code = entry.code {
            fields.append(String(code))
        }
        fields.append(entry.messageID)
        if let detail = entry.detail { fields.append(detail) }
        return fields.map(oneLine).joined(separator: "  ")
    }

    /// One entry as a JSON object with sorted keys; absent values are `null`.
    static func jsonLine(_ entry: SendLogEntry) -> String {
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        let object: [String: Any] = [
            "at": ScheduleTime.describe(entry.at),
            "send_id": entry.sendID,
            "lead": entry.leadEmail.description,
            "sequence": entry.sequence,
            "step": entry.step,
            "message_id": entry.messageID,
            "state": entry.state.rawValue,
            "attempt": entry.attempt,
            "code": value(entry.code),
            "reply": value(entry.reply),
            "detail": value(entry.detail),
            "sender": value(entry.sender),
        ]
        return jsonText(object)
    }

    /// `object` as one line of JSON with sorted keys.
    static func jsonText(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `text` with line breaks and other control characters shown as spaces, so one entry stays one line.
    static func oneLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}
