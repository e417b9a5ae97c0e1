/// One linear pass over a request body, before it is decoded: how deep arrays and objects nest, and the first
/// key that appears twice in one object (keys compared after unescaping, as the decoder would, so `"a"` and
/// `"\u0061"` are the same key). Brackets and quotes inside strings are skipped. It does not validate the JSON;
/// the decoder does that afterwards.
struct JSONScan {
    /// The deepest nesting seen.
    private(set) var deepest = 0
    /// The dotted path of the first repeated key (`attributes.plan`), or `nil`.
    private(set) var duplicateKey: String?

    /// An open array or object.
    private struct Frame {
        var isObject: Bool
        /// The keys seen so far (objects only).
        var keys: Set<String> = []
        /// The next string is a key (after `{` or `,` in an object).
        var expectsKey: Bool
        /// The last key read, naming the value being read (objects only).
        var lastKey: String?
    }

    init(_ bytes: [UInt8]) {
        var stack: [Frame] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let end = Self.endOfString(bytes, from: index + 1)
                if duplicateKey == nil, var top = stack.last, top.isObject, top.expectsKey {
                    let key = Self.unescaped(bytes[(index + 1)..<min(end, bytes.count)])
                    if !top.keys.insert(key).inserted {
                        duplicateKey = (stack.dropLast().compactMap(\.lastKey) + [key]).joined(separator: ".")
                    }
                    top.expectsKey = false
                    top.lastKey = key
                    stack[stack.count - 1] = top
                }
                index = end + 1
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), expectsKey: byte == UInt8(ascii: "{")))
                deepest = max(deepest, stack.count)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ","):
                if let top = stack.last, top.isObject { stack[stack.count - 1].expectsKey = true }
            default: break
            }
            index += 1
        }
    }

    /// The index of the quote closing the string whose content starts at `start` (or the end of `bytes`).
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return bytes.count
    }

    /// The text of a JSON string's content: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX` (with
    /// surrogate pairs) decoded; anything malformed is kept as it is (the decoder refuses it later).
    static func unescaped(_ content: ArraySlice<UInt8>) -> String {
        guard content.contains(UInt8(ascii: "\\")) else { return String(decoding: content, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var pendingHigh: UInt32?
        func flush() {
            if !utf8.isEmpty {
                scalars.append(contentsOf: String(decoding: utf8, as: UTF8.self).unicodeScalars)
                utf8.removeAll()
            }
        }
        var index = content.startIndex
        while index < content.endIndex {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < content.endIndex else {
                utf8.append(byte)
                index += 1
                continue
            }
            let code = content[index + 1]
            index += 2
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
                UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
            ]
            if let plain = simple[code] {
                utf8.append(plain)
                continue
            }
            guard code == UInt8(ascii: "u"), index + 4 <= content.endIndex,
                let value = UInt32(String(decoding: content[index..<(index + 4)], as: UTF8.self), radix: 16)
            else {
                utf8.append(contentsOf: [UInt8(ascii: "\\"), code])
                continue
            }
            index += 4
            flush()
            if (0xD800...0xDBFF).contains(value) {
                pendingHigh = value
                continue
            }
            if let high = pendingHigh, (0xDC00...0xDFFF).contains(value) {
                pendingHigh = nil
                let combined = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
                if let scalar = Unicode.Scalar(combined) { scalars.append(scalar) }
                continue
            }
            pendingHigh = nil
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) } else { scalars.append("\u{FFFD}") }
        }
        flush()
        return String(scalars)
    }
}
