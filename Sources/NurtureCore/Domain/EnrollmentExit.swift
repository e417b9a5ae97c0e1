/// An enrollment that ended, and why.
public struct EnrollmentExit: Sendable, Hashable {
    /// The enrollment that ended.
    public var enrollment: Enrollment
    /// Why it ended.
    public var reason: EnrollmentEndReason

    /// Makes an exit.
    public init(enrollment: Enrollment, reason: EnrollmentEndReason) {
        self.enrollment = enrollment
        self.reason = reason
    }
}
