import Foundation

/// Runs the built `nurture` binary and captures what it prints.
enum CLIRunner {
    /// The package root (two levels above this file's folder).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// What one run printed and how it ended.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `nurture` executable: `$NURTURE_BINARY`, else next to the running test bundle (the products
    /// directory), else the newest `.build*/*/nurture` under the package root.
    static let binary: URL? = {
        let manager = FileManager.default
        if let path = ProcessInfo.processInfo.environment["NURTURE_BINARY"], manager.isExecutableFile(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        directories.append(Bundle.main.bundleURL)
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let argument = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: argument).deletingLastPathComponent())
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("nurture")
            if manager.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let builds =
            (try? manager.contentsOfDirectory(atPath: packageRoot.path))?.filter { $0.hasPrefix(".build") } ?? []
        let candidates = builds.flatMap { build in
            ["debug", "release"].map { packageRoot.appendingPathComponent("\(build)/\($0)/nurture") }
        }.filter { manager.isExecutableFile(atPath: $0.path) }
        return candidates.max { lhs, rhs in modified(lhs) < modified(rhs) }
    }()

    private static func modified(_ url: URL) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Runs `nurture` with `arguments` in `directory` (the package root by default), writing `input` to its
    /// standard input when given (e.g. a password for `console add-user`).
    static func run(_ arguments: [String], input: String? = nil, in directory: URL = packageRoot) throws -> Result {
        guard let binary else { throw CLIRunnerError.binaryNotFound }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "CREDENTIALS_DIRECTORY")
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs `body` with a copy of the shipped config and templates whose store lives in the copy's `state/`
    /// folder, and a function that runs `nurture` there with that configuration.
    static func withStatefulCopy(_ body: (URL, ([String]) throws -> Result) throws -> Void) throws {
        try withCopy { root in
            let state = root.appendingPathComponent("state").path
            try edit("config/nurture.yaml", in: root, replacing: "  directory: ../state", with: "  directory: \(state)")
            try body(root) { arguments in try run(arguments + ["--config", "config/nurture.yaml"], in: root) }
        }
    }

    /// Runs `body` with a temporary copy of `config/` and `templates/`, removed afterwards.
    static func withCopy<T>(_ body: (URL) throws -> T) throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for folder in ["config", "templates"] {
            try FileManager.default.copyItem(
                at: packageRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        return try body(root)
    }

    /// Replaces the first `old` with `new` in the file at `relative` under `root`.
    static func edit(_ relative: String, in root: URL, replacing old: String, with new: String) throws {
        let url = root.appendingPathComponent(relative)
        let text = try String(contentsOf: url, encoding: .utf8)
        guard let range = text.range(of: old) else { throw CLIRunnerError.textNotFound(old, relative) }
        try text.replacingCharacters(in: range, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Decodes a quoted-printable body well enough for assertions (soft breaks and =XX escapes).
    static func decodeQuotedPrintable(_ text: String) -> String {
        let joined = text.replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        var iterator = Array(joined.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "=") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { continue }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a CLI test could not run.
enum CLIRunnerError: Error, CustomStringConvertible {
    case binaryNotFound
    case textNotFound(String, String)
    case daemonDidNotListen(String)

    var description: String {
        switch self {
        case .binaryNotFound:
            return "cannot find the nurture executable; build it (swift build) or set NURTURE_BINARY to its path"
        case .textNotFound(let text, let file): return "\(file) no longer contains \(text.debugDescription)"
        case .daemonDidNotListen(let log): return "the daemon logged no http_listening line; its log:\n\(log)"
        }
    }
}
