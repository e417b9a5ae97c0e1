import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain HTTP/1.1 client over one loopback socket per request, for the console tests: it follows no redirect
/// and keeps cookies only as the test says, so every 303 and `Set-Cookie` is seen as the server sent it. The
/// blocking socket calls run on a dispatch queue, off Swift's cooperative pool.
package final class ConsoleClient: @unchecked Sendable {
    package let host: String
    package let port: UInt16
    /// Cookies sent with every request (name → value); replies' `Set-Cookie` update it when `keepCookies`.
    package var cookies: [String: String] = [:]

    /// A client of `address` (`127.0.0.1:PORT`, or `http://127.0.0.1:PORT`).
    package init(address: String) {
        let address = address.hasPrefix("http://") ? String(address.dropFirst("http://".count)) : address
        let colon = address.lastIndex(of: ":")!
        host = String(address[..<colon])
        port = UInt16(address[address.index(after: colon)...])!
    }

    /// One response.
    package struct Reply {
        package let status: Int
        package let headers: [(name: String, value: String)]
        package let body: String

        package func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        package var setCookies: [String] { headers.filter { $0.name.lowercased() == "set-cookie" }.map(\.value) }
        package var location: String? { header("location") }
    }

    /// Sends one request; `form` becomes an `application/x-www-form-urlencoded` body.
    package func send(
        _ method: String, _ path: String, form: [(String, String)]? = nil, headers: [String: String] = [:],
        keepCookies: Bool = true
    ) async throws -> Reply {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !cookies.isEmpty {
            head += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n"
        }
        var body = Data()
        if let form {
            body = Data(form.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&").utf8)
            head += "Content-Type: application/x-www-form-urlencoded\r\n"
        }
        if method == "POST" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        let request = Data((head + "\r\n").utf8) + body
        let raw = try await Self.exchange(host: host, port: port, request: request)
        let reply = try Self.parse(raw)
        if keepCookies {
            for cookie in reply.setCookies {
                let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let name = String(pair[0])
                let value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
        }
        return reply
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A request that could not be made or a response that could not be read.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
        package init(description: String) { self.description = description }
    }

    /// Connects, writes `request`, reads until the server closes.
    private static func exchange(host: String, port: UInt16, request: Data) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard descriptor >= 0 else { return continuation.resume(throwing: Failure(description: "socket")) }
                defer { close(descriptor) }
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = port.bigEndian
                inet_pton(AF_INET, host, &address.sin_addr)
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard connected == 0 else { return continuation.resume(throwing: Failure(description: "connect")) }
                let written = request.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard written == request.count else {
                    return continuation.resume(throwing: Failure(description: "write"))
                }
                var received = Data()
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = read(descriptor, &buffer, buffer.count)
                    if count <= 0 { break }
                    received.append(contentsOf: buffer[0..<count])
                }
                continuation.resume(returning: received)
            }
        }
    }

    /// The status, headers and body (de-chunked) of a response.
    private static func parse(_ raw: Data) throws -> Reply {
        guard let split = raw.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "no response head in \(raw.count) bytes")
        }
        let head = String(decoding: raw[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        let headers = head.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Data(raw[split.upperBound...])
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.contains("chunked") }) {
            var plain = Data()
            var rest = body
            while let lineEnd = rest.range(of: Data("\r\n".utf8)),
                let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0
            {
                let start = lineEnd.upperBound
                plain.append(rest[start..<rest.index(start, offsetBy: size)])
                rest = Data(rest[rest.index(start, offsetBy: size + 2)...])
            }
            body = plain
        }
        return Reply(status: status, headers: headers, body: String(decoding: body, as: UTF8.self))
    }
}
