import NurtureDaemon
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real signals sent to the test process itself. Serialized: two sources for one signal would both fire.
@Suite(.serialized) struct SignalEventsTests {
    @Test func signalsArriveOnTheStream() async throws {
        let events = SignalEvents()
        kill(getpid(), SIGHUP)
        kill(getpid(), SIGTERM)
        kill(getpid(), SIGINT)
        var received: Set<ProcessSignal> = []
        var iterator = events.signals.makeAsyncIterator()
        while received.count < 3 {
            let next = try #require(await iterator.next())
            received.insert(next)
        }
        #expect(received == [.reload, .terminate, .interrupt])
    }

    @Test func signalsArriveAtTheHandler() async throws {
        let seen = Mutex<[ProcessSignal]>([])
        let events = SignalEvents([.reload]) { signal in seen.withLock { $0.append(signal) } }
        kill(getpid(), SIGHUP)
        for _ in 0..<200 where seen.withLock({ $0.isEmpty }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(seen.withLock { $0 } == [.reload])
        withExtendedLifetime(events) {}
    }

    /// Dispatch installs its forwarding handler only for the first source of a signal; a later instance
    /// must not replace it with SIG_IGN, or the signal is discarded (this failed before the fix).
    @Test func aLaterInstanceStillReceivesSignals() async throws {
        for _ in 0..<3 {
            let events = SignalEvents([.reload])
            kill(getpid(), SIGHUP)
            var iterator = events.signals.makeAsyncIterator()
            #expect(await iterator.next() == .reload)
        }
    }

    @Test func theStreamFinishesWhenReleased() async {
        var events: SignalEvents? = SignalEvents([.reload])
        let stream = events!.signals
        events = nil
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == nil)
    }

    @Test func signalNumbers() {
        #expect(ProcessSignal.terminate.signalNumber == SIGTERM)
        #expect(ProcessSignal.interrupt.signalNumber == SIGINT)
        #expect(ProcessSignal.reload.signalNumber == SIGHUP)
        #expect(ProcessSignal.reload.description == "SIGHUP")
    }
}
