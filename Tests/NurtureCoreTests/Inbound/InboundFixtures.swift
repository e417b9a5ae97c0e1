import Foundation
import NurtureCore

/// The `.eml` corpus in `Tests/Fixtures/inbound`, each with a sidecar `.expect` file of `key: value` lines saying
/// what the classifier must read (`kind`, and per kind `status`, `recipient`, `original-message-id`, `format`,
/// `return-date`, `feedback-type`; `none` for an absent value).
enum InboundFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/inbound")

    /// When the corpus messages were received: a return date without a year is read relative to this.
    static let now = Date(timeIntervalSince1970: 1_796_032_800)  // Mon, 30 Nov 2026 10:00:00 UTC

    /// The names of every `.eml` fixture, sorted.
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.sorted()
    }()

    /// The raw bytes of fixture `name`.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The expectations of fixture `name` (its `.expect` sidecar), by key.
    static func expectations(_ name: String) throws -> [String: String] {
        let url = directory.appendingPathComponent(String(name.dropLast(4)) + ".expect")
        let text = try String(contentsOf: url, encoding: .utf8)
        var table: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            table[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return table
    }

    /// The reading of fixture `name`.
    static func read(_ name: String) throws -> InboundReading {
        InboundClassifier.read(try bytes(name), now: now)
    }
}
