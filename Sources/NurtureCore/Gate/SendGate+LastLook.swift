package import Foundation

extension SendGate {
    /// The look at a checked send right before its body may go out. Between the checks and the transfer the send
    /// waited for its due time and a free connection; a change made meanwhile — the lead unsubscribed, suppressed,
    /// bounced, moved to another stage or removed, its enrollment ended or paused, through this daemon's API,
    /// another daemon's, an inbound message or the command line — stops it here rather than after it went out.
    /// Only the first rungs (``screen(_:policy:now:)``) run again over the facts read afresh: the later rungs'
    /// limits and gap were reserved by the checks and still hold.
    /// - Returns: the verdict that stops the send, `nil` when it may go.
    package static func lastLook(_ facts: SendFacts, policy: SendPolicy, now: Date) -> SendVerdict? {
        switch screen(facts, policy: policy, now: now) {
        case .stop(let verdict): verdict
        case .pass: nil
        }
    }
}
