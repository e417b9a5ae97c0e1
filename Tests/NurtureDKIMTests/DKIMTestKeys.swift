import Foundation
import NurtureCore
import NurtureDKIM
import NurtureTestSupport

/// The fixture keys (`Tests/Fixtures/dkim`), loaded.
enum DKIMTestKeys {
    static let fixtures = TestTools.repositoryRoot.appendingPathComponent("Tests/Fixtures/dkim")

    static func text(_ name: String) -> String {
        (try? String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    static let rsa = try! DKIMPrivateKey(text: text("test-rsa-2048.pem"), algorithm: .rsaSHA256)
    static let ed25519 = try! DKIMPrivateKey(text: text("test-ed25519.pem"), algorithm: .ed25519SHA256)

    /// Both keys for `domain`, selectors `rsa-test` and `ed-test`.
    static func keys(domain: String) -> [DKIMKey] {
        [
            DKIMKey(domain: domain, selector: "rsa-test", privateKey: rsa, source: "test-rsa-2048.pem"),
            DKIMKey(domain: domain, selector: "ed-test", privateKey: ed25519, source: "test-ed25519.pem"),
        ]
    }

    /// The DNS answers for ``keys(domain:)``.
    static func records(domain: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: keys(domain: domain).map { ($0.record.name, $0.record.text) })
    }
}
