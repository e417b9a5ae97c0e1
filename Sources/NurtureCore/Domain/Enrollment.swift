/// One lead in one sequence: which step was last sent.
public struct Enrollment: Sendable, Hashable {
    /// The sequence's id.
    public var sequence: String
    /// The id of the last step sent, or `nil` when none has been sent yet.
    public var lastStep: String?

    /// Makes an enrollment.
    public init(sequence: String, lastStep: String? = nil) {
        self.sequence = sequence
        self.lastStep = lastStep
    }
}
