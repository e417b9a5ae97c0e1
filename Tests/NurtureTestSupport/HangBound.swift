/// The bound for a duration timed with a clock read in a test task, there only to catch a wait that never ends.
///
/// Such a clock also counts the time the task waits for a thread of Swift's cooperative pool. On a 2-core runner,
/// with the whole suite alongside, that wait reached 46 s in CI. So the bound is far above that, and far below the
/// hour-long sleeps and timeouts that these tests cancel. To time what the product does, measure on the peer's
/// side instead, as `SMTPSinkTransportTests` does at its `LoopbackSwitch` (README, "Writing a test that blocks").
package let hangBound = Duration.seconds(300)
