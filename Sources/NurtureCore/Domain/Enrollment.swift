/// One lead in one sequence: which step was last sent.
package struct Enrollment: Sendable, Hashable {
    /// The sequence's id.
    package var sequence: String
    /// The id of the last step sent, or `nil` when none has been sent yet.
    package var lastStep: String?

    /// Makes an enrollment.
    package init(sequence: String, lastStep: String? = nil) {
        self.sequence = sequence
        self.lastStep = lastStep
    }
}
