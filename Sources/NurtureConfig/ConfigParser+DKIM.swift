import Foundation
import NurtureCore
import NurtureDKIM
import NurtureSMTP
internal import Yams

/// The optional `dkim:` list: one signing key per From domain and algorithm, each with its selector, read from a
/// file only its owner can read or from a systemd credential, loaded, and checked with a signed probe.
extension ConfigParser {
    static let dkimKeys = ["domain", "selector", "algorithm", "private_key_file", "private_key_credential"]

    /// One key as read, with the nodes later checks point at.
    struct ParsedDKIMKey {
        var key: DKIMKey
        var path: String
        var domainNode: Node?
    }

    /// The keys and the salespeople left unsigned; problems for every key that cannot be used.
    func dkimSection(_ top: Fields, sender: MarketingSender?, people: [ParsedSalesperson]) -> DKIMSettings {
        let unsigned = Set(people.filter { !$0.signsDKIM }.compactMap(\.id))
        guard let items = diagnostics.list(top, "dkim") else { return DKIMSettings(unsignedSalespeople: unsigned) }
        let parsed = items.compactMap { item -> ParsedDKIMKey? in
            guard let fields = diagnostics.fields(item.node, path: item.path, allowed: Self.dkimKeys) else {
                return nil
            }
            return dkimKey(fields)
        }
        crossCheckDKIM(parsed, sender: sender, people: people)
        return DKIMSettings(signer: DKIMSigner(keys: parsed.map(\.key)), unsignedSalespeople: unsigned)
    }

    private func dkimKey(_ fields: Fields) -> ParsedDKIMKey? {
        let domain = diagnostics.text(fields, "domain", required: true, example: "acme-analytics.example")
        let selector = diagnostics.text(fields, "selector", required: true, example: "nurture2026")
        let algorithm = diagnostics.choice(
            fields, "algorithm", DKIMAlgorithm.allCases.map(\.rawValue), required: true
        ).flatMap(DKIMAlgorithm.init(rawValue:))
        if let domain, !Self.isDNSName(domain) {
            diagnostics.report(
                fields["domain"], fields.path("domain"), "`\(domain)` is not a domain name",
                fix: "write the domain of the From addresses this key signs for, e.g. acme-analytics.example")
        }
        if let selector, !Self.isDNSName(selector) {
            diagnostics.report(
                fields["selector"], fields.path("selector"), "`\(selector)` is not a DNS label",
                fix: "use letters, digits and hyphens (dots between labels), e.g. nurture2026")
        }
        guard let text = dkimKeyText(fields), let domain, let selector, let algorithm, Self.isDNSName(domain),
            Self.isDNSName(selector)
        else { return nil }
        let keyField = fields.has("private_key_file") ? "private_key_file" : "private_key_credential"
        let privateKey: DKIMPrivateKey
        do {
            privateKey = try DKIMPrivateKey(text: text.value, algorithm: algorithm)
        } catch {
            diagnostics.report(
                fields[keyField], fields.path(keyField), "the key in \(text.source) cannot be used: \(error)",
                fix: "give a \(algorithm) private key for \(domain)")
            return nil
        }
        let key = DKIMKey(domain: domain, selector: selector, privateKey: privateKey, source: text.source)
        if let problem = DKIMSigner.probe(key) {
            diagnostics.report(
                fields[keyField], fields.path(keyField), "the key in \(text.source) failed its probe: \(problem)",
                fix: "make a new key pair and publish its record (`nurture dkim record --domain \(domain)`)")
            return nil
        }
        return ParsedDKIMKey(key: key, path: fields.path, domainNode: fields["domain"])
    }

    /// The key's text and where it came from (`private_key_file`, which must not be readable by every user, or
    /// `private_key_credential`).
    private func dkimKeyText(_ fields: Fields) -> (value: String, source: String)? {
        let (fileKey, credentialKey) = ("private_key_file", "private_key_credential")
        if !fields.has(fileKey) && !fields.has(credentialKey) {
            diagnostics.report(
                fields.node, fields.path(credentialKey), "no private key is given",
                fix: "set `\(credentialKey)` (systemd LoadCredential=) or `\(fileKey)`")
            return nil
        }
        if let path = fields[fileKey]?.string?.trimmingCharacters(in: .whitespaces), !path.isEmpty {
            let resolved = resolve(path)
            let mode = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.posixPermissions] as? Int
            if let mode, mode & 0o004 != 0 {
                diagnostics.report(
                    fields[fileKey], fields.path(fileKey),
                    "the private key file \(path) can be read by every user on this machine",
                    fix: "chmod 600 \(path) (owned by the nurture user), or use \(credentialKey) under systemd")
                return nil
            }
        }
        let secret = secret(fields, fileKey: fileKey, credentialKey: credentialKey)
        guard let value = secret.value else { return nil }
        if let path = fields[fileKey]?.string { return (value.value, "key file \(resolve(path))") }
        let name = fields[credentialKey]?.string ?? "?"
        return (value.value, "credential `\(name)`")
    }

    /// One key per domain and algorithm, one key per selector, and every key's domain used by a sender; a warning
    /// for each sending domain left without a key once any key is configured.
    private func crossCheckDKIM(_ keys: [ParsedDKIMKey], sender: MarketingSender?, people: [ParsedSalesperson]) {
        var seen: [String: String] = [:]
        for parsed in keys {
            let key = parsed.key
            for (slot, what) in [
                ("\(key.domain) \(key.algorithm)", "an \(key.algorithm) key for \(key.domain)"),
                ("\(key.selector)._domainkey.\(key.domain)", "selector `\(key.selector)` of \(key.domain)"),
            ] {
                if let first = seen[slot] {
                    diagnostics.report(
                        parsed.domainNode, parsed.path, "\(what) is already given by \(first)",
                        fix: "keep one key per domain and algorithm, each with its own selector")
                }
                seen[slot] = seen[slot] ?? parsed.path
            }
        }
        var sendingDomains: [String: String] = [:]
        if let sender { sendingDomains[sender.address.domain] = "marketing_sender" }
        for person in people where person.signsDKIM {
            if let domain = person.value?.email.domain {
                sendingDomains[domain] = sendingDomains[domain] ?? person.path
            }
        }
        let keyDomains = Set(keys.map(\.key.domain))
        for parsed in keys where sendingDomains[parsed.key.domain] == nil {
            diagnostics.report(
                parsed.domainNode, parsed.path + ".domain",
                "no sender's From address is in \(parsed.key.domain), so this key would never sign",
                fix: "write the domain of marketing_sender.address or of a signed salesperson's email: "
                    + sendingDomains.keys.sorted().joined(separator: ", "))
        }
        guard !keys.isEmpty else { return }
        for (domain, user) in sendingDomains.sorted(by: { $0.key < $1.key }) where !keyDomains.contains(domain) {
            diagnostics.warn(
                nil, user, "mail From \(domain) (\(user)) goes out without a DKIM signature",
                fix: "add a key for \(domain) under dkim, or set `dkim: false` on a salesperson whose relay signs")
        }
    }

    /// Letters, digits and hyphens in dot-separated labels of at most 63 characters, not starting or ending with
    /// a hyphen.
    static func isDNSName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return text.utf8.count <= 253
            && labels.allSatisfy { label in
                !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.utf8.allSatisfy(isDNSLabelByte)
            }
    }

    private static func isDNSLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
