import Logging
import NurtureConfig
import NurtureCore
import NurtureDaemon
import NurtureLog
import NurtureMetrics
import NurtureSMTP
import Synchronization

/// What the daemon does with each ``Scheduler/Event``: a log line, and the `/metrics` figures.
enum DaemonEvents {
    /// The event's log line (`send` at info for a send, warning when it failed or is unknown).
    static func write(_ event: Scheduler.Event, to log: Logger) {
        switch event {
        case .recorded(let entry):
            let level: LogLevel =
                switch entry.state {
                case .sent: .info
                case .failed, .unknown: .warning
                default: .notice
                }
            log.log(
                level, "send",
                [
                    "lead": entry.leadEmail.description, "sequence": entry.sequence, "step": entry.step,
                    "message_id": entry.messageID, "outcome": entry.state.rawValue, "attempt": entry.attempt,
                    "code": entry.code.map(String.init), "reply": entry.reply, "detail": entry.detail,
                ])
        case .transferred: break
        case .notice(let text): log.log(.notice, "scheduler", ["message": text])
        case .warning(let text): log.log(.warning, "scheduler", ["message": text])
        case .error(let text): log.log(.error, "scheduler", ["message": text])
        }
    }

    /// Feeds `/metrics`.
    static func count(_ event: Scheduler.Event, in metrics: DaemonMetrics, configuration: NurtureConfiguration) {
        switch event {
        case .recorded(let entry):
            metrics.recorded(entry, track: configuration.sequence(id: entry.sequence)?.track)
        case .transferred(let transfer):
            metrics.transferred(
                outcome: transfer.outcome, track: transfer.track, seconds: transfer.seconds, relay: transfer.relay,
                answered: transfer.relayAnswered, at: transfer.at)
        case .notice, .warning, .error: break
        }
    }
}

/// The configuration in force, shared by the scheduler's event handler and the HTTP interface.
final class CurrentConfiguration: Sendable {
    private let state: Mutex<NurtureConfiguration>

    init(_ configuration: NurtureConfiguration) { state = Mutex(configuration) }

    var value: NurtureConfiguration {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

/// Stands in for a relay whose settings cannot make a transport: every send is a configuration error.
struct UnusableTransport: MessageTransport {
    let problem: String

    func send(_ message: [UInt8], envelope: Envelope) async -> DeliveryOutcome {
        DeliveryOutcome(kind: .configurationError, reply: nil, transportDetail: problem)
    }

    /// Nothing is ever sent, so the body never starts.
    func send(
        _ message: [UInt8], envelope: Envelope, beforeBody: @escaping @Sendable () -> Bool
    ) async -> DeliveryOutcome {
        await send(message, envelope: envelope)
    }

    func shutdown() async {}
}
