import Foundation
import NurtureApp
import NurtureCore
import NurtureSQLite

/// `nurture log --inbound`: the processed incoming mail, newest last, in the send log's style.
extension LogCommand {
    /// The most incoming messages read in one go when no `--limit` is given.
    static let inboundReadLimit = 100_000

    /// Prints the incoming mail the options select, and with `--follow` keeps printing new messages.
    func runInbound() async throws {
        if sequence != nil || status != nil {
            throw Self.fail("--sequence and --status apply to the send log, not to incoming mail (--inbound)")
        }
        let filter = try makeFilter(now: Date())
        try await StoreLocation.withStore(
            config: options.config, stateDirectory: stateDirectory.path, access: .readOnly
        ) { _, opened in
            let store = opened.store
            var printed = Set<InboundKey>()
            var records = try await inboundRecords(store, filter: filter, limit: filter.limit ?? Self.inboundReadLimit)
            while true {
                records.removeAll { printed.contains(InboundKey($0)) }
                if !records.isEmpty {
                    let lines = records.map { json ? Self.jsonLine($0) : Self.line($0) }
                    FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                    printed.formUnion(records.map(InboundKey.init))
                }
                guard follow else { return }
                try await Task.sleep(for: .milliseconds(500))
                records = try await inboundRecords(store, filter: filter, limit: 500)
            }
        }
    }

    /// The newest `limit` messages the filter selects, oldest first.
    private func inboundRecords(
        _ store: any SendStore, filter: SendLogFilter, limit: Int
    ) async throws -> [InboundRecord] {
        var records: [InboundRecord]
        if let lead = filter.leadEmail {
            records = try await store.inbound(for: lead)
        } else {
            records = try await store.inboundLog(mailbox: mailbox, limit: limit).reversed()
        }
        if let mailbox { records.removeAll { $0.mailbox != mailbox } }
        if let since = filter.since { records.removeAll { $0.at < since } }
        return Array(records.suffix(limit))
    }

    /// What identifies a processed message: its mailbox, UIDVALIDITY and UID.
    struct InboundKey: Hashable {
        var mailbox: String
        var uidValidity: UInt32
        var uid: UInt32

        init(_ record: InboundRecord) {
            mailbox = record.mailbox
            uidValidity = record.uidValidity
            uid = record.uid
        }
    }

    /// One message for people, e.g. `2026-11-24T14:00:03Z  auto-reply   dana@example.com  sales#812
    /// rule message-id  from dana@example.com  "Out of office"  paused inbound-sales until 2026-12-02T08:00:00Z`.
    static func line(_ record: InboundRecord) -> String {
        let fields = [
            ScheduleTime.describe(record.at),
            record.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0),
            record.leadEmail?.description ?? "unattributed",
            "\(record.mailbox)#\(record.uid)",
            "rule \(record.rule?.rawValue ?? "-")",
            "from \(record.from ?? "-")",
            "\"\(WhyReport.printable(record.subject ?? ""))\"",
            record.action,
        ]
        return fields.map(oneLine).joined(separator: "  ")
    }

    /// One message as a JSON object with sorted keys; absent values are `null`.
    static func jsonLine(_ record: InboundRecord) -> String {
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        let object: [String: Any] = [
            "at": ScheduleTime.describe(record.at),
            "mailbox": record.mailbox,
            "uid_validity": Int(record.uidValidity),
            "uid": Int(record.uid),
            "message_id": value(record.messageID),
            "from": value(record.from),
            "subject": value(record.subject),
            "kind": record.kind.rawValue,
            "evidence": record.evidence,
            "rule": value(record.rule?.rawValue),
            "lead": value(record.leadEmail?.description),
            "send_id": value(record.sendID),
            "action": record.action,
        ]
        return jsonText(object)
    }
}
