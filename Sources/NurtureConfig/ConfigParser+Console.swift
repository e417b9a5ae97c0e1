import Foundation
import NurtureCore
internal import Yams

/// Where the operator console finds its users and its session key (`console:`). The console is off when the
/// section is absent.
package struct ConsoleSettings: Sendable, Hashable {
    /// The users file's absolute path: `users_file` (relative to the configuration file) or the systemd
    /// credential `users_credential` (under `$CREDENTIALS_DIRECTORY`).
    package var usersFile: String
    /// The configuration key that named it, for messages (`console.users_file` or `console.users_credential`).
    package var usersKey: String
    /// The file holding the key that signs session cookies (at least 32 bytes); `nil`: a random key made at each
    /// start, so sessions end at a restart.
    package var sessionKeyFile: String?

    package init(usersFile: String, usersKey: String = "console.users_file", sessionKeyFile: String? = nil) {
        self.usersFile = usersFile
        self.usersKey = usersKey
        self.sessionKeyFile = sessionKeyFile
    }
}

extension ConfigParser {
    static let consoleKeys = ["users_file", "users_credential", "session_key_file"]

    /// The console settings; `nil` when the section is absent or cannot be used (problems say why).
    func consoleSection(_ top: Fields) -> ConsoleSettings? {
        guard let node = top["console"],
            let fields = diagnostics.fields(node, path: "console", allowed: Self.consoleKeys)
        else { return nil }
        let file = diagnostics.text(fields, "users_file", example: "console-users")
        let credential = diagnostics.text(fields, "users_credential", example: "console-users")
        var settings: ConsoleSettings
        switch (file, credential) {
        case (nil, nil):
            diagnostics.report(
                fields.node, "console", "the console has no users file",
                fix: "set `users_file: console-users` (create it with `nurture console add-user`) or"
                    + " `users_credential: NAME` under systemd; remove the section to turn the console off")
            return nil
        case (.some, .some):
            diagnostics.report(
                fields["users_credential"], fields.path("users_credential"),
                "both `users_file` and `users_credential` are set",
                fix: "keep only one: `users_credential` under systemd, `users_file` otherwise")
            return nil
        case (let file?, nil):
            settings = ConsoleSettings(usersFile: resolve(file), usersKey: "console.users_file")
            checkUsersFile(fields, key: "users_file", path: settings.usersFile)
        case (nil, let name?):
            guard !name.contains("/"), name != ".", name != "..",
                let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty
            else {
                diagnostics.report(
                    fields["users_credential"], fields.path("users_credential"),
                    "credential `\(name)` cannot be read: not a credential name, or $CREDENTIALS_DIRECTORY is not set",
                    fix: "run under systemd with LoadCredential=\(name):/path/to/console-users, or use `users_file`")
                return nil
            }
            settings = ConsoleSettings(usersFile: directory + "/" + name, usersKey: "console.users_credential")
        }
        if let keyFile = diagnostics.text(fields, "session_key_file", example: "console-session-key") {
            settings.sessionKeyFile = resolve(keyFile)
            checkSecretFile(fields, key: "session_key_file", path: resolve(keyFile))
        }
        return settings
    }

    /// A users file that does not exist yet is a warning (the console lets no one in until a user is added); one
    /// that others can read is an error: it holds password hashes.
    private func checkUsersFile(_ fields: Fields, key: String, path: String) {
        guard FileManager.default.fileExists(atPath: path) else {
            diagnostics.warn(
                fields[key], fields.path(key), "the users file \(path) does not exist, so nobody can log in",
                fix: "create a user: `nurture console add-user NAME --role admin --users-file \(path)`")
            return
        }
        checkSecretFile(fields, key: key, path: path)
    }

    /// A file of secrets readable by the group or everyone is an error naming the fix.
    private func checkSecretFile(_ fields: Fields, key: String, path: String) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int else {
            diagnostics.report(
                fields[key], fields.path(key), "\(path) cannot be read", fix: "create the file or fix the path")
            return
        }
        if mode & 0o077 != 0 {
            diagnostics.report(
                fields[key], fields.path(key),
                "\(path) can be read or written by other users (mode \(String(mode, radix: 8)))",
                fix: "chmod 600 \(path)")
        }
    }
}
