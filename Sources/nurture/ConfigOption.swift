import ArgumentParser

/// The `--config FILE` option shared by `check` and `render`.
struct ConfigOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file; relative paths inside it are relative to its folder.",
            valueName: "file"))
    var config: String = "config/nurture.yaml"
}
