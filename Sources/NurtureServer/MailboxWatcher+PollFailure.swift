package import NurtureCore
package import NurtureSMTP

extension MailboxWatcher {
    /// Why a poll ended early, in words for the cursor, `status` and the log (never a password or token).
    package enum PollFailure: Error, Sendable, CustomStringConvertible {
        case mailbox(MailboxError)
        case store(StoreError)
        case message(uid: UInt32, problem: String)

        package var description: String {
            switch self {
            case .mailbox(let error): "\(error)"
            case .store(let error): "store: \(error)"
            case .message(let uid, let problem): "message UID \(uid) not processed (tried again next poll): \(problem)"
            }
        }
    }
}
