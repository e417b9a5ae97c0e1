import NurtureCore
import Testing

/// The start-up decision for a send left in flight: every journal standing × every kind of evidence.
@Suite struct InFlightRecoveryTests {
    /// A stand-in outcome (the SMTP layer's is not visible to the core).
    struct Reply: Sendable, Equatable {
        var code: Int
    }

    typealias Recovery = InFlightRecovery<Reply>

    static let evidence: [TransferEvidence<Reply>] = [
        .none, .started, .replied(Reply(code: 250)), .replied(Reply(code: 451)), .replied(Reply(code: 550)),
    ]

    @Test(
        "a trusted journal decides exactly: no record → waiting again, started → unknown, replied → that outcome",
        arguments: [
            (TransferEvidence<Reply>.none, Recovery.requeue),
            (.started, .unknown(.startedWithoutReply)),
            (.replied(Reply(code: 250)), .record(Reply(code: 250))),
            (.replied(Reply(code: 451)), .record(Reply(code: 451))),
            (.replied(Reply(code: 550)), .record(Reply(code: 550))),
        ])
    func trustedJournal(evidence: TransferEvidence<Reply>, expected: Recovery) {
        #expect(Recovery.decide(journal: .trusted, evidence: evidence) == expected)
    }

    @Test(
        "a journal that is missing, from another boot or store, or damaged proves nothing: every send is unknown",
        arguments: [JournalStanding.missing, .otherBoot, .otherStore, .damaged])
    func untrustedJournal(standing: JournalStanding) {
        for evidence in Self.evidence {
            #expect(Recovery.decide(journal: standing, evidence: evidence) == .unknown(.noJournal(standing)))
        }
    }

    @Test("the unknown causes explain themselves to an operator")
    func causesAreExplained() {
        #expect(Recovery.UnknownCause.startedWithoutReply.description.contains("before its final reply"))
        #expect(Recovery.UnknownCause.noJournal(.otherBoot).description.contains("before the last boot"))
        #expect(Recovery.UnknownCause.noJournal(.missing).description.contains("is missing"))
    }
}
