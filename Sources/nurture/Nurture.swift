import ArgumentParser

/// The `nurture` command: the daemon and the operator's tools.
@main
struct Nurture: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurture",
        abstract: "Sends lead-nurture email sequences on schedule.",
        subcommands: [
            CheckCommand.self, RenderCommand.self, SendTestCommand.self, RunCommand.self, LeadsCommand.self,
            LogCommand.self, StatusCommand.self, WhyCommand.self, InboundCommand.self, StoreCommand.self,
            DKIMCommand.self,
            ConsoleCommand.self,
        ]
    )
}
