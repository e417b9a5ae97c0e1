import Foundation
import NurtureCore
import NurtureDaemon
import NurtureSQLite

/// Checks every few seconds that the daemon's open database is still the file at its path (``SQLiteStore/fileProblem()``):
/// a file removed or replaced under the running daemon is logged at error priority (and `/healthz` answers 503),
/// and logged again, as a notice, if the original file comes back.
enum StoreFileWatch {
    /// Starts the check; cancel the returned task to end it.
    static func start(store: SQLiteStore, log: LogWriter, every interval: Duration = .seconds(2)) -> Task<Void, Never> {
        Task.detached {
            var reported: String?
            while !Task.isCancelled {
                let problem = store.fileProblem()?.description
                if problem != reported {
                    if let problem {
                        log.log(.error, "store_file", ["file": store.path, "problem": problem])
                    } else {
                        log.log(.notice, "store_file", ["file": store.path, "message": "the database file is back"])
                    }
                    reported = problem
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
