package import NurtureCore
package import NurtureSMTP

/// The whole validated configuration: everything the daemon and the commands need from `nurture.yaml`.
///
/// Made by ``ConfigurationLoader``; every path in it is absolute (resolved against the config file's folder),
/// every address is validated, every time zone is known to Foundation, and every cross-reference (rules to
/// sequences, steps to templates, round-robin pool to salespeople) has been checked.
package struct NurtureConfiguration: Sendable {
    /// The configuration file as it was named, e.g. `config/nurture.yaml`.
    package var file: String
    /// The default SMTP relay.
    package var relay: RelayConfiguration
    /// Where the daemon keeps its state (absolute).
    package var stateDirectory: String
    /// The store's database file (absolute; under ``stateDirectory`` unless configured otherwise). With
    /// ``database`` set it still names the state directory's files (journal, lock) but holds no store.
    package var storePath: String
    /// The PostgreSQL store several daemons share (`state.store: postgres://...` or `database:`); `nil`: the
    /// SQLite file at ``storePath``.
    package var database: PostgresSettings?
    /// The templates directory (absolute).
    package var templatesDirectory: String
    /// Who marketing-track mail is From.
    package var marketingSender: MarketingSender
    /// The company: name, website, postal address, unsubscribe link base and mailbox.
    package var company: Company
    /// The key that signs unsubscribe tokens; `nil` when none is configured (see ``warnings``).
    package var unsubscribeSecret: Secret?
    /// The key of suppression-list hashes and erasure pseudonyms (`privacy.pseudonym_secret_*`); `nil` when
    /// none is configured: the unkeyed legacy hashes are written then (see ``warnings``).
    package var pseudonymSecret: Secret?
    /// The salespeople, in configuration order.
    package var salespeople: [Salesperson]
    /// Salespeople's own relays, by salesperson id; the others send through ``relay``.
    package var salespersonRelays: [String: RelayConfiguration]
    /// The sequences, in configuration order.
    package var sequences: [EmailSequence]
    /// Which (stage, source) enters which sequence.
    package var enrollmentRules: EnrollmentRules
    /// Defaults: time zone, send window, limits.
    package var defaults: Defaults
    /// Behaviour switches.
    package var options: Options
    /// Retries, unknown outcomes, lateness, catch-up pacing, jitter and rate limits (`scheduling:`);
    /// the defaults when the section is absent.
    package var scheduling: SchedulingPolicy
    /// The daemon's HTTP interface (`http:`): listen address, API tokens, body limit.
    package var http: HTTPSettings
    /// Watched mailboxes, the VERP envelope sender and the inbound policy (`inbound:`); none when absent.
    package var inbound = InboundSettings()
    /// DKIM signing keys by From domain, and the salespeople left unsigned (`dkim:`); none when absent.
    package var dkim = DKIMSettings()
    /// The operator console (`console:`): its users file and session key; `nil` (console off) when absent.
    package var console: ConsoleSettings?
    /// Things that are allowed but deserve attention (e.g. unsigned unsubscribe links).
    package var warnings: [ConfigurationProblem]

    /// How addresses are hashed for the suppression list and erasure pseudonyms: under ``pseudonymSecret``.
    package var addressKeying: AddressKeying { AddressKeying(secret: pseudonymSecret.map { Array($0.value.utf8) }) }

    /// Defaults applying where a lead, salesperson or sequence says nothing.
    package struct Defaults: Sendable, Hashable {
        /// The IANA time zone used when neither the lead nor its owner has one.
        package var timeZone: String
        /// The send window of sequences that configure none.
        package var window: SendWindow
        /// Sending limits.
        package var limits: SendLimits

        /// Makes defaults.
        package init(timeZone: String, window: SendWindow, limits: SendLimits) {
            self.timeZone = timeZone
            self.window = window
            self.limits = limits
        }
    }

    /// Behaviour switches.
    package struct Options: Sendable, Hashable {
        /// Promote leads whose five VBANT criteria are `yes` to `sales-qualified`.
        package var autoQualify: Bool
        /// Assign unowned inbound leads reaching a sales stage by weighted round-robin.
        package var roundRobin: Bool
        /// The salesperson ids round-robin picks from, in order; `nil` means everyone.
        package var roundRobinPool: [String]?

        /// Makes options.
        package init(autoQualify: Bool, roundRobin: Bool, roundRobinPool: [String]? = nil) {
            self.autoQualify = autoQualify
            self.roundRobin = roundRobin
            self.roundRobinPool = roundRobinPool
        }
    }

    /// Makes a configuration from its parts (``ConfigurationLoader`` is the usual way).
    package init(
        file: String, relay: RelayConfiguration, stateDirectory: String, storePath: String,
        templatesDirectory: String, marketingSender: MarketingSender, company: Company, unsubscribeSecret: Secret?,
        salespeople: [Salesperson], salespersonRelays: [String: RelayConfiguration], sequences: [EmailSequence],
        enrollmentRules: EnrollmentRules, defaults: Defaults, options: Options,
        scheduling: SchedulingPolicy = SchedulingPolicy(), http: HTTPSettings = HTTPSettings(),
        pseudonymSecret: Secret? = nil, warnings: [ConfigurationProblem] = []
    ) {
        self.file = file
        self.relay = relay
        self.stateDirectory = stateDirectory
        self.storePath = storePath
        self.templatesDirectory = templatesDirectory
        self.marketingSender = marketingSender
        self.company = company
        self.unsubscribeSecret = unsubscribeSecret
        self.salespeople = salespeople
        self.salespersonRelays = salespersonRelays
        self.sequences = sequences
        self.enrollmentRules = enrollmentRules
        self.defaults = defaults
        self.options = options
        self.scheduling = scheduling
        self.http = http
        self.pseudonymSecret = pseudonymSecret
        self.warnings = warnings
    }

    /// The sequence with this id, if any.
    package func sequence(id: String) -> EmailSequence? { sequences.first { $0.id == id } }

    /// The lateness rule for a sequence: its own `max_lateness`, else `scheduling.max_lateness`.
    package func lateness(forSequence id: String) -> Lateness {
        sequence(id: id).map { scheduling.lateness(for: $0) } ?? scheduling.lateness
    }

    /// The salesperson with this id, if any.
    package func salesperson(id: String) -> Salesperson? { salespeople.first { $0.id == id } }

    /// The relay mail under this salesperson's name goes through: their own, or the default.
    package func relay(forSalesperson id: String?) -> RelayConfiguration {
        id.flatMap { salespersonRelays[$0] } ?? relay
    }

    /// The stage machine these rules, sequences, salespeople and options describe.
    package var stageMachine: StageMachine {
        StageMachine(
            rules: enrollmentRules, tracks: Dictionary(uniqueKeysWithValues: sequences.map { ($0.id, $0.track) }),
            salespeople: salespeople, autoQualify: options.autoQualify, roundRobin: options.roundRobin,
            roundRobinPool: options.roundRobinPool)
    }
}
