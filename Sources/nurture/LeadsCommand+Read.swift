import ArgumentParser
import NurtureCore
import NurtureSQLite

extension LeadsCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a lead and its audit trail.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Argument(help: "The lead's email address.") var email: String

        func run() async throws {
            let address = try LeadsCommand.address(email)
            try await StoreLocation.withStore(
                config: config.config, stateDirectory: stateDirectory.path, access: .readOnly
            ) { _, opened in
                let store = opened.store
                guard let lead = try await store.lead(address) else {
                    printError("no lead \(email) in the store (check the address, or add it with `nurture leads add`)")
                    throw ExitCode.failure
                }
                print(LeadsCommand.describe(lead))
                let enrollments = try await store.enrollments(for: address)
                if !enrollments.isEmpty { print("enrollments:") }
                for enrollment in enrollments {
                    let end = enrollment.endedAt.map {
                        "ended \(ScheduleTime.describe($0)) (\(enrollment.endReason?.description ?? "?"))"
                    }
                    print(
                        "  \(enrollment.sequence): started \(ScheduleTime.describe(enrollment.startedAt)), \(end ?? "active")"
                    )
                }
                print("history:")
                for entry in try await store.audit(for: address) {
                    print("  \(ScheduleTime.describe(entry.at))  \(entry.kind): \(entry.detail)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List leads by address.")
        @OptionGroup var config: ConfigOption
        @OptionGroup var stateDirectory: StateDirectoryOption
        @Option(help: "Only leads in this stage: \(Stage.allNames).") var stage: Stage?
        @Option(help: "At most this many.") var limit: Int = 100

        func run() async throws {
            let wanted = stage
            try await StoreLocation.withStore(
                config: config.config, stateDirectory: stateDirectory.path, access: .readOnly
            ) { _, opened in
                let store = opened.store
                var after: EmailAddress?
                var shown = 0
                while shown < limit {
                    let page = try await store.leads(after: after, limit: 500)
                    if page.isEmpty { break }
                    for lead in page where wanted == nil || lead.stage == wanted {
                        guard shown < limit else { break }
                        let flags = [lead.isUnsubscribed ? "unsubscribed" : nil, lead.hasBounced ? "bounced" : nil]
                            .compactMap { $0 }.joined(separator: ",")
                        print(
                            [
                                lead.email.description, lead.stage.rawValue, lead.source.rawValue, lead.owner ?? "-",
                                flags,
                            ]
                            .joined(separator: "\t"))
                        shown += 1
                    }
                    after = page.last?.email
                }
            }
        }
    }
}
