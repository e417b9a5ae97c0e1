import Foundation

/// Which time zone a send window is read in, for one lead.
package enum TimeZoneRule: Sendable, Hashable, CustomStringConvertible {
    /// The lead's zone; when it has none, its owner's; then the configured default.
    case lead
    /// The owner's zone; when there is no owner or it has none, the configured default.
    case owner
    /// Always this IANA zone.
    case fixed(String)

    /// Picks the zone identifier for a lead. Identifiers Foundation does not know are skipped as if absent.
    package func resolve(leadZone: String?, ownerZone: String?, defaultZone: String) -> String {
        let candidates: [String?]
        switch self {
        case .lead: candidates = [leadZone, ownerZone]
        case .owner: candidates = [ownerZone]
        case .fixed(let zone): candidates = [zone]
        }
        return candidates.compactMap { $0 }.first { TimeZone(identifier: $0) != nil } ?? defaultZone
    }

    /// `lead`, `owner` or the fixed zone's identifier, as written in configuration.
    package var description: String {
        switch self {
        case .lead: return "lead"
        case .owner: return "owner"
        case .fixed(let zone): return zone
        }
    }
}
