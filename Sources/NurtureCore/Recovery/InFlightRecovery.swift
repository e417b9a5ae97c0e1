/// What to do at start-up with a send the store still has `in-flight`: claimed by a daemon that stopped
/// before it recorded the outcome.
///
/// The store alone cannot tell a send that never left from one the relay accepted. The transfer journal
/// (written beside the store, surviving a process crash through the page cache, without a sync to disk)
/// can: a `started` record is written right before the first byte of the body goes out (after the relay's
/// `354`), a `replied` record right after the transfer's outcome is known. ``decide(journal:evidence:)``
/// turns those facts into a decision; the daemon carries it out before it claims anything.
///
/// Generic over the outcome type so the decision stays in the core (the SMTP layer defines the outcome).
package enum InFlightRecovery<Outcome: Sendable & Equatable>: Sendable, Equatable {
    /// Nothing of the message reached the relay: the row goes back to waiting (its previous waiting state and
    /// next attempt time), no attempt counted.
    case requeue
    /// The transfer finished before the daemon stopped: record this outcome as a live transfer's would be.
    case record(Outcome)
    /// The body may have reached the relay and no final reply was recorded.
    case unknown(UnknownCause)

    /// Why a recovered send is `unknown`.
    package enum UnknownCause: Sendable, Equatable, CustomStringConvertible {
        /// The journal shows the body going out and no reply after it.
        case startedWithoutReply
        /// The journal cannot be trusted to show every transfer (see ``JournalStanding``): every in-flight send
        /// is treated as possibly delivered.
        case noJournal(JournalStanding)

        package var description: String {
            switch self {
            case .startedWithoutReply:
                "the message body went to the relay and the daemon stopped before its final reply"
            case .noJournal(let standing):
                "the transfer journal \(standing), so the daemon cannot tell whether the message left"
            }
        }
    }

    /// The decision for one in-flight send.
    /// - Parameters:
    ///   - journal: whether the journal belongs to this boot and this store.
    ///   - evidence: what the journal recorded for the send's current attempt.
    package static func decide(journal: JournalStanding, evidence: TransferEvidence<Outcome>) -> Self {
        guard journal == .trusted else { return .unknown(.noJournal(journal)) }
        switch evidence {
        case .none: return .requeue
        case .started: return .unknown(.startedWithoutReply)
        case .replied(let outcome): return .record(outcome)
        }
    }
}

/// What the transfer journal recorded for one attempt of one send.
package enum TransferEvidence<Outcome: Sendable & Equatable>: Sendable, Equatable {
    /// No record: the body never started to go out.
    case none
    /// The body was about to go out (the relay had answered `DATA` with `354`); no outcome after it.
    case started
    /// The transfer ended with this outcome (written before the outcome's durable commit). A refusal before the
    /// body (e.g. at `RCPT`) has a reply without a `started` record.
    case replied(Outcome)
}

/// Whether the transfer journal found at start-up shows every transfer of the daemon that stopped.
package enum JournalStanding: Sendable, Hashable, CustomStringConvertible {
    /// Written during this boot for this store: it survived a process crash whole (the page cache keeps it).
    case trusted
    /// There is no journal file (first start with a journal, or it was removed).
    case missing
    /// It was written before the machine last booted: a power loss or a crash of the system may have lost its
    /// last records, which never reached the disk.
    case otherBoot
    /// It belongs to another store file (the store was replaced or restored).
    case otherStore
    /// A header or record is damaged or cut short.
    case damaged

    package var description: String {
        switch self {
        case .trusted: "is intact"
        case .missing: "is missing"
        case .otherBoot: "was written before the last boot (its newest records may not have reached the disk)"
        case .otherStore: "belongs to another store file"
        case .damaged: "is damaged"
        }
    }
}
