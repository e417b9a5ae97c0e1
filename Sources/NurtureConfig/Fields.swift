internal import Yams

/// A YAML mapping being read: its node, its field path, and its entries by key.
struct Fields {
    /// The mapping node itself (its mark places "missing key" problems).
    let node: Node
    /// The mapping's field path, e.g. `sequences[1]`.
    let path: String
    /// Key node and value node by key text.
    let entries: [String: (key: Node, value: Node)]

    /// The path of a key below this mapping, e.g. `sequences[1].steps`.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The value node at `key`, or `nil` when absent or YAML null (`key:` with nothing after it).
    subscript(key: String) -> Node? {
        guard let value = entries[key]?.value else { return nil }
        return value.null == nil ? value : nil
    }

    /// Whether the key is written at all.
    func has(_ key: String) -> Bool { self[key] != nil }
}
