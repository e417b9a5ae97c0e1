/// What to do with a send whose outcome is unknown: the connection was lost after the message body
/// was sent, or the daemon stopped mid-transfer, so the server may already have it.
public enum UnknownOutcomePolicy: String, Sendable, Hashable, CaseIterable {
    /// Keep the send in `unknown` for an operator to resolve; never risk a duplicate (the default).
    case hold
    /// Send it again with the same Message-ID, accepting a possible duplicate the receiver can match.
    case resend
}
