import NurtureCore
import NurtureSMTP
internal import Yams

/// The `salespeople:` list.
extension ConfigParser {
    static let salespersonKeys = [
        "id", "name", "email", "title", "phone", "booking_url", "signature", "time_zone", "relay", "daily_limit",
        "weight", "away", "dkim",
    ]

    /// One salesperson as read, with the nodes later checks point at.
    struct ParsedSalesperson {
        var value: Salesperson?
        var relay: RelayConfiguration?
        var id: String?
        var node: Node
        var idNode: Node?
        var signatureNode: Node?
        var path: String
        /// `false` when `dkim: false` leaves this salesperson's mail unsigned (their own relay signs it).
        var signsDKIM = true
    }

    func salespeople(_ top: Fields) -> [ParsedSalesperson] {
        guard let items = diagnostics.list(top, "salespeople") else { return [] }
        return items.compactMap { item in
            guard let fields = diagnostics.fields(item.node, path: item.path, allowed: Self.salespersonKeys) else {
                return nil
            }
            let before = diagnostics.problems.count
            let id = diagnostics.identifier(fields, "id", example: "priya")
            let name = diagnostics.text(fields, "name", required: true, example: "Priya Raman")
            let email = diagnostics.address(fields, "email", required: true)
            let title = diagnostics.text(fields, "title", required: true, example: "Account Executive")
            let phone = diagnostics.text(fields, "phone", example: "\"+1 415 555 0134\"")
            let booking = diagnostics.url(fields, "booking_url")
            let signature = diagnostics.identifier(optional: fields, "signature", example: "signature-priya")
            let zone = diagnostics.timeZone(fields, "time_zone")
            let limit = diagnostics.integer(fields, "daily_limit", in: 1...Int.max)
            let weight = diagnostics.integer(fields, "weight", in: 0...1_000)
            let away = diagnostics.boolean(fields, "away")
            let dkim = diagnostics.boolean(fields, "dkim")
            var relay: RelayConfiguration?
            if let relayNode = fields["relay"],
                let relayFields = diagnostics.fields(relayNode, path: fields.path("relay"), allowed: Self.relayKeys)
            {
                relay = relayConfiguration(relayFields)
            }
            var parsed = ParsedSalesperson(
                id: id, node: item.node, idNode: fields["id"], signatureNode: fields["signature"], path: item.path)
            parsed.signsDKIM = dkim ?? true
            guard diagnostics.problems.count == before, let id, let name, let email, let title else { return parsed }
            parsed.relay = relay
            parsed.value = Salesperson(
                id: id, name: name, email: email, title: title, phone: phone, bookingURL: booking,
                signature: signature ?? "signature", timeZone: zone, dailyLimit: limit, weight: weight ?? 1,
                isAway: away ?? false)
            return parsed
        }
    }
}

extension Diagnostics {
    /// An optional id-like name (letters, digits, `-`, `_`).
    func identifier(optional fields: Fields, _ key: String, example: String) -> String? {
        guard fields.has(key) else { return nil }
        return identifier(fields, key, example: example)
    }
}
