import Foundation
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureSQLite
import NurtureTemplates
import Testing

/// The daemon plans enrollments a batch per transaction and, while more wait, does not sleep between batches.
@Suite struct BatchPlanningTests {
    @Test("with more enrollments than a batch, the loop plans them all before it first sleeps; tokens registered")
    func plansEveryBatchWithoutSleeping() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-batch-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = try ConfigurationLoader().load(
            file: SchedulerFixture.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        let builder = MessageBuilder(
            configuration: configuration, library: try TemplateLibrary.load(directory: configuration.templatesDirectory)
        )
        let store = try SQLiteStore(path: directory.appendingPathComponent("nurture.sqlite").path)
        // Saturday: the windows (Monday to Friday) are closed everywhere, so planning is all the loop does.
        let clock = VirtualClock(start: .at("2026-11-28T12:00:00Z"))
        let service = LeadService(store: store, configuration: configuration)
        let emails = try (0..<7).map { try EmailAddress("lead\($0)@example.com") }
        for email in emails { _ = try await service.upsert(Lead(email: email, stage: .subscriber), at: clock.now()) }
        let transport = ScriptedTransport()
        let scheduler = Scheduler(
            store: store,
            runtime: Scheduler.Runtime(
                configuration: configuration, builder: builder, policy: configuration.scheduling),
            clock: clock, timer: clock, options: Scheduler.Options(concurrency: 1, planBatch: 3),
            makeTransport: { _ in transport }, emit: { _ in })

        let loop = Task { await scheduler.run() }
        await clock.waitUntilSleeping()
        #expect(try await store.enrollmentsNeedingPlan(limit: 10).isEmpty, "three batches, no sleep in between")
        for email in emails {
            let sends = try await store.sends(for: email)
            #expect(sends.map(\.step) == ["welcome"] && sends.first?.state == .planned, "\(email)")
            #expect(try await store.lead(unsubscribeToken: builder.unsubscribeToken(for: email))?.email == email)
        }
        #expect(try await store.earliestWaiting().map { $0 > clock.now() } == true, "nothing due on a Saturday")
        scheduler.stop()
        await loop.value
    }
}
