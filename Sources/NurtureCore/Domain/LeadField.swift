/// A lead field a step condition can test, named as in configuration: `budget`, `company`, `attributes.plan`.
package enum LeadField: Sendable, Hashable, CustomStringConvertible {
    /// `stage`.
    case stage
    /// `source`.
    case source
    /// `owner`.
    case owner
    /// `first_name`, `last_name`, `company`, `title`, `time_zone`.
    case firstName, lastName, company, title, timeZone
    /// One VBANT criterion: `vision`, `budget`, `need`, `authority`, `timeframe`.
    case criterion(VBANTCriterion)
    /// `attributes.<key>`.
    case attribute(String)

    /// The field names accepted besides `attributes.<key>`, for error messages.
    package static let fixedNames =
        [
            "stage", "source", "owner", "first_name", "last_name", "company", "title", "time_zone",
        ] + VBANTCriterion.allCases.map(\.rawValue)

    /// Parses a configuration name, or returns `nil` when it names no field.
    package init?(name: String) {
        switch name {
        case "stage": self = .stage
        case "source": self = .source
        case "owner": self = .owner
        case "first_name": self = .firstName
        case "last_name": self = .lastName
        case "company": self = .company
        case "title": self = .title
        case "time_zone": self = .timeZone
        default:
            if let criterion = VBANTCriterion(rawValue: name) {
                self = .criterion(criterion)
            } else if name.hasPrefix("attributes."), name.count > "attributes.".count {
                self = .attribute(String(name.dropFirst("attributes.".count)))
            } else {
                return nil
            }
        }
    }

    /// The field's value for a lead as text, or `nil` when it has none.
    package func value(in lead: Lead) -> String? {
        switch self {
        case .stage: return lead.stage.rawValue
        case .source: return lead.source.rawValue
        case .owner: return lead.owner
        case .firstName: return lead.firstName
        case .lastName: return lead.lastName
        case .company: return lead.company
        case .title: return lead.title
        case .timeZone: return lead.timeZone
        case .criterion(let criterion): return lead.qualification[criterion].rawValue
        case .attribute(let key): return lead.attributes[key]
        }
    }

    /// The configuration name, e.g. `budget` or `attributes.plan`.
    package var description: String {
        switch self {
        case .stage: return "stage"
        case .source: return "source"
        case .owner: return "owner"
        case .firstName: return "first_name"
        case .lastName: return "last_name"
        case .company: return "company"
        case .title: return "title"
        case .timeZone: return "time_zone"
        case .criterion(let criterion): return criterion.rawValue
        case .attribute(let key): return "attributes.\(key)"
        }
    }
}
