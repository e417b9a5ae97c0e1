import Dispatch
import Synchronization

extension IMAPMailbox {
    /// Waits up to `timeout` for the server to announce new mail in the folder, with IMAP IDLE on a connection of
    /// its own (opened and closed per call, so status and fetch calls are not held up).
    ///
    /// `true` when the server announced a message (`* n EXISTS`) — read the folder now; `false` after `timeout`,
    /// on cancellation, or when the server cannot be watched (unreachable, refused, no IDLE): then this waits out
    /// the timeout first, so a caller that polls after every return keeps its pace. Mail that arrived just before
    /// the call is not announced: poll after every return, whatever it was.
    package func waitForNewMail(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        guard case .success(let command) = command else {
            try? await Task.sleep(until: deadline)
            return false
        }
        // Cancellation ends the wait at once: the blocking side may be inside libcurl's connect and log-in, which
        // cannot be interrupted, so its outcome is dropped when it comes (it stops at its next quarter-second look).
        let wait = IdleWait()
        let outcome: IMAPIdle.Outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                wait.begin(continuation)
                idleQueue.async {
                    wait.finish(
                        IMAPIdle.wait(
                            login: self.login, url: command.serverURL, folder: command.folderQuoted, until: deadline,
                            stop: { wait.stopRequested }))
                }
            }
        } onCancel: {
            wait.finish(.quiet)
        }
        if outcome == .unavailable { try? await Task.sleep(until: deadline) }
        return outcome == .newMail
    }
}

/// The IDLE dialogue (RFC 2177) over a raw connection: EXAMINE the folder (read-only: nothing changes), IDLE,
/// wait for `* n EXISTS`, DONE.
enum IMAPIdle {
    enum Outcome: Equatable {
        case newMail
        case quiet
        /// Could not connect, log in, select or idle.
        case unavailable
    }

    /// Runs one IDLE until new mail, `deadline` or `stop()`. Blocks: call it off the cooperative pool.
    static func wait(
        login: CurlIMAPLogin, url: String, folder: String, until deadline: ContinuousClock.Instant,
        stop: () -> Bool
    ) -> Outcome {
        guard let connection = CurlIMAPRawConnection(login: login), connection.open(url: url) == nil else {
            return .unavailable
        }
        let replyDeadline = min(deadline, ContinuousClock.now + login.commandTimeout)
        guard connection.send("N1 EXAMINE \(folder)"),
            reply(to: "N1", on: connection, until: replyDeadline, stop: stop) == true,
            connection.send("N2 IDLE")
        else { return .unavailable }
        // The server answers IDLE with a continuation (`+ idling`) or refuses with `N2 NO/BAD`.
        var idling = false
        while !idling {
            switch connection.readLine(until: replyDeadline, stop: stop) {
            case .line(let line) where line.hasPrefix("+"): idling = true
            case .line(let line) where line.hasPrefix("N2 "): return .unavailable
            case .line: continue
            case .timedOut, .closed: return .unavailable
            }
        }
        var outcome = Outcome.quiet
        waiting: while true {
            switch connection.readLine(until: deadline, stop: stop) {
            case .line(let line) where isExists(line):
                outcome = .newMail
                break waiting
            case .line: continue
            case .timedOut: break waiting
            case .closed: return .unavailable
            }
        }
        if connection.send("DONE") {
            _ = reply(to: "N2", on: connection, until: ContinuousClock.now + .seconds(2), stop: { false })
        }
        return outcome
    }

    /// Reads until the tagged reply to `tag`: `true` for OK, `false` for NO/BAD, `nil` when none came in time.
    private static func reply(
        to tag: String, on connection: CurlIMAPRawConnection, until deadline: ContinuousClock.Instant,
        stop: () -> Bool
    ) -> Bool? {
        while true {
            guard case .line(let line) = connection.readLine(until: deadline, stop: stop) else { return nil }
            if line.hasPrefix(tag + " ") { return line.dropFirst(tag.count + 1).uppercased().hasPrefix("OK") }
        }
    }

    /// `* 12 EXISTS`.
    static func isExists(_ line: String) -> Bool {
        let words = line.split(separator: " ")
        return words.count == 3 && words[0] == "*" && UInt32(words[1]) != nil && words[2].uppercased() == "EXISTS"
    }
}

/// One IDLE wait: the continuation to resume, once, with whichever comes first — the blocking side's outcome or the
/// cancellation. The blocking loop reads `stopRequested` every quarter second.
private final class IdleWait: Sendable {
    private struct State {
        var continuation: CheckedContinuation<IMAPIdle.Outcome, Never>?
        var finished: IMAPIdle.Outcome?
    }
    private let state = Mutex(State())

    var stopRequested: Bool { state.withLock { $0.finished != nil } }

    func begin(_ continuation: CheckedContinuation<IMAPIdle.Outcome, Never>) {
        let early = state.withLock { state -> IMAPIdle.Outcome? in
            if let finished = state.finished { return finished }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(returning: early) }
    }

    func finish(_ outcome: IMAPIdle.Outcome) {
        let continuation = state.withLock { state -> CheckedContinuation<IMAPIdle.Outcome, Never>? in
            guard state.finished == nil else { return nil }
            state.finished = outcome
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: outcome)
    }
}
