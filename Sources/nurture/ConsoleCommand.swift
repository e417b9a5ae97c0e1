import ArgumentParser
import Foundation
import NurtureHTTP

#if canImport(Glibc)
    import Glibc
#endif

/// `nurture console`: the operator console's users.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Manage the operator console's users.",
        subcommands: [AddUser.self])

    /// `nurture console add-user NAME --role admin|viewer --users-file PATH`.
    struct AddUser: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-user",
            abstract: "Add a console user, or replace the password and role of one, in the users file.",
            discussion: """
                Reads the password from standard input (one line; at least 12 characters) and writes the line \
                `NAME:ROLE:BCRYPT-HASH` to the users file, replacing the user's line if there is one. A new file \
                is created readable by its owner only (0600). The daemon reads the file at every login, so the \
                change applies at once. Example: `printf '%s\\n' "$PASSWORD" | nurture console add-user ana \
                --role admin --users-file /etc/nurture/console-users`.
                """)

        @Argument(help: "The user name: letters, digits, `.`, `_`, `-` or `@`.") var name: String

        @Option(help: ArgumentHelp("admin (reads and acts) or viewer (reads only).", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp("The users file (console.users_file in the configuration).", valueName: "path"))
        var usersFile: String

        func validate() throws {
            guard ConsoleUsers.isValidName(name) else {
                throw ValidationError("`\(name)` is not a user name: use letters, digits, `.`, `_`, `-` or `@`")
            }
            guard ConsoleRole(rawValue: role) != nil else {
                throw ValidationError("--role \(role): use admin or viewer")
            }
        }

        func run() throws {
            guard let password = readLine(strippingNewline: true), password.count >= 12 else {
                printError("give the password on standard input, one line of at least 12 characters")
                throw ExitCode.failure
            }
            let manager = FileManager.default
            var existing = ""
            if manager.fileExists(atPath: usersFile) {
                guard let data = manager.contents(atPath: usersFile) else {
                    printError("\(usersFile) cannot be read; check its owner and mode")
                    throw ExitCode.failure
                }
                existing = String(decoding: data, as: UTF8.self)
                do {
                    _ = try ConsoleUsers.parse(existing, file: usersFile)
                } catch {
                    printError("\(error)")
                    throw ExitCode.failure
                }
            }
            let user = ConsoleUser(
                name: name, role: ConsoleRole(rawValue: role) ?? .viewer, hash: ConsoleUsers.hash(password))
            let text = ConsoleUsers.upsert(user, into: existing)
            // Written beside the file, 0600, then moved over it: a reader sees the old file or the new one.
            let temporary = usersFile + ".tmp-\(getpid())"
            guard
                manager.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else {
                printError("cannot write \(temporary); check the directory's permissions")
                throw ExitCode.failure
            }
            guard rename(temporary, usersFile) == 0 else {
                try? manager.removeItem(atPath: temporary)
                printError("cannot replace \(usersFile): \(String(cString: strerror(errno)))")
                throw ExitCode.failure
            }
            print(
                "\(existing.contains("\n\(name):") || existing.hasPrefix("\(name):") ? "updated" : "added") console user \(name) (\(role)) in \(usersFile)"
            )
        }
    }
}
