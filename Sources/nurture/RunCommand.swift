import ArgumentParser
import Foundation
import Logging
import NurtureDaemon
import NurtureLog
import NurtureServer

/// `nurture run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: send every due step of every enrollment, on schedule.",
        discussion: """
            Opens the store and resolves the sends a crash left in flight from the transfer journal beside \
            the store (never started: waiting again; finished: recorded; started without a reply: unknown), \
            then sends due steps until SIGTERM or SIGINT (it stops claiming, gives claimed sends not yet \
            handed to the relay back to the queue at once, lets transfers in progress finish and records them). \
            SIGHUP reloads the configuration and templates; an invalid edit is rejected with the messages \
            of `nurture check` and the running configuration stays in force. Under systemd (Type=notify) it \
            reports READY, RELOADING, STOPPING, WATCHDOG and a STATUS line with queue figures. \
            Log lines go to standard error with syslog priority prefixes.
            """)

    @OptionGroup var options: ConfigOption
    @OptionGroup var stateDirectory: StateDirectoryOption

    @Option(help: ArgumentHelp("Log lines at this level and above: error, warning, notice, info, debug."))
    var logLevel: String = "info"

    @Option(
        help: ArgumentHelp(
            "Seconds to let transfers in progress finish after SIGTERM before exiting (one cut off after its body"
                + " went out is recorded as unknown at the next start; one that had not sent its body is sent"
                + " again).", valueName: "seconds"))
    var stopTimeout: Int = 30

    func run() async throws {
        guard let level = LogLevel(name: logLevel) else {
            throw ValidationError("--log-level \(logLevel): use error, warning, notice, info or debug")
        }
        let log = LogWriter(minimumLevel: level)
        // Hummingbird's and the service group's lines go to the same stream, in the same format.
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, writer: log) }
        let stateDirectory = stateDirectory.path
        let settings = Daemon.Settings(
            configFile: options.config, stopTimeout: .seconds(stopTimeout),
            storePath: { StoreLocation.path(for: $0, stateDirectory: stateDirectory) },
            onStopDeadline: { Foundation.exit(0) })
        guard await Daemon.run(settings, logger: Logger(label: "nurture"), httpLog: log) else { throw ExitCode.failure }
    }
}
