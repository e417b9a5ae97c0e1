/// A random delay added to a planned send so that mail does not leave on the exact minute,
/// which reads as automated; used for sales mail.
package struct Jitter: Sendable, Hashable {
    /// No jitter.
    package static let none = Jitter(maximum: .zero)

    /// The largest offset; zero or less turns jitter off.
    package var maximum: Duration

    /// Makes a jitter rule; by default none (marketing). Sales mail uses 4 minutes unless configured.
    package init(maximum: Duration = .zero) {
        self.maximum = maximum
    }

    /// A uniformly random offset in `0...maximum`, to the millisecond, drawn from `generator`.
    package func offset(using generator: inout some RandomNumberGenerator) -> Duration {
        let (seconds, attoseconds) = maximum.components
        guard maximum > .zero else { return .zero }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        let limit = overflow ? Int64.max : whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000).0
        return .milliseconds(Int64.random(in: 0...max(limit, 0), using: &generator))
    }
}
