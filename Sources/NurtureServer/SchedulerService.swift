import NurtureDaemon
import ServiceLifecycle
import Synchronization

/// The scheduler's run loop as a `Service`: it starts once start-up is complete and sends until the service group
/// shuts down gracefully (SIGTERM, SIGINT, or another service failing).
///
/// Graceful shutdown is the daemon's stop: ``onStop`` (the `stopping` line and `STOPPING=1`), then
/// ``Scheduler/stop()``: no more claims, claims not yet handed to a connection wait again at once, transfers in
/// progress finish and are recorded, and ``run()`` returns. When the group's maximum graceful shutdown duration
/// (`--stop-timeout`) runs out first, the group cancels this service and ``onDeadline`` runs: a transfer blocked
/// in libcurl cannot be cut short, so the caller ends the process there, and the transfer journal lets the next
/// start record each send cut off after its body went out as unknown and send the others again.
struct SchedulerService: Service, CustomStringConvertible {
    let scheduler: Scheduler
    let started: StartGate
    let onStop: @Sendable () -> Void
    let onDeadline: @Sendable () -> Void

    /// `scheduler`, the service's name in the service group's log lines.
    var description: String { "scheduler" }

    /// Waits for start-up to complete, then runs the loop until the stop (or the deadline) ends it.
    func run() async {
        let isStarted = await cancelWhenGracefulShutdown { [started] in await started.wait() }
        guard isStarted, !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
        let stopping = StopFlag()
        let (scheduler, onStop, onDeadline) = (scheduler, onStop, onDeadline)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await scheduler.run()
            } onGracefulShutdown: {
                guard !stopping.set() else { return }
                onStop()
                scheduler.stop()
            }
        } onCancel: {
            // Cancelled after the stop began: the stop timeout ran out. Cancelled without a stop (the task running the
            // group was cancelled): stop now, like a graceful shutdown.
            if stopping.set() {
                onDeadline()
            } else {
                onStop()
                scheduler.stop()
            }
        }
    }
}

/// Whether the stop began; ``set()`` says whether it already had.
private final class StopFlag: Sendable {
    private let value = Atomic(false)

    /// Marks the stop as begun; returns whether it already was.
    func set() -> Bool { value.exchange(true, ordering: .sequentiallyConsistent) }
}
