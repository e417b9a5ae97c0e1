import Foundation
import NurtureConfig
import NurtureCore
import NurtureDKIM
import NurtureDaemon
import NurtureTemplates
import NurtureTestSupport
import Testing

/// Every message of every shipped template, both tracks, signed with both algorithms by the daemon's own
/// `MessageBuilder`, verified by an independent verifier (python3-dkim) with an independently computed body hash.
@Suite(
    .ownQueue,
    .enabled(
        if: DKIMVerifier.isAvailable || TestTools.peersRequired,
        "python3-dkim is not installed for /usr/bin/python3 (bash scripts/install-deps.sh)"))
struct DKIMTemplateSigningTests {
    static let domain = "acme-analytics.example"
    static let date = Date(timeIntervalSince1970: 1_795_000_000)

    /// The shipped configuration with both test keys for the company's domain.
    static func builder() throws -> MessageBuilder {
        var configuration = try ConfigurationLoader().load(
            file: TestTools.repositoryRoot.appendingPathComponent("config/nurture.yaml").path)
        configuration.dkim = DKIMSettings(signer: DKIMSigner(keys: DKIMTestKeys.keys(domain: domain)))
        return MessageBuilder(
            configuration: configuration, library: try TemplateLibrary.load(directory: configuration.templatesDirectory)
        )
    }

    /// A lead the sequence's track sends to: unowned for marketing, owned by `priya` for sales.
    static func lead(for sequence: EmailSequence) throws -> Lead {
        Lead(
            email: try EmailAddress("dana.o'neil@example.com"), firstName: "Dana", lastName: "O'Neil Müller",
            company: "Exämple & Co", title: "Head of Data", timeZone: "America/New_York",
            stage: sequence.track == .sales ? .salesQualified : .subscriber, source: .inbound,
            owner: sequence.track == .sales ? "priya" : nil)
    }

    /// Every step of every sequence, built and signed as a send would be.
    static func everyMessage() throws -> [(name: String, track: Track, bytes: [UInt8])] {
        let builder = try builder()
        var messages: [(String, Track, [UInt8])] = []
        for sequence in builder.configuration.sequences {
            for step in sequence.steps {
                let built = try builder.build(
                    lead: lead(for: sequence), sequenceID: sequence.id, stepID: step.id, date: date,
                    unique: "dkim-\(step.id)")
                messages.append(("\(sequence.id)/\(step.id)", sequence.track, built.bytes))
            }
        }
        return messages
    }

    @Test("every shipped template's message verifies with both signatures, and each body hash matches")
    func everyTemplateVerifies() throws {
        let messages = try Self.everyMessage()
        #expect(Set(messages.map(\.track)) == [.marketing, .sales], "both tracks are covered")
        #expect(messages.count >= 12)
        let results = try DKIMVerifier.verify(messages.map(\.bytes), records: DKIMTestKeys.records(domain: Self.domain))
        #expect(results.count == messages.count)
        for (message, result) in zip(messages, results) {
            #expect(result.signatures.map(\.a) == ["rsa-sha256", "ed25519-sha256"], "\(message.name)")
            for signature in result.signatures {
                #expect(signature.verified, "\(message.name) \(signature.a ?? "?"): \(signature.error ?? "")")
                #expect(signature.bh_matches, "\(message.name) \(signature.a ?? "?") body hash")
                #expect(signature.d == Self.domain)
                let names = (signature.h ?? "").split(separator: ":").map(String.init)
                for name in ["from", "to", "subject", "date"] {
                    #expect(names.filter { $0 == name }.count == 2, "\(name) is over-signed in \(message.name)")
                }
                if message.track == .marketing {
                    #expect(names.filter { $0 == "list-unsubscribe" }.count == 2)
                    #expect(names.filter { $0 == "list-unsubscribe-post" }.count == 2)
                } else {
                    #expect(names.contains("reply-to"))
                }
            }
        }
    }

    /// `message` with `old` replaced by `new` once (the bytes must contain it).
    static func replacing(_ old: String, with new: String, in message: [UInt8]) -> [UInt8] {
        let text = String(decoding: message, as: UTF8.self)
        precondition(text.contains(old), "the message does not contain \(old)")
        return Array(text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old)).utf8)
    }

    @Test("tampering breaks both signatures: subject, a second From, List-Unsubscribe-Post, a body line")
    func tamperingFails() throws {
        let messages = try Self.everyMessage()
        let marketing = try #require(messages.first { $0.name == "marketing-nurture/welcome" }).bytes
        let text = String(decoding: marketing, as: UTF8.self)
        let subjectLine = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") })
        let bodyLine = try #require(
            text.components(separatedBy: "\r\n\r\n").dropFirst().first?
                .components(separatedBy: "\r\n").first { $0.count > 10 && !$0.hasPrefix("--") })
        let tampered: [(String, [UInt8])] = [
            ("changed subject", Self.replacing(subjectLine, with: subjectLine + " (edited)", in: marketing)),
            (
                "second From",
                Self.replacing(
                    "\r\nFrom: ", with: "\r\nFrom: Attacker <evil@attacker.example>\r\nFrom: ", in: marketing)
            ),
            (
                "changed List-Unsubscribe-Post",
                Self.replacing(
                    "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                    with: "List-Unsubscribe-Post: List-Unsubscribe=Two-Click", in: marketing)
            ),
            ("changed body line", Self.replacing(bodyLine, with: bodyLine + " Act now!", in: marketing)),
        ]
        let results = try DKIMVerifier.verify(
            [marketing] + tampered.map(\.1), records: DKIMTestKeys.records(domain: Self.domain))
        #expect(results.first?.signatures.allSatisfy(\.verified) == true, "the untouched message verifies")
        for (tamperCase, result) in zip(tampered, results.dropFirst()) {
            #expect(result.signatures.count == 2)
            #expect(result.signatures.allSatisfy { !$0.verified }, "\(tamperCase.0) must fail verification")
        }
    }
}
