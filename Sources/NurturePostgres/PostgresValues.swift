#if PostgreSQL
    import Foundation

    /// Dates are stored as whole milliseconds since 1970 (BIGINT), as in the SQLite store: exact and sortable. A
    /// `Date` with finer precision comes back rounded to the nearest millisecond.
    enum PostgresMilliseconds {
        /// The stored form of `date`.
        static func from(_ date: Date) -> Int64 {
            let value = (date.timeIntervalSince1970 * 1000).rounded()
            guard value.isFinite else { return value < 0 ? Int64.min : Int64.max }
            return Int64(max(min(value, 9.2e18), -9.2e18))
        }

        /// The date for a stored value.
        static func date(_ milliseconds: Int64) -> Date {
            Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        }
    }

    /// Lead attributes as stored: a JSON object of strings, keys sorted (the SQLite store's text, so `store copy`
    /// moves it unchanged).
    enum PostgresAttributesJSON {
        /// The JSON text for `attributes`, e.g. `{"plan":"pro"}`.
        static func encode(_ attributes: [String: String]) -> String {
            if attributes.isEmpty { return "{}" }
            var text = "{"
            for (index, key) in attributes.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                append(key, to: &text)
                text += ":"
                append(attributes[key] ?? "", to: &text)
            }
            text += "}"
            return text
        }

        private static func append(_ string: String, to text: inout String) {
            text += "\""
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
            }
            text += "\""
        }
    }
#endif
