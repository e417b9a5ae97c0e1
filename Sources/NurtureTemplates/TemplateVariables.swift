/// The variables templates may use, agreed between templates, configuration and the daemon.
package enum TemplateVariables {
    /// Every fixed variable name, e.g. `lead.first_name`; `attributes.<key>` is allowed for any key besides.
    package static let known: Set<String> = [
        "lead.email", "lead.first_name", "lead.last_name", "lead.full_name", "lead.company", "lead.title",
        "lead.stage", "lead.time_zone",
        "owner.name", "owner.first_name", "owner.email", "owner.title", "owner.phone", "owner.booking_url",
        "sender.name", "sender.email",
        "company.name", "company.website", "company.postal_address",
        "unsubscribe_url",
        "sequence.id", "sequence.name",
        "step.id", "step.number",
    ]

    /// Whether a template may name this variable: one of ``known``, or `attributes.<key>` with a single key.
    package static func isKnown(_ name: String) -> Bool {
        if known.contains(name) { return true }
        let parts = TemplateContext.components(of: name)
        return parts.count == 2 && parts[0] == "attributes" && !parts[1].isEmpty
    }

    /// A complete context for a made-up lead on the given track, for `nurture check` and tests.
    ///
    /// Every known variable has a value on both tracks (sales mail may still mention the company, marketing mail
    /// may still be signed by a person); `attributes` holds `industry`, `team_size` and `use_case`.
    package static func syntheticContext(for track: TemplateTrack) -> TemplateContext {
        var context = TemplateContext()
        let values: [(String, String)] = [
            ("lead.email", "dana.whitfield@example.com"), ("lead.first_name", "Dana"),
            ("lead.last_name", "Whitfield"), ("lead.full_name", "Dana Whitfield"),
            ("lead.company", "Northwind Logistics"), ("lead.title", "Head of Operations"),
            ("lead.stage", "sales-qualified"), ("lead.time_zone", "America/Chicago"),
            ("attributes.industry", "logistics"), ("attributes.team_size", "40"),
            ("attributes.use_case", "delivery-time reporting"),
            ("owner.name", "Priya Raman"), ("owner.first_name", "Priya"), ("owner.email", "priya@example.com"),
            ("owner.title", "Account Executive"), ("owner.phone", "+1 415 555 0134"),
            ("owner.booking_url", "https://example.com/meet/priya"),
            ("company.name", "Acme Analytics"), ("company.website", "https://acme-analytics.example"),
            ("company.postal_address", "Acme Analytics, Inc., 500 Market Street, Suite 300, San Francisco, CA 94105"),
            ("unsubscribe_url", "https://acme-analytics.example/u/3f9c2a"),
            ("sequence.id", "synthetic"), ("sequence.name", "Synthetic sequence"),
            ("step.id", "synthetic-step"), ("step.number", "1"),
        ]
        for (name, value) in values { context[name] = value }
        switch track {
        case .marketing:
            context["lead.stage"] = "subscriber"
            context["sender.name"] = "Acme Analytics"
            context["sender.email"] = "hello@acme-analytics.example"
        case .sales:
            context["sender.name"] = "Priya Raman"
            context["sender.email"] = "priya@example.com"
        }
        return context
    }

    /// A plausible child name for a group, used in fix suggestions.
    static func exampleChild(of group: String) -> String {
        let prefix = group + "."
        return known.filter { $0.hasPrefix(prefix) }.sorted().first.map { String($0.dropFirst(prefix.count)) }
            ?? "<key>"
    }
}
