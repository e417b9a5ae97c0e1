public import Foundation
internal import GRDB
public import NurtureCore

extension SQLiteStore {
    public func probeWrite(at: Date) throws(StoreError) {
        try write("probing that the store takes writes") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('health_probe', ?)",
                arguments: ["\(Milliseconds.from(at))"])
        }
    }
}
