import ArgumentParser
package import NurtureCore
package import NurtureSMTP

// The enums the command line parses, read as the intake rules read them (``LeadInput``): case-insensitive,
// and `true`/`false` for a VBANT answer. A bad value is refused by the argument parser with the valid ones.

extension Stage: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension LeadSource: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension CriterionStatus: ExpressibleByArgument {
    package init?(argument: String) {
        let text = argument.lowercased()
        self.init(rawValue: ["true": "yes", "false": "no"][text] ?? text)
    }
}

extension SendState: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

extension RelayConfiguration.Security: ExpressibleByArgument {
    package init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
