/// Who a sequence's mail speaks for.
package enum Track: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sent as the company from the marketing sender, with an unsubscribe link and the postal address.
    case marketing
    /// Sent as the lead's owner: their From, Reply-To and signature, one-to-one in tone.
    case sales

    /// `marketing` or `sales`.
    package var description: String { rawValue }
}
