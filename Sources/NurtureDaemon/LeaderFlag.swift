import Synchronization

/// Whether this daemon holds the leader lease, shared by the cluster loop (which sets it), the scheduler (which
/// plans enrollments only as the leader) and the mailbox watchers (which poll only on the leader). A daemon that
/// owns its store alone is always the leader.
package final class LeaderFlag: Sendable {
    private let value: Atomic<Bool>

    package init(_ isLeader: Bool) {
        value = Atomic(isLeader)
    }

    package var isLeader: Bool { value.load(ordering: .acquiring) }

    /// Sets the flag; returns whether it changed.
    @discardableResult
    package func set(_ isLeader: Bool) -> Bool {
        value.exchange(isLeader, ordering: .acquiringAndReleasing) != isLeader
    }
}
