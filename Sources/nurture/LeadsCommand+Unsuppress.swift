import ArgumentParser
import Foundation
import NurtureApp
import NurtureCore

extension LeadsCommand {
    /// `nurture leads unsuppress EMAIL`: undoes a wrong bounce.
    struct Unsuppress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo a wrong bounce: the lead may be mailed again and its sequence resumes where it stopped.",
            discussion: """
                Clears the lead's bounced flag and its suppression-list entry, records it in the lead's history \
                (by cli), and re-opens the enrollment the bounce ended: the send the bounce stopped is planned \
                again (same step, same Message-ID), or the step after the last one sent. A running daemon sends \
                it on its next pass. Refused for an address that is not suppressed, and for one that \
                unsubscribed: an unsubscribe is the lead's own choice.
                """)
        @OptionGroup var config: ConfigOption
        @Argument(help: "The lead's email address.") var email: String

        func run() async throws {
            let address = try LeadsCommand.address(email)
            try await StoreLocation.withStore(config: config.config) { configuration, opened in
                let service = LeadService(store: opened.store, configuration: configuration)
                do {
                    let change = try await service.unsuppress(address, by: "cli", at: Date())
                    print("unsuppressed \(change.lead.email)")
                    for note in change.notes { print("  \(note)") }
                } catch {
                    printError("cannot unsuppress \(address): \(error)")
                    throw ExitCode.failure
                }
            }
        }
    }
}
