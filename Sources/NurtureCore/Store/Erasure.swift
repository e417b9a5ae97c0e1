/// What erasing a lead did (GDPR-style: personal data removed, only the suppression hash kept).
/// The pseudonym and the hash come from ``AddressKeying``.
package struct Erasure: Sendable, Hashable {
    /// The placeholder address that now stands in the ledger, enrollments and send log for the erased lead,
    /// e.g. `erased-3f2a…@erased.invalid` (the `.invalid` top-level domain can never receive mail).
    package var pseudonym: EmailAddress
    /// The sequence of the enrollment that was active, if one was.
    package var endedSequence: String?
    /// Waiting sends cancelled.
    package var cancelledSends: Int
    /// Sends in flight at that moment (their outcome is still recorded, under the pseudonym).
    package var sendsInFlight: Int

    /// Makes a summary.
    package init(pseudonym: EmailAddress, endedSequence: String?, cancelledSends: Int, sendsInFlight: Int) {
        self.pseudonym = pseudonym
        self.endedSequence = endedSequence
        self.cancelledSends = cancelledSends
        self.sendsInFlight = sendsInFlight
    }
}
