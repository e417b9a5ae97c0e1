import Logging
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureLog
import NurtureSQLite
import NurtureTemplates

/// Loads what the scheduler runs with, and opens the transfer journal, logging every problem.
struct RuntimeLoader: Sendable {
    /// The daemon's lines.
    let log: Logger
    /// Every problem of the templates for a configuration, as `nurture check` reports them (empty when none);
    /// tests that are not about templates may skip the check.
    var templateProblems: @Sendable (NurtureConfiguration) -> [String] = MessageBuilder.templateProblems

    /// Loads and checks configuration and templates like `nurture check`; logs every problem and returns
    /// `nil` when there is one.
    func load(file: String) -> Scheduler.Runtime? {
        let configuration: NurtureConfiguration
        do {
            configuration = try ConfigurationLoader().load(file: file)
        } catch {
            for problem in error.problems { log.log(.error, "config", ["problem": problem.description]) }
            return nil
        }
        let problems = templateProblems(configuration)
        guard problems.isEmpty else {
            for problem in problems { log.log(.error, "templates", ["problem": problem]) }
            return nil
        }
        for warning in configuration.warnings { log.log(.warning, "config", ["problem": warning.description]) }
        // Loading the configuration signed a probe with each DKIM key and verified it with the derived public key.
        for key in configuration.dkim.keyDescriptions {
            log.log(.info, "dkim_key", ["key": key, "message": "signed and verified a probe"])
        }
        let library: TemplateLibrary
        do {
            library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
        } catch {
            for problem in error.errors { log.log(.error, "templates", ["problem": problem.description]) }
            return nil
        }
        return Scheduler.Runtime(
            configuration: configuration, builder: MessageBuilder(configuration: configuration, library: library),
            policy: configuration.scheduling)
    }

    /// The transfer journal beside the store (`nurture.sqlite-transfers`), naming this boot and the store file;
    /// `nil` (recovery then stays conservative: every send in flight after a crash is unknown) when the boot id or
    /// the store file cannot be read.
    func openJournal(storePath: String, store: SQLiteStore) -> TransferJournal? {
        guard let identity = TransferJournal.Identity.current(storePath: storePath) else {
            log.log(
                .warning, "transfer_journal",
                [
                    "problem": "cannot read /proc/sys/kernel/random/boot_id or the store file's identity",
                    "message": "sending without a transfer journal: after a crash every send in flight is unknown",
                ])
            return nil
        }
        return TransferJournal(path: TransferJournal.path(forStore: storePath), identity: identity) {
            try? store.inFlightSendIDsBlocking()
        }
    }
}
