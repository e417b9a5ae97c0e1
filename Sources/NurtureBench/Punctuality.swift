/// `nurture-bench punctuality` (filled in later).
enum PunctualityCommand {
    /// Runs the subcommand; returns the exit status.
    static func main(_ arguments: [String]) async -> Int32 { 64 }
}
