/// A parsed Prometheus text exposition: the families' types and HELP text, and every sample's value by series
/// (name and sorted labels). `le` is read as a number, so `le="1"` and `le="1.0"` are the same bucket, as for
/// Prometheus itself.
struct Exposition {
    var types: [String: String] = [:]
    var help: [String: String] = [:]
    var samples: [String: Double] = [:]
    /// Label names by family (the sample names `_bucket`, `_sum` and `_count` belong to their histogram).
    var labelNames: [String: Set<[String]>] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst("# HELP ".count)
                let name = String(rest.prefix { $0 != " " })
                help[name] = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                types[String(parts[2])] = String(parts[3])
            } else if !line.isEmpty {
                let (series, labels, family) = Self.series(line)
                let value = String(line.split(separator: " ").last ?? "")
                samples[series] = Double(value)
                labelNames[family, default: []].insert(labels.map(\.0).filter { $0 != "le" })
            }
        }
    }

    /// `name{a="x",b="y"} 1` → the series key, its labels and its family.
    static func series(_ line: String) -> (String, [(String, String)], String) {
        let head = line.prefix { $0 != " " && $0 != "{" }
        var labels: [(String, String)] = []
        if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
            var rest = line[line.index(after: open)..<close]
            while let equals = rest.firstIndex(of: "=") {
                let name = String(rest[..<equals])
                var value = ""
                var index = rest.index(equals, offsetBy: 2)
                while rest[index] != "\"" {
                    if rest[index] == "\\" { index = rest.index(after: index) }
                    value.append(rest[index])
                    index = rest.index(after: index)
                }
                if name == "le", let bound = Double(value) { value = bound.description }
                labels.append((name, value))
                rest = rest[rest.index(after: index)...].drop { $0 == "," }
            }
        }
        let name = String(head)
        var family = name
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            family = String(name.dropLast(suffix.count))
        }
        let key = labels.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        return ("\(name){\(key)}", labels, family)
    }
}
