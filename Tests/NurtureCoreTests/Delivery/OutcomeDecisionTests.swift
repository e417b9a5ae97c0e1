import Foundation
import NurtureCore
import Testing

/// One row of the outcome table: a finished transfer's facts and what it must lead to.
struct OutcomeCase: Sendable, CustomTestStringConvertible {
    enum Row: Sendable, Equatable {
        case sent
        case deferred(ReasonKind, until: Date)
        case failed(ReasonKind, planNext: Bool)
        case unknown(ReasonKind)
    }

    enum Relay: Sendable, Equatable {
        case none
        case paused(started: Bool, refusals: Int, until: Date)
        case resumed
        case probeInconclusive(until: Date)
    }

    var name: String
    var facts: OutcomeFacts
    var policy = SchedulingPolicy()
    var now: Date = OutcomeCase.now
    var row: Row
    var bounces = false
    var relay: Relay = .none
    var counts = false

    var testDescription: String { name }

    /// Due 2025-06-03T09:00Z, finished ten minutes later.
    static let due = Date(timeIntervalSince1970: 1_748_941_200)
    static let now = due.addingTimeInterval(600)

    static func at(_ seconds: Int) -> Date { now.addingTimeInterval(TimeInterval(seconds)) }

    static func facts(
        _ result: DeliveryResult, _ code: Int? = nil, _ enhanced: String? = nil, at phase: SMTPPhase? = nil,
        detail: String? = nil, attempt: Int = 1, recovered: Bool = false, relay: OutcomeFacts.RelayState? = nil
    ) -> OutcomeFacts {
        let reply = code.map { code in [String(code), enhanced, "refused"].compactMap { $0 }.joined(separator: " ") }
        return OutcomeFacts(
            result: result, refusal: code.map { SMTPRefusal(phase: phase, code: $0, enhancedCode: enhanced) },
            phase: phase, reply: reply, transportDetail: detail, summary: "\(result.rawValue): \(reply ?? "-")",
            attempt: attempt, dueAt: due, recovered: recovered, relay: relay)
    }

    static let pause = RelayPause(
        relay: "relay:25", cause: "550 5.7.1 at MAIL FROM", since: due, until: due.addingTimeInterval(30),
        refusals: 1)
    static let free = OutcomeFacts.RelayState(name: "relay:25", pause: nil, probe: false)
    static let probing = OutcomeFacts.RelayState(name: "relay:25", pause: pause, probe: true)
    static let pausedMeanwhile = OutcomeFacts.RelayState(name: "relay:25", pause: pause, probe: false)
}

/// The decision's shape, as the table states it.
func shape(_ decision: OutcomeDecision) -> (OutcomeCase.Row, OutcomeCase.Relay) {
    let row: OutcomeCase.Row
    switch decision.record {
    case .sent: row = .sent
    case .deferred(let until, let reason): row = .deferred(reason.kind, until: until)
    case .failed(let reason, let planNext): row = .failed(reason.kind, planNext: planNext)
    case .unknown(let reason): row = .unknown(reason.kind)
    }
    let relay: OutcomeCase.Relay
    switch decision.relay {
    case .none: relay = .none
    case .paused(let pause, let started):
        relay = .paused(started: started, refusals: pause.refusals, until: pause.until)
    case .resumed: relay = .resumed
    case .probeInconclusive(let pause): relay = .probeInconclusive(until: pause.until)
    }
    return (row, relay)
}

@Suite("OutcomePolicy.decide: what a finished transfer leads to")
struct OutcomeDecisionTests {
    typealias C = OutcomeCase

    static let table: [OutcomeCase] = [
        C(name: "accepted: sent, counted", facts: C.facts(.accepted, 250, at: .endOfData), row: .sent, counts: true),
        C(
            name: "accepted as the probe of a paused relay: the pause is over",
            facts: C.facts(.accepted, 250, at: .endOfData, relay: C.probing), row: .sent, relay: .resumed,
            counts: true),
        C(
            name: "deferred (4xx): retried after the first delay",
            facts: C.facts(.deferred, 451, "4.3.0", at: .rcptTo), row: .deferred(.retrying, until: C.at(300))),
        C(
            name: "deferred without a reply (connection refused): retried",
            facts: C.facts(.deferred, detail: "curl 7: could not connect"), row: .deferred(.retrying, until: C.at(300))),
        C(
            name: "deferred past give_up_after: given up, the sequence goes on",
            facts: C.facts(.deferred, 451, attempt: 9), now: C.due.addingTimeInterval(6 * 86_400),
            row: .failed(.gaveUp, planNext: true)),
        C(
            name: "5xx at RCPT TO: the recipient bounces, the sequence stops",
            facts: C.facts(.failed, 550, "5.1.1", at: .rcptTo, relay: C.free),
            row: .failed(.recipientBounced, planNext: false), bounces: true),
        C(
            name: "5.1.1 after the final dot: the recipient bounces",
            facts: C.facts(.failed, 550, "5.1.1", at: .endOfData), row: .failed(.recipientBounced, planNext: false),
            bounces: true),
        C(
            name: "mailbox full at RCPT TO: this message fails, the lead stays mailable",
            facts: C.facts(.failed, 552, "5.2.2", at: .rcptTo), row: .failed(.messageRefused, planNext: true)),
        C(
            name: "5xx after the final dot without an enhanced code: this message fails",
            facts: C.facts(.failed, 554, at: .endOfData), row: .failed(.messageRefused, planNext: true)),
        C(
            name: "a refused message ends a pause (the relay took it past MAIL FROM)",
            facts: C.facts(.failed, 554, at: .endOfData, relay: C.pausedMeanwhile),
            row: .failed(.messageRefused, planNext: true), relay: .resumed),
        C(
            name: "5xx at MAIL FROM: the relay pauses, the send waits for it",
            facts: C.facts(.failed, 550, "5.7.1", at: .mailFrom, relay: C.free),
            row: .deferred(.relayPaused, until: C.at(30)), relay: .paused(started: true, refusals: 1, until: C.at(30))),
        C(
            name: "5xx at MAIL FROM found at start-up (pauses not tracked): retried with backoff",
            facts: C.facts(.failed, 550, "5.7.1", at: .mailFrom, recovered: true),
            row: .deferred(.retrying, until: C.at(300))),
        C(
            name: "a refused probe doubles the pause",
            facts: C.facts(.failed, 550, "5.7.1", at: .mailFrom, relay: C.probing),
            row: .deferred(.relayPaused, until: C.at(60)), relay: .paused(started: false, refusals: 2, until: C.at(60))),
        C(
            name: "a send already on its way when the pause began leaves the pause as it is",
            facts: C.facts(.failed, 550, "5.7.1", at: .mailFrom, relay: C.pausedMeanwhile),
            row: .deferred(.relayPaused, until: C.pause.until),
            relay: .paused(started: false, refusals: 1, until: C.pause.until)),
        C(
            name: "a 5xx at the greeting pauses the relay",
            facts: C.facts(.failed, 554, at: .greeting, relay: C.free),
            row: .deferred(.relayPaused, until: C.at(30)), relay: .paused(started: true, refusals: 1, until: C.at(30))),
        C(
            name: "a TLS or login error pauses the relay",
            facts: C.facts(.configurationError, detail: "curl 67: login denied", relay: C.free),
            row: .deferred(.relayPaused, until: C.at(30)), relay: .paused(started: true, refusals: 1, until: C.at(30))),
        C(
            name: "a TLS or login error where pauses are not tracked: retried",
            facts: C.facts(.configurationError, detail: "curl 67: login denied"),
            row: .deferred(.retrying, until: C.at(300))),
        C(
            name: "unknown, held: not resent, the sequence goes on, counted",
            facts: C.facts(.unknown, detail: "curl 56"), row: .unknown(.outcomeUnknown), counts: true),
        C(
            name: "unknown, resend: retried with the same Message-ID, counted",
            facts: C.facts(.unknown, detail: "curl 56"), policy: SchedulingPolicy(unknownOutcome: .resend),
            row: .deferred(.retrying, until: C.at(300)), counts: true),
        C(
            name: "a probe that proved nothing (4xx): the next probe after the same wait",
            facts: C.facts(.deferred, 421, at: .greeting, relay: C.probing),
            row: .deferred(.retrying, until: C.at(300)), relay: .probeInconclusive(until: C.at(30))),
        C(
            name: "a 4xx of a send that was not the probe leaves the pause alone",
            facts: C.facts(.deferred, 421, at: .greeting, relay: C.pausedMeanwhile),
            row: .deferred(.retrying, until: C.at(300))),
        C(
            name: "an unknown probe proved nothing either",
            facts: C.facts(.unknown, relay: C.probing), row: .unknown(.outcomeUnknown),
            relay: .probeInconclusive(until: C.at(30)), counts: true),
    ]

    @Test("phase × reply class × relay state", arguments: table)
    func decides(_ row: OutcomeCase) {
        let decision = OutcomePolicy.decide(row.facts, policy: row.policy, now: row.now)
        let (record, relay) = shape(decision)
        #expect(record == row.row)
        #expect(relay == row.relay)
        #expect(decision.bouncesRecipient == row.bounces)
        #expect(decision.countsAsSent == row.counts)
    }

    @Test("the prose is derived from the decision: the refusal's ground, reply and phase")
    func prose() {
        let bounced = OutcomePolicy.decide(
            C.facts(.failed, 550, "5.1.1", at: .rcptTo), policy: SchedulingPolicy(), now: C.now)
        #expect(
            bounced.reason?.description
                == "permanent failure: the recipient's address was refused: 550 5.1.1 refused (at RCPT TO);"
                + " the address is suppressed as bounced")
        let unknown = OutcomePolicy.decide(C.facts(.unknown), policy: SchedulingPolicy(), now: C.now)
        #expect(
            unknown.reason?.description
                == "outcome unknown: the connection was lost after the message was sent; not resent"
                + " (scheduling.unknown_outcome is hold); the sequence continues")
        let recovered = OutcomePolicy.decide(
            C.facts(.unknown, detail: "started, no reply journaled", recovered: true), policy: SchedulingPolicy(),
            now: C.now)
        #expect(recovered.reason?.description.hasPrefix("outcome unknown: started, no reply journaled;") == true)
    }

    @Test("a pause names what to fix: the relay settings for TLS/login, the account for a refusal")
    func relayFix() {
        let login = OutcomePolicy.decide(
            C.facts(.configurationError, detail: "curl 67", relay: C.free), policy: SchedulingPolicy(), now: C.now)
        #expect(login.relayFix == OutcomePolicy.fixRelaySettings)
        let sender = OutcomePolicy.decide(
            C.facts(.failed, 550, "5.7.1", at: .mailFrom, relay: C.free), policy: SchedulingPolicy(), now: C.now)
        #expect(sender.relayFix == OutcomePolicy.fixRelayAccount)
    }
}
