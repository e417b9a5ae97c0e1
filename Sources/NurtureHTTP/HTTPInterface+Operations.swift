import Foundation
import Hummingbird
import NurtureApp
import NurtureConfig
import NurtureCore
import NurtureMetrics
import NurtureSMTP
import Synchronization

/// `/metrics` (Prometheus text) and `/healthz` (JSON). Both are unauthenticated: keep the listener on
/// loopback or behind a proxy that limits who reaches them.
extension HTTPInterface {
    func addOperationsRoutes(to router: Router<NurtureRequestContext>) {
        router.get("metrics") { _, _ in try await metricsResponse() }
        router.get("healthz") { _, _ in try await health() }
    }

    private func metricsResponse() async throws -> Response {
        let queue = try? await queueCache.counts(now: now()) { [store] in
            try await store.stateCounts()
        }
        let pauses = (try? await store.relayPauses()) ?? []
        let text = PrometheusText.render(metrics, queue: queue, startedAt: startedAt, pauses: pauses)
        return Response(
            status: .ok, headers: [.contentType: PrometheusText.contentType, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 200 while the store takes writes (`status` is `degraded` when the relay did not answer the last
    /// transfer or a relay is paused, with the cause, or when a watched mailbox cannot be read), 503 when it does
    /// not.
    private func health() async throws -> Response {
        let started = ContinuousClock.now
        var storeProblem: String?
        do {
            try await store.probeWrite(at: now())
        } catch {
            storeProblem = "\(error)"
        }
        let probe = ContinuousClock.now - started
        let snapshot = metrics.relayStatus
        let relay = configuration().relay
        var relayReport: [String: Any] = [
            "address": snapshot.relay ?? "\(relay.host):\(relay.port)",
            "answered_last_transfer": snapshot.relayAnswered.map { $0 as Any } ?? NSNull(),
            "last_seen": snapshot.relayLastSeen.map { LeadJSON.timestamp($0) as Any } ?? NSNull(),
        ]
        if snapshot.relayAnswered == nil { relayReport["note"] = "no transfer yet since start" }
        let pauses = (try? await store.relayPauses()) ?? []
        if !pauses.isEmpty {
            relayReport["paused"] = pauses.map { pause -> [String: Any] in
                [
                    "relay": pause.relay, "cause": pause.cause, "since": LeadJSON.timestamp(pause.since),
                    "until": LeadJSON.timestamp(pause.until), "refusals": pause.refusals,
                ]
            }
            relayReport["problem"] = pauses.map(\.holdReason).joined(separator: "; ")
        }
        let relayDown = snapshot.relayAnswered == false || !pauses.isEmpty
        let mailboxes = (try? await StatusReport.mailboxes(configuration: configuration(), store: store)) ?? []
        let mailboxDown = mailboxes.contains(where: \.isFailing)
        let status = storeProblem != nil ? "failing" : relayDown || mailboxDown ? "degraded" : "ok"
        var storeReport: [String: Any] = [
            "writable": storeProblem == nil,
            "probe_ms": ScheduleTime.seconds(probe) * 1000,
        ]
        if let storeProblem { storeReport["problem"] = storeProblem }
        addDatabase(to: &storeReport, reachable: storeProblem == nil)
        return JSONResponse.make(
            status: storeProblem == nil ? .ok : .serviceUnavailable,
            body: [
                "status": status, "store": storeReport, "relay": relayReport,
                "mailboxes": mailboxes.map(Self.mailboxReport),
                "uptime_seconds": Int(now().timeIntervalSince(startedAt)),
            ])
    }
}

extension HTTPInterface {
    /// One watched mailbox in `/healthz`: `up` is false while its polls fail (then `last_error`, `failing_since`
    /// and `failures` say why and since when); `up` is null before its first poll.
    static func mailboxReport(_ mailbox: StatusReport.Mailbox) -> [String: Any] {
        let cursor = mailbox.cursor
        func value(_ optional: (any Sendable)?) -> Any { optional.map { $0 as Any } ?? NSNull() }
        return [
            "name": mailbox.name, "owner": value(mailbox.owner),
            "up": value(cursor.map { $0.lastError == nil }),
            "uid_validity": value(cursor.map { Int($0.uidValidity) }),
            "last_uid": value(cursor.map { Int($0.lastUID) }),
            "checked_at": value(cursor?.checkedAt.map { LeadJSON.timestamp($0) }),
            "last_error": value(cursor?.lastError),
            "failing_since": value(cursor?.failingSince.map { LeadJSON.timestamp($0) }),
            "failures": cursor?.failures ?? 0,
        ]
    }
}

/// Keeps the ledger's count by state for a few seconds: counting reads the state index of every row, and
/// scrapers may call often.
final class QueueCache: Sendable {
    private let cached = Mutex<(at: Date, counts: [SendState: Int])?>(nil)
    private let lifetime: TimeInterval = 5

    func counts(
        now: Date, fetch: @Sendable () async throws -> [SendState: Int]
    ) async throws -> [SendState: Int] {
        if let hit = cached.withLock({ $0 }), now.timeIntervalSince(hit.at) < lifetime, hit.at <= now {
            return hit.counts
        }
        let counts = try await fetch()
        cached.withLock { $0 = (now, counts) }
        return counts
    }
}
