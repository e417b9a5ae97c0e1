/// `--name value` pairs of a subcommand's command line.
struct Flags {
    private var values: [String: String] = [:]

    /// Parses `arguments`; prints what is wrong (with `usage`) and returns `nil` when a flag has no value, a
    /// required one is missing, or (with `allowed`) one is not known.
    static func parse(_ arguments: [String], usage: String, required: [String], allowed: [String]? = nil) -> Flags? {
        var flags = Flags()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard flag.hasPrefix("--"), let value = rest.popFirst() else {
                printError("\(flag): expected --name value\n\(usage)")
                return nil
            }
            if let allowed, !allowed.contains(flag) {
                printError("unknown option \(flag)\n\(usage)")
                return nil
            }
            flags.values[flag] = value
        }
        for name in required where flags.values[name] == nil {
            printError("\(name) is required\n\(usage)")
            return nil
        }
        return flags
    }

    /// The value of `name`, if given.
    subscript(name: String) -> String? { values[name] }

    /// The value of `name` as a positive whole number; prints the problem and returns `nil` otherwise.
    func positiveInt(_ name: String) -> Int? {
        guard let text = values[name], let number = Int(text), number > 0 else {
            printError("\(name) \(values[name] ?? "") is not a positive whole number")
            return nil
        }
        return number
    }

    /// The value of `name` as a number, if given and valid.
    func double(_ name: String) -> Double? { values[name].flatMap(Double.init) }
}
