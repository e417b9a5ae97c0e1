/// Which header fields a signature covers (`h=`), and which instances of them go into the hash
/// (RFC 6376 section 5.4.2). Pure.
package enum DKIMHeaderSelection {
    /// The fields signed when present, in the order they are listed in `h=`.
    package static let signedNames = [
        "from", "to", "subject", "date", "message-id", "reply-to", "mime-version", "content-type",
        "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post", "in-reply-to", "references",
    ]

    /// The fields listed once more than they occur, so that no second copy can be added without breaking the
    /// signature (an over-signed name matches no field and contributes nothing to the hash).
    package static let overSignedNames: Set<String> = [
        "from", "to", "subject", "date", "list-unsubscribe", "list-unsubscribe-post",
    ]

    /// The `h=` list for a message whose fields have these names: every ``signedNames`` entry present, as many
    /// times as it occurs, plus once more when over-signed. Lower-case.
    package static func names(present: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for name in present { counts[name.lowercased(), default: 0] += 1 }
        var result: [String] = []
        for name in signedNames {
            guard let count = counts[name], count > 0 else { continue }
            let times = count + (overSignedNames.contains(name) ? 1 : 0)
            result += Array(repeating: name, count: times)
        }
        return result
    }

    /// The fields to hash, in `h=` order: for each listed name the last instance not yet used, from the
    /// bottom of the header up; a name with no instance left contributes nothing.
    package static func select(_ names: [String], from fields: [DKIMHeaderField]) -> [DKIMHeaderField] {
        var used = Set<Int>()
        var result: [DKIMHeaderField] = []
        for name in names {
            let lowered = name.lowercased()
            guard
                let index = fields.indices.reversed().first(where: {
                    !used.contains($0) && fields[$0].lowercasedName == lowered
                })
            else { continue }
            used.insert(index)
            result.append(fields[index])
        }
        return result
    }
}
