/// A condition on a lead's fields that decides whether a step is sent or skipped,
/// e.g. "only if `budget` is `unknown`".
package struct StepCondition: Sendable, Hashable, CustomStringConvertible {
    /// The lead field tested.
    package var field: LeadField
    /// The test applied to the field's value.
    package var test: Test

    /// How the field's value is tested.
    package enum Test: Sendable, Hashable {
        /// The value equals the text (case-insensitively).
        case equals(String)
        /// The value is missing or differs from the text (case-insensitively).
        case notEquals(String)
        /// The value is present and not blank.
        case present
        /// The value is missing or blank.
        case absent
    }

    /// Makes a condition.
    package init(field: LeadField, test: Test) {
        self.field = field
        self.test = test
    }

    /// Whether the lead satisfies the condition.
    package func matches(_ lead: Lead) -> Bool {
        let value = field.value(in: lead).flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        switch test {
        case .equals(let expected): return value?.lowercased() == expected.lowercased()
        case .notEquals(let expected): return value?.lowercased() != expected.lowercased()
        case .present: return value != nil
        case .absent: return value == nil
        }
    }

    /// E.g. `budget is unknown`.
    package var description: String {
        switch test {
        case .equals(let value): return "\(field) is \(value)"
        case .notEquals(let value): return "\(field) is not \(value)"
        case .present: return "\(field) is present"
        case .absent: return "\(field) is absent"
        }
    }
}
