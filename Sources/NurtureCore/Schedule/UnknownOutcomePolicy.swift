/// What to do with a send whose outcome is unknown: its body may have reached the server and no final reply
/// was recorded (the connection was lost after the body was sent, or the daemon stopped while the body was on
/// the wire, found at the next start). Applies alike to both.
package enum UnknownOutcomePolicy: String, Sendable, Hashable, CaseIterable {
    /// Keep the send in `unknown` for an operator to resolve; never risk a duplicate (the default).
    case hold
    /// Send it again with the same Message-ID, accepting a possible duplicate the receiver can match.
    case resend
}
