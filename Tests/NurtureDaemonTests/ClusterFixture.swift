#if PostgreSQL
    import Foundation
    import Logging
    import NurtureApp
    import NurtureConfig
    import NurtureCore
    import NurtureDaemon
    import NurturePostgres
    import NurtureSMTP
    import NurtureTemplates
    import NurtureTestSupport
    import Synchronization
    import Testing

    /// Several schedulers in one process on one fresh PostgreSQL database (each with its own store, as separate
    /// daemons have), on one virtual clock, with the shipped configuration and templates.
    final class ClusterFixture: Sendable {
        /// One daemon of the fixture.
        struct Daemon: Sendable {
            let store: PostgresStore
            let scheduler: Scheduler
            let events: EventLog

            /// Transfers this daemon made.
            var transfers: Int { events.lines.withLock { $0.filter { $0 == "transferred" }.count } }
        }

        let clock: VirtualClock
        let settings: PostgresSettings
        let configuration: NurtureConfiguration
        let builder: MessageBuilder
        let policy: SchedulingPolicy
        private let opened = Mutex<[PostgresStore]>([])

        /// - Parameters:
        ///   - leaseSeconds: the lease of claims, heartbeats and the leader.
        ///   - policy: adjusts the scheduling policy (jitter is off).
        init(
            start: Date, leaseSeconds: Int = 3, policy adjust: (inout SchedulingPolicy) -> Void = { _ in }
        ) throws {
            var settings = try PostgresPeer.freshDatabase("cluster")
            settings.leaseSeconds = leaseSeconds
            self.settings = settings
            configuration = try ConfigurationLoader().load(
                file: SchedulerFixture.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
            let library = try TemplateLibrary.load(directory: configuration.templatesDirectory)
            builder = MessageBuilder(configuration: configuration, library: library)
            var policy = SchedulingPolicy()
            policy.salesJitter = .none
            adjust(&policy)
            self.policy = policy
            clock = VirtualClock(start: start)
        }

        /// Stops every store's connection pool.
        func shutdown() async {
            for store in opened.withLock({ $0 }) { await store.shutdown() }
        }

        /// A daemon: its own store (a new instance) and scheduler, sending through `transport`.
        func daemon(
            _ name: String, transport: any MessageTransport,
            options: Scheduler.Options = Scheduler.Options(concurrency: 2)
        ) async throws -> Daemon {
            let instance = DaemonInstance.current(host: name, pid: 1, at: clock.now())
            let store = try PostgresStore.started(settings, instance: instance, logger: Logger(label: "cluster-test"))
            opened.withLock { $0.append(store) }
            try await store.migrate()
            let events = EventLog()
            let scheduler = Scheduler(
                store: store,
                runtime: Scheduler.Runtime(configuration: configuration, builder: builder, policy: policy),
                clock: clock, timer: clock, options: options, makeTransport: { _ in transport },
                emit: { event in
                    let text: String
                    switch event {
                    case .recorded(let entry):
                        text = "\(entry.leadEmail) \(entry.step) \(entry.state) \(entry.detail ?? "")"
                    case .notice(let line), .warning(let line), .error(let line): text = line
                    case .transferred: text = "transferred"
                    }
                    events.lines.withLock { $0.append(text) }
                })
            return Daemon(store: store, scheduler: scheduler, events: events)
        }

        /// Adds `emails` as subscribers the way `nurture leads add` does, and plans each one's first marketing step
        /// due now (as the leader's planning would), through `store`.
        func addPlanned(_ emails: [String], through store: any SendStore) async throws {
            let service = LeadService(store: store, configuration: configuration)
            var plans: [NewPlannedSend] = []
            for email in emails {
                let lead = Lead(
                    email: try EmailAddress(email), firstName: "Test", lastName: "Lead", company: "Example Co",
                    title: "Buyer", timeZone: "America/New_York", stage: .subscriber, source: .inbound, owner: nil)
                _ = try await service.upsert(lead, at: clock.now())
                let enrollment = try #require(try await store.enrollments(for: lead.email).first)
                plans.append(
                    NewPlannedSend(
                        enrollmentID: enrollment.id, leadEmail: enrollment.leadEmail, sequence: enrollment.sequence,
                        step: "welcome", stepNumber: 1, track: .marketing, dueAt: clock.now(),
                        nextAttemptAt: clock.now(), messageID: "<\(enrollment.id).welcome@acme.example>"))
            }
            _ = try await store.planAll(plans, at: clock.now())
        }
    }
#endif
