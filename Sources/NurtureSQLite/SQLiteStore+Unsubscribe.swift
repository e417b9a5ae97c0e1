import Foundation
internal import GRDB
package import NurtureCore

extension SQLiteStore {
    /// Records that mail to `email` carries `token` (kept if it was already issued).
    func registerUnsubscribeToken(_ token: String, for email: EmailAddress, at: Int64, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO unsubscribe_tokens (token, lead_email, issued_at) VALUES (?, ?, ?)"
        ).execute(arguments: [token, email.description, at])
    }

    package func lead(unsubscribeToken token: String) async throws(StoreError) -> Lead? {
        try await read("resolving an unsubscribe link") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT leads.* FROM unsubscribe_tokens JOIN leads ON leads.email = unsubscribe_tokens.lead_email
                    WHERE unsubscribe_tokens.token = ?
                    """, arguments: [token]
            ).map { row in try stored(row, "leads").lead() }
        }
    }
}
