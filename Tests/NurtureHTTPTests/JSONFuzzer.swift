import Foundation

/// A seeded generator of JSON-ish request bodies: well-formed objects with fields of every type, mutations of
/// valid bodies (cut, spliced, flipped bytes), deep nesting, odd Unicode, and raw bytes.
struct JSONFuzzer: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }

    /// xorshift64*: fast and reproducible from the seed.
    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }

    mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    static let keys = [
        "email", "first_name", "last_name", "company", "title", "time_zone", "stage", "source", "owner",
        "qualification", "attributes", "type", "criteria", "budget", "vision", "unsubscribed", "__proto__", "",
    ]
    static let strings = [
        "ana@example.com", "a@b", "@", "", " ", "lead", "sales-qualified", "priya", "marco", "Europe/Berlin",
        "Mars/Base", "yes", "no", "unknown", "x\r\nBcc: evil@example.com", "\u{0}", "\u{202E}gnp.exe", "😀",
        "ana@example.com\r\nRCPT TO:<x@y>", "<script>alert(1)</script>", String(repeating: "a", count: 1200),
        "stage", "reply", "unsubscribe", "owner", "qualification", "bounce", "recycle",
    ]

    mutating func value(depth: Int) -> String {
        switch int(0..<(depth > 3 ? 5 : 8)) {
        case 0: return "null"
        case 1: return pick(["true", "false"])
        case 2: return pick(["0", "-1", "1e308", "1e999", "3.14", "-0", "12345678901234567890123"])
        case 3, 4: return quoted(pick(Self.strings))
        case 5: return "[" + (0..<int(0..<4)).map { _ in value(depth: depth + 1) }.joined(separator: ",") + "]"
        default: return object(depth: depth + 1)
        }
    }

    mutating func object(depth: Int) -> String {
        let count = int(0..<6)
        let members = (0..<count).map { _ in quoted(pick(Self.keys)) + ":" + value(depth: depth) }
        return "{" + members.joined(separator: ",") + "}"
    }

    func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// A body that follows the schema (an intake or an event with plausible values), with one value in five
    /// replaced by a generated one.
    mutating func schemaBody() -> String {
        func field(_ name: String, _ good: [String]) -> String {
            quoted(name) + ":" + (int(0..<5) == 0 ? value(depth: 2) : quoted(pick(good)))
        }
        if int(0..<2) == 0 {
            var members = [field("email", ["ana@example.com", "b.c@example.org", "x+tag@sub.example.net"])]
            let optional: [(String, [String])] = [
                ("first_name", ["Ana", "Zoë", "李"]), ("company", ["Globex", "O'Reilly & Sons"]),
                ("stage", ["lead", "subscriber", "sales-qualified", "customer"]), ("source", ["inbound", "outbound"]),
                ("owner", ["priya", "marco", "lena"]), ("time_zone", ["Europe/Berlin", "America/Chicago", "UTC"]),
            ]
            for (name, good) in optional where int(0..<2) == 0 { members.append(field(name, good)) }
            if int(0..<3) == 0 {
                members.append(quoted("qualification") + ":{" + field("budget", ["yes", "no"]) + "}")
            }
            if int(0..<3) == 0 { members.append(quoted("attributes") + ":{" + field("plan", ["pro", "free"]) + "}") }
            return "{" + members.shuffled(using: &self).joined(separator: ",") + "}"
        }
        switch pick(["stage", "owner", "qualification", "reply", "bounce", "unsubscribe", "recycle"]) {
        case "stage": return "{" + field("type", ["stage"]) + "," + field("stage", ["lead", "sales-qualified"]) + "}"
        case "owner": return "{" + field("type", ["owner"]) + "," + field("owner", ["priya", "marco"]) + "}"
        case "qualification":
            return "{" + field("type", ["qualification"]) + "," + quoted("criteria") + ":{" + field("need", ["yes"])
                + "}}"
        case let type: return "{" + field("type", [type]) + "}"
        }
    }

    /// One body.
    mutating func body() -> [UInt8] {
        switch int(0..<13) {
        case 10...12: return Array(schemaBody().utf8)
        case 0...3: return Array(object(depth: 0).utf8)
        case 4...6:
            var bytes = Array(object(depth: 0).utf8)
            for _ in 0..<int(1..<4) where !bytes.isEmpty {
                let at = int(0..<bytes.count)
                switch int(0..<3) {
                case 0: bytes.removeSubrange(at..<min(bytes.count, at + int(1..<8)))
                case 1: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
                default: bytes[at] = pick(Array("{}[]\":,\\0en".utf8))
                }
            }
            return bytes
        case 7:
            let depth = int(1..<3000)
            return Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        case 8:
            let depth = int(1..<3000)
            return Array((String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)).utf8)
        default: return (0..<int(0..<64)).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
    }
}
