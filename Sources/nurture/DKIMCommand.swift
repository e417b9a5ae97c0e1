import ArgumentParser
import NurtureConfig
import NurtureDKIM

/// `nurture dkim`: DKIM keys.
struct DKIMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dkim", abstract: "DKIM signing keys.", subcommands: [RecordCommand.self])

    /// `nurture dkim record --domain D`: the DNS TXT records to publish.
    struct RecordCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Print the DNS TXT record to publish for each DKIM key of a domain.",
            discussion: """
                Loads the configuration and prints, for each key configured for the domain, one zone-file line: \
                SELECTOR._domainkey.DOMAIN. IN TXT "v=DKIM1; k=rsa; p=..." (a long record is split into strings \
                of at most 255 bytes, which DNS joins again). The public key is derived from the private key; \
                the private key is never printed.

                Exit status: 0 printed, 1 the configuration cannot be loaded or the domain has no key.
                """)

        @OptionGroup var options: ConfigOption

        @Option(help: ArgumentHelp("The From domain, e.g. acme-analytics.example.", valueName: "domain"))
        var domain: String

        func run() throws {
            let loaded: NurtureConfiguration
            do {
                loaded = try ConfigurationLoader().load(file: options.config)
            } catch {
                for problem in error.problems { printError("\(problem)") }
                printError("no record printed: \(options.config) cannot be used")
                throw ExitCode.failure
            }
            let keys = loaded.dkim.signer.keys(forDomain: domain)
            guard !keys.isEmpty else {
                let domains = Set(loaded.dkim.signer.keys.map(\.domain)).sorted()
                printError(
                    "\(options.config) has no DKIM key for \(domain)"
                        + (domains.isEmpty
                            ? "; add one under `dkim:` (docs/configuration.md)"
                            : "; keys are configured for: \(domains.joined(separator: ", "))"))
                throw ExitCode.failure
            }
            for key in keys { print(key.record.zoneLine) }
        }
    }
}
