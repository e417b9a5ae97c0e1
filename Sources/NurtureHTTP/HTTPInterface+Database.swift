import Foundation

extension HTTPInterface {
    /// What `/healthz` says about a database several daemons share (PostgreSQL): where it is (never the password),
    /// the schema version, this daemon's instance and whether it is the leader.
    package struct DatabaseHealth: Sendable {
        /// `postgres://user@host:port/database`.
        package var store: String
        package var schemaVersion: Int
        package var instance: String
        package var isLeader: @Sendable () -> Bool

        package init(store: String, schemaVersion: Int, instance: String, isLeader: @escaping @Sendable () -> Bool) {
            self.store = store
            self.schemaVersion = schemaVersion
            self.instance = instance
            self.isLeader = isLeader
        }
    }

    /// The `store` object's database fields: added to `report` when the daemon runs on a shared database.
    func addDatabase(to report: inout [String: Any], reachable: Bool) {
        guard let database else { return }
        report["database"] = database.store
        report["schema_version"] = database.schemaVersion
        report["reachable"] = reachable
        report["instance"] = database.instance
        report["leader"] = database.isLeader()
    }
}
