import Foundation
internal import HummingbirdBcrypt

/// What a console user may do.
package enum ConsoleRole: String, Sendable, Hashable, CaseIterable {
    /// Reads every page and takes the actions.
    case admin
    /// Reads every page; takes no action.
    case viewer
}

/// One console user: a name, a role and a bcrypt hash of the password.
package struct ConsoleUser: Sendable, Hashable {
    package var name: String
    package var role: ConsoleRole
    package var hash: String

    package init(name: String, role: ConsoleRole, hash: String) {
        self.name = name
        self.role = role
        self.hash = hash
    }

    /// The users file's line for this user.
    package var line: String { "\(name):\(role.rawValue):\(hash)" }
}

/// The console's users file: one user a line, `username:role:hash` (role `admin` or `viewer`, hash a bcrypt hash
/// `$2b$…`), `#` comments and blank lines allowed.
package enum ConsoleUsers {
    /// A line that cannot be read: the file, the line number and what to do.
    package struct Problem: Error, Sendable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var message: String
        package var description: String { "\(file):\(line): \(message)" }
    }

    /// Whether `name` can be a user name: 1–64 letters, digits, `.`, `_`, `-`, `@`.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-@".unicodeScalars.contains($0))
            }
    }

    /// The users in `text` (the contents of `file`).
    package static func parse(_ text: String, file: String) throws(Problem) -> [ConsoleUser] {
        var users: [ConsoleUser] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            let fix = "write `username:admin|viewer:$2b$...` (make lines with `nurture console add-user`)"
            guard parts.count == 3 else {
                throw Problem(file: file, line: index + 1, message: "not `username:role:hash`; \(fix)")
            }
            guard isValidName(parts[0]) else {
                throw Problem(
                    file: file, line: index + 1,
                    message: "user name `\(parts[0])` is not letters, digits, `.`, `_`, `-` or `@`; \(fix)")
            }
            guard let role = ConsoleRole(rawValue: parts[1]) else {
                throw Problem(file: file, line: index + 1, message: "role `\(parts[1])` is not admin or viewer; \(fix)")
            }
            guard isBcryptHash(parts[2]) else {
                throw Problem(
                    file: file, line: index + 1,
                    message: "the hash of `\(parts[0])` is not a bcrypt hash ($2b$…); \(fix)")
            }
            if users.contains(where: { $0.name == parts[0] }) {
                throw Problem(file: file, line: index + 1, message: "user `\(parts[0])` is listed twice; keep one line")
            }
            users.append(ConsoleUser(name: parts[0], role: role, hash: parts[2]))
        }
        return users
    }

    /// Reads and parses the users file at `path`; a file others can read is refused.
    package static func load(path: String) throws(Problem) -> [ConsoleUser] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, line: 0, message: "cannot be read; create it with `nurture console add-user`")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            mode & 0o077 != 0
        {
            throw Problem(file: path, line: 0, message: "other users can read it; chmod 600 \(path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// `text` with `user`'s line replaced (or appended when new), comments kept.
    package static func upsert(_ user: ConsoleUser, into text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if let index = lines.firstIndex(where: { $0.hasPrefix(user.name + ":") }) {
            lines[index] = user.line
        } else {
            lines.append(user.line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `$2a$`/`$2b$`/`$2y$`, a two-digit cost, and 53 characters of salt and hash.
    static func isBcryptHash(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 60, text.hasPrefix("$2"), ["a", "b", "y"].contains(String(scalars[2])),
            scalars[3] == "$", scalars[6] == "$"
        else { return false }
        return true
    }

    /// A bcrypt hash of `password` (cost 12).
    package static func hash(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }

    /// Whether `password` matches `hash`.
    package static func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A hash that no password matches, checked when the user does not exist so both paths take as long.
    static let decoyHash = Bcrypt.hash(UUID().uuidString, cost: 12)
}
