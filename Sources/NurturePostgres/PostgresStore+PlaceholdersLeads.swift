#if PostgreSQL
    package import Foundation
    package import NurtureCore

    // Placeholders of the contract commit: leads, audit, enrollments, lead changes, suppressions, erasure, round-robin, tokens, health, relay pauses, inbound. Each method moves to its own file as it is written; this file
    // is deleted when none is left.
    extension PostgresStore {
        package func saveLeads(_ leads: [Lead], at: Date) async throws(StoreError) -> Int {
            throw StoreError(.unavailable, "PostgresStore.saveLeads is not written yet")
        }

        package func createLeads(_ leads: [NewLead], cursor: RoundRobinCursor?, keying: AddressKeying, at: Date)
            async throws(StoreError) -> Int
        {
            throw StoreError(.unavailable, "PostgresStore.createLeads is not written yet")
        }

        package func apply(_ change: LeadChange, at: Date) async throws(StoreError) -> LeadChangeResult {
            throw StoreError(.unavailable, "PostgresStore.apply is not written yet")
        }

        package func leads(_ emails: [EmailAddress]) async throws(StoreError) -> [Lead] {
            throw StoreError(.unavailable, "PostgresStore.leads is not written yet")
        }

        package func leads(after: EmailAddress?, limit: Int) async throws(StoreError) -> [Lead] {
            throw StoreError(.unavailable, "PostgresStore.leads is not written yet")
        }

        package func leadCount() async throws(StoreError) -> Int {
            throw StoreError(.unavailable, "PostgresStore.leadCount is not written yet")
        }

        package func appendAudit(_ entry: LeadAuditEntry) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.appendAudit is not written yet")
        }

        package func audit(for email: EmailAddress) async throws(StoreError) -> [LeadAuditEntry] {
            throw StoreError(.unavailable, "PostgresStore.audit is not written yet")
        }

        package func endEnrollment(_ id: Int64, reason: EnrollmentEndReason, at: Date) async throws(StoreError) -> Int {
            throw StoreError(.unavailable, "PostgresStore.endEnrollment is not written yet")
        }

        package func enrollment(_ id: Int64) async throws(StoreError) -> EnrollmentRecord? {
            throw StoreError(.unavailable, "PostgresStore.enrollment is not written yet")
        }

        package func enrollments(for email: EmailAddress) async throws(StoreError) -> [EnrollmentRecord] {
            throw StoreError(.unavailable, "PostgresStore.enrollments is not written yet")
        }

        package func enrollmentsNeedingPlan(limit: Int) async throws(StoreError) -> [EnrollmentRecord] {
            throw StoreError(.unavailable, "PostgresStore.enrollmentsNeedingPlan is not written yet")
        }

        package func enrollAll(_ requests: [EnrollmentRequest], at: Date, endingOthers: EnrollmentEndReason)
            async throws(StoreError) -> [EnrollmentRecord]
        {
            throw StoreError(.unavailable, "PostgresStore.enrollAll is not written yet")
        }

        package func roundRobinCursor() async throws(StoreError) -> RoundRobinCursor {
            throw StoreError(.unavailable, "PostgresStore.roundRobinCursor is not written yet")
        }

        package func saveRoundRobinCursor(_ cursor: RoundRobinCursor) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.saveRoundRobinCursor is not written yet")
        }

        package func lead(unsubscribeToken token: String) async throws(StoreError) -> Lead? {
            throw StoreError(.unavailable, "PostgresStore.lead is not written yet")
        }

        package func eraseLead(_ email: EmailAddress, keying: AddressKeying, at: Date) async throws(StoreError)
            -> Erasure?
        {
            throw StoreError(.unavailable, "PostgresStore.eraseLead is not written yet")
        }

        package func probeWrite(at: Date) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.probeWrite is not written yet")
        }

        package func suppress(_ key: SuppressionKey, reason: String, at: Date) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.suppress is not written yet")
        }

        package func suppressionReason(_ key: SuppressionKey) async throws(StoreError) -> String? {
            throw StoreError(.unavailable, "PostgresStore.suppressionReason is not written yet")
        }

        package func unsuppress(_ change: Unsuppression, at: Date) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.unsuppress is not written yet")
        }

        package func saveRelayPause(_ pause: RelayPause) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.saveRelayPause is not written yet")
        }

        package func clearRelayPause(relay: String) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.clearRelayPause is not written yet")
        }

        package func relayPauses() async throws(StoreError) -> [RelayPause] {
            throw StoreError(.unavailable, "PostgresStore.relayPauses is not written yet")
        }

        package func mailboxCursors() async throws(StoreError) -> [MailboxCursor] {
            throw StoreError(.unavailable, "PostgresStore.mailboxCursors is not written yet")
        }

        package func saveMailboxCursor(_ cursor: MailboxCursor) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.saveMailboxCursor is not written yet")
        }

        package func inboundRecord(mailbox: String, uidValidity: UInt32, uid: UInt32) async throws(StoreError)
            -> InboundRecord?
        {
            throw StoreError(.unavailable, "PostgresStore.inboundRecord is not written yet")
        }

        package func recordInbound(_ record: InboundRecord) async throws(StoreError) {
            throw StoreError(.unavailable, "PostgresStore.recordInbound is not written yet")
        }

        package func inbound(for email: EmailAddress) async throws(StoreError) -> [InboundRecord] {
            throw StoreError(.unavailable, "PostgresStore.inbound is not written yet")
        }

        package func inboundLog(mailbox: String?, limit: Int) async throws(StoreError) -> [InboundRecord] {
            throw StoreError(.unavailable, "PostgresStore.inboundLog is not written yet")
        }

        package func inboundCount(_ email: EmailAddress, kind: InboundKind, since: Date) async throws(StoreError) -> Int
        {
            throw StoreError(.unavailable, "PostgresStore.inboundCount is not written yet")
        }
    }
#endif
