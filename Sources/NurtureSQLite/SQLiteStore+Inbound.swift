package import Foundation
package import NurtureCore

// Contract placeholder (issue 14): the store part replaces this file with the real tables and queries.
extension SQLiteStore {
    package func sends(messageIDs: [String]) async throws(StoreError) -> [PlannedSend] { throw Self.notYet }
    package func mailboxCursors() async throws(StoreError) -> [MailboxCursor] { throw Self.notYet }
    package func saveMailboxCursor(_ cursor: MailboxCursor) async throws(StoreError) { throw Self.notYet }
    package func inboundRecord(
        mailbox: String, uidValidity: UInt32, uid: UInt32
    ) async throws(StoreError) -> InboundRecord? { throw Self.notYet }
    package func recordInbound(_ record: InboundRecord) async throws(StoreError) { throw Self.notYet }
    package func inbound(for email: EmailAddress) async throws(StoreError) -> [InboundRecord] { throw Self.notYet }
    package func inboundLog(mailbox: String?, limit: Int) async throws(StoreError) -> [InboundRecord] {
        throw Self.notYet
    }
    package func inboundCount(
        _ email: EmailAddress, kind: InboundKind, since: Date
    ) async throws(StoreError) -> Int { throw Self.notYet }

    private static var notYet: StoreError { StoreError(.failed, "inbound mail is not stored yet") }
}
