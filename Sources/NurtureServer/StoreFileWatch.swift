import Logging
import NurtureCore
import NurtureDaemon
import NurtureLog
import NurtureSQLite
import ServiceLifecycle

/// Checks every few seconds that the daemon's open database is still the file at its path (``SQLiteStore/fileProblem()``):
/// a file removed or replaced under the running daemon is logged at error priority (and `/healthz` answers 503),
/// and logged again, as a notice, if the original file comes back. Runs until the service group shuts down.
struct StoreFileWatch: Service, CustomStringConvertible {
    let store: SQLiteStore
    let log: Logger
    var interval = Duration.seconds(2)

    /// `store-file-watch`, the service's name in the service group's log lines.
    var description: String { "store-file-watch" }

    /// Checks the file every ``interval`` until the group shuts down.
    func run() async {
        var reported: String?
        while true {
            let problem = store.fileProblem()?.description
            if problem != reported {
                if let problem {
                    log.log(.error, "store_file", ["file": store.path, "problem": problem])
                } else {
                    log.log(.notice, "store_file", ["file": store.path, "message": "the database file is back"])
                }
                reported = problem
            }
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
