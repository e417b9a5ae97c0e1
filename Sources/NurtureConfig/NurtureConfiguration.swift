public import NurtureCore
public import NurtureSMTP

/// The whole validated configuration: everything the daemon and the commands need from `nurture.yaml`.
///
/// Made by ``ConfigurationLoader``; every path in it is absolute (resolved against the config file's folder),
/// every address is validated, every time zone is known to Foundation, and every cross-reference (rules to
/// sequences, steps to templates, round-robin pool to salespeople) has been checked.
public struct NurtureConfiguration: Sendable {
    /// The configuration file as it was named, e.g. `config/nurture.yaml`.
    public var file: String
    /// The default SMTP relay.
    public var relay: RelayConfiguration
    /// Where the daemon keeps its state (absolute).
    public var stateDirectory: String
    /// The store's database file (absolute; under ``stateDirectory`` unless configured otherwise).
    public var storePath: String
    /// The templates directory (absolute).
    public var templatesDirectory: String
    /// Who marketing-track mail is From.
    public var marketingSender: MarketingSender
    /// The company: name, website, postal address, unsubscribe link base and mailbox.
    public var company: Company
    /// The key that signs unsubscribe tokens; `nil` when none is configured (see ``warnings``).
    public var unsubscribeSecret: Secret?
    /// The key of suppression-list hashes and erasure pseudonyms (`privacy.pseudonym_secret_*`); `nil` when
    /// none is configured: the unkeyed legacy hashes are written then (see ``warnings``).
    public var pseudonymSecret: Secret?
    /// The salespeople, in configuration order.
    public var salespeople: [Salesperson]
    /// Salespeople's own relays, by salesperson id; the others send through ``relay``.
    public var salespersonRelays: [String: RelayConfiguration]
    /// The sequences, in configuration order.
    public var sequences: [EmailSequence]
    /// Which (stage, source) enters which sequence.
    public var enrollmentRules: EnrollmentRules
    /// Defaults: time zone, send window, limits.
    public var defaults: Defaults
    /// Behaviour switches.
    public var options: Options
    /// Retries, unknown outcomes, lateness, catch-up pacing, jitter and rate limits (`scheduling:`);
    /// the defaults when the section is absent.
    public var scheduling: SchedulingPolicy
    /// The daemon's HTTP interface (`http:`): listen address, API tokens, body limit.
    public var http: HTTPSettings
    /// Things that are allowed but deserve attention (e.g. unsigned unsubscribe links).
    public var warnings: [ConfigurationProblem]

    /// How addresses are hashed for the suppression list and erasure pseudonyms: under ``pseudonymSecret``.
    public var addressKeying: AddressKeying { AddressKeying(secret: pseudonymSecret.map { Array($0.value.utf8) }) }

    /// Defaults applying where a lead, salesperson or sequence says nothing.
    public struct Defaults: Sendable, Hashable {
        /// The IANA time zone used when neither the lead nor its owner has one.
        public var timeZone: String
        /// The send window of sequences that configure none.
        public var window: SendWindow
        /// Sending limits.
        public var limits: SendLimits

        /// Makes defaults.
        public init(timeZone: String, window: SendWindow, limits: SendLimits) {
            self.timeZone = timeZone
            self.window = window
            self.limits = limits
        }
    }

    /// Behaviour switches.
    public struct Options: Sendable, Hashable {
        /// Promote leads whose five VBANT criteria are `yes` to `sales-qualified`.
        public var autoQualify: Bool
        /// Assign unowned inbound leads reaching a sales stage by weighted round-robin.
        public var roundRobin: Bool
        /// The salesperson ids round-robin picks from, in order; `nil` means everyone.
        public var roundRobinPool: [String]?

        /// Makes options.
        public init(autoQualify: Bool, roundRobin: Bool, roundRobinPool: [String]? = nil) {
            self.autoQualify = autoQualify
            self.roundRobin = roundRobin
            self.roundRobinPool = roundRobinPool
        }
    }

    /// Makes a configuration from its parts (``ConfigurationLoader`` is the usual way).
    public init(
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
    public func sequence(id: String) -> EmailSequence? { sequences.first { $0.id == id } }

    /// The lateness rule for a sequence: its own `max_lateness`, else `scheduling.max_lateness`.
    public func lateness(forSequence id: String) -> Lateness {
        sequence(id: id).map { scheduling.lateness(for: $0) } ?? scheduling.lateness
    }

    /// The salesperson with this id, if any.
    public func salesperson(id: String) -> Salesperson? { salespeople.first { $0.id == id } }

    /// The relay mail under this salesperson's name goes through: their own, or the default.
    public func relay(forSalesperson id: String?) -> RelayConfiguration {
        id.flatMap { salespersonRelays[$0] } ?? relay
    }

    /// The stage machine these rules, sequences, salespeople and options describe.
    public var stageMachine: StageMachine {
        StageMachine(
            rules: enrollmentRules, tracks: Dictionary(uniqueKeysWithValues: sequences.map { ($0.id, $0.track) }),
            salespeople: salespeople, autoQualify: options.autoQualify, roundRobin: options.roundRobin,
            roundRobinPool: options.roundRobinPool)
    }
}
