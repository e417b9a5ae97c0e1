/// An enrollment that ended, and why.
package struct EnrollmentExit: Sendable, Hashable {
    /// The enrollment that ended.
    package var enrollment: Enrollment
    /// Why it ended.
    package var reason: EnrollmentEndReason

    /// Makes an exit.
    package init(enrollment: Enrollment, reason: EnrollmentEndReason) {
        self.enrollment = enrollment
        self.reason = reason
    }
}
