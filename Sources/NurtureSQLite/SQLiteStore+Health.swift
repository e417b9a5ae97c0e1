package import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    /// Proves the store takes writes: the open database must still be the file at ``path`` (not removed or
    /// replaced, ``fileProblem()``), and a tiny row (the time of the probe) is written and committed.
    package func probeWrite(at: Date) async throws(StoreError) {
        if let problem = fileProblem() { throw problem }
        try await write("probing that the store takes writes") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('health_probe', ?)",
                arguments: ["\(Milliseconds.from(at))"])
        }
    }
}
