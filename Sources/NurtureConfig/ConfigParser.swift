import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// Reads the sections of a configuration document; problems go to ``Diagnostics``.
final class ConfigParser {
    let diagnostics: Diagnostics
    let baseDirectory: String
    let environment: [String: String]

    static let topLevelKeys = [
        "relay", "state", "templates", "marketing_sender", "company", "salespeople", "sequences", "rules",
        "defaults", "options", "scheduling", "http", "privacy", "inbound", "database",
        "dkim",
        "console",
    ]

    init(diagnostics: Diagnostics, baseDirectory: String, environment: [String: String]) {
        self.diagnostics = diagnostics
        self.baseDirectory = baseDirectory
        self.environment = environment
    }

    /// The configuration, or `nil` when a required part could not be read (problems say why).
    func parse(_ root: Node) -> NurtureConfiguration? {
        guard let top = diagnostics.fields(root, path: "", allowed: Self.topLevelKeys) else { return nil }
        let relay = section(top, "relay", example: "{ host: 127.0.0.1, port: 2525 }").flatMap { relayConfiguration($0) }
        let (stateDirectory, storePath, storeURL, storeFileNode) = state(top)
        let database = databaseSection(top, url: storeURL, storeFileNode: storeFileNode)
        let templates = templatesDirectory(top)
        let sender = section(top, "marketing_sender", example: "{ name: ..., address: ... }").flatMap(marketingSender)
        let companyParts = section(top, "company", example: "{ name: ..., postal_address: ... }").flatMap {
            company($0, sender: sender)
        }
        let defaults = section(top, "defaults", example: "{ time_zone: UTC }").flatMap(defaultsSection)
        let people = salespeople(top)
        let sequenceList = sequences(top, defaultWindow: defaults?.window ?? SendWindow())
        let ruleList = rules(top)
        let options = optionsSection(top)
        let scheduling = schedulingSection(top)
        let http = httpSection(top)
        let privacy = privacySection(top)
        let inbound = inboundSection(top, unsubscribeSecret: companyParts?.secret)
        let dkim = dkimSection(top, sender: sender, people: people)
        let console = consoleSection(top)

        crossCheck(
            people: people, sequences: sequenceList, rules: ruleList, pool: options.pool, templates: templates,
            sender: sender)
        crossCheck(mailboxes: inbound.mailboxes, people: people)

        guard let relay, let stateDirectory, let storePath, let templates, let sender, let companyParts,
            let defaults
        else { return nil }
        var configuration = NurtureConfiguration(
            file: diagnostics.file, relay: relay, stateDirectory: stateDirectory, storePath: storePath,
            templatesDirectory: templates.absolute, marketingSender: sender, company: companyParts.company,
            unsubscribeSecret: companyParts.secret, salespeople: people.compactMap(\.value),
            salespersonRelays: people.reduce(into: [:]) { relays, person in
                if let value = person.value, let relay = person.relay { relays[value.id] = relay }
            },
            sequences: sequenceList.compactMap(\.value), enrollmentRules: EnrollmentRules(ruleList.compactMap(\.value)),
            defaults: defaults,
            options: NurtureConfiguration.Options(
                autoQualify: options.autoQualify, roundRobin: options.roundRobin,
                roundRobinPool: options.pool?.map(\.id)),
            scheduling: scheduling, http: http, pseudonymSecret: privacy.pseudonymSecret)
        configuration.inbound = inbound.settings
        configuration.database = database
        configuration.dkim = dkim
        configuration.console = console
        return configuration
    }

    /// A required top-level mapping's fields, reporting its absence.
    func section(_ top: Fields, _ key: String, example: String) -> Fields? {
        guard let node = top[key] else {
            diagnostics.missing(top, key, example: example)
            return nil
        }
        switch key {
        case "relay": return diagnostics.fields(node, path: key, allowed: Self.relayKeys)
        case "marketing_sender": return diagnostics.fields(node, path: key, allowed: ["name", "address", "reply_to"])
        case "company": return diagnostics.fields(node, path: key, allowed: Self.companyKeys)
        case "defaults": return diagnostics.fields(node, path: key, allowed: ["time_zone", "window", "limits"])
        default: return nil
        }
    }

    /// A path from the file, made absolute against the config file's folder.
    func resolve(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return URL(fileURLWithPath: expanded).standardizedFileURL.path }
        return URL(fileURLWithPath: baseDirectory).appendingPathComponent(expanded).standardizedFileURL.path
    }

    // MARK: state and templates

    /// The state directory, the SQLite store's path, and what `state.store` says about the store: a PostgreSQL
    /// URL, or the node of an explicit SQLite file name. With a URL the path is the default file name's (the state
    /// directory's other files are named after it).
    private func state(_ top: Fields) -> (String?, String?, StoreURL?, Node?) {
        guard let node = top["state"] else {
            diagnostics.missing(top, "state", example: "{ directory: /var/lib/nurture }")
            return (nil, nil, nil, nil)
        }
        guard let fields = diagnostics.fields(node, path: "state", allowed: ["directory", "store"]) else {
            return (nil, nil, nil, nil)
        }
        guard let directory = diagnostics.text(fields, "directory", required: true, example: "/var/lib/nurture")
        else { return (nil, nil, nil, nil) }
        let absolute = resolve(directory)
        let written = diagnostics.text(fields, "store", example: "nurture.sqlite")
        let url = written.flatMap { PostgresURL.isPostgres($0) ? StoreURL(text: $0, node: fields["store"]) : nil }
        let store = url == nil ? written ?? "nurture.sqlite" : "nurture.sqlite"
        let storePath =
            store.hasPrefix("/")
            ? store : URL(fileURLWithPath: absolute).appendingPathComponent(store).standardizedFileURL.path
        return (absolute, storePath, url, url == nil && written != nil ? fields["store"] : nil)
    }

    /// The templates directory as written (for messages) and resolved.
    struct TemplatesDirectory {
        let written: String
        let absolute: String
        let node: Node?
    }

    private func templatesDirectory(_ top: Fields) -> TemplatesDirectory? {
        var written = "templates"
        var node: Node?
        if let templatesNode = top["templates"],
            let fields = diagnostics.fields(templatesNode, path: "templates", allowed: ["directory"])
        {
            guard let text = diagnostics.text(fields, "directory", required: true, example: "../templates") else {
                return nil
            }
            written = text
            node = fields["directory"]
        } else if top["templates"] == nil {
            diagnostics.missing(top, "templates", example: "{ directory: ../templates }")
            return nil
        } else {
            return nil
        }
        let absolute = resolve(written)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            diagnostics.report(
                node, "templates.directory",
                "the templates directory `\(written)` does not exist (resolved to \(absolute))",
                fix: "give the directory holding <sequence-id>/<step-id>.*.mustache, relative to this file")
            return nil
        }
        return TemplatesDirectory(written: written, absolute: absolute, node: node)
    }

    // MARK: marketing sender and company

    private func marketingSender(_ fields: Fields) -> MarketingSender? {
        let name = diagnostics.text(fields, "name", required: true, example: "Acme Analytics")
        let address = diagnostics.address(fields, "address", required: true)
        let replyTo = diagnostics.address(fields, "reply_to")
        guard let name, let address, fields["reply_to"] == nil || replyTo != nil else { return nil }
        return MarketingSender(name: name, address: address, replyTo: replyTo)
    }

    static let companyKeys = [
        "name", "website", "postal_address", "unsubscribe_url", "unsubscribe_mailto", "unsubscribe_secret_file",
        "unsubscribe_secret_credential",
    ]

    private func company(_ fields: Fields, sender: MarketingSender?) -> (company: Company, secret: Secret?)? {
        let name = diagnostics.text(fields, "name", required: true, example: "Acme Analytics")
        let website = diagnostics.url(fields, "website", required: true, allowHTTP: true)
        let postal = diagnostics.text(fields, "postal_address", required: true, example: "\"1 Main St, Springfield\"")
        let unsubscribe = diagnostics.url(fields, "unsubscribe_url", required: true)
        let mailto = diagnostics.address(fields, "unsubscribe_mailto")
        let secret = secret(
            fields, fileKey: "unsubscribe_secret_file", credentialKey: "unsubscribe_secret_credential")
        if !secret.configured {
            diagnostics.warn(
                fields.node, fields.path("unsubscribe_secret_credential"),
                "no secret signs the unsubscribe links, so Nurture uses a built-in demo key and anyone could forge"
                    + " them", fix: "set unsubscribe_secret_credential (or unsubscribe_secret_file) before production")
        }
        let longEnough = secret.value.map {
            checkKeyLength(
                $0, fields, fileKey: "unsubscribe_secret_file", credentialKey: "unsubscribe_secret_credential")
        }
        guard let name, let website, let postal, let unsubscribe, secret.ok, longEnough != false,
            fields["unsubscribe_mailto"] == nil || mailto != nil,
            let mailbox = mailto ?? sender?.replyTo ?? sender?.address
        else { return nil }
        return (
            Company(
                name: name, website: website, postalAddress: postal, unsubscribeBaseURL: unsubscribe,
                unsubscribeMailbox: mailbox), secret.value
        )
    }

    // MARK: secrets

    /// The fewest bytes a signing or keying secret (unsubscribe secret, pseudonym secret) may have: 256 bits.
    static let minimumKeyBytes = 32

    /// Reports a key shorter than ``minimumKeyBytes`` at whichever of `fileKey`/`credentialKey` is set (never
    /// quoting the key); `true` when it is long enough.
    func checkKeyLength(_ secret: Secret, _ fields: Fields, fileKey: String, credentialKey: String) -> Bool {
        let bytes = secret.value.utf8.count
        guard bytes < Self.minimumKeyBytes else { return true }
        let key = fields.has(fileKey) ? fileKey : credentialKey
        diagnostics.report(
            fields[key], fields.path(key),
            "the secret is \(bytes) bytes; it must be at least \(Self.minimumKeyBytes) bytes of random data",
            fix: "make a new one with `openssl rand -hex 32 > FILE` (and keep the file mode 0600)")
        return false
    }

    /// Warns when the secret file at `path` can be read by its group or by every user: a secret file should be
    /// readable by its owner only (credentials under `$CREDENTIALS_DIRECTORY` are systemd's and not checked).
    private func warnIfShared(_ fields: Fields, fileKey: String, credentialKey: String, path: String) {
        guard let mode = (try? FileManager.default.attributesOfItem(atPath: resolve(path)))?[.posixPermissions] as? Int,
            mode & 0o044 != 0
        else { return }
        let who = mode & 0o004 != 0 ? "every user on this machine" : "the members of its group"
        diagnostics.warn(
            fields[fileKey], fields.path(fileKey), "the secret file can be read by \(who)",
            fix: "chmod 600 \(path) (or use \(credentialKey) under systemd)")
    }

    /// A secret from `<fileKey>` (a path) or `<credentialKey>` (a name under `$CREDENTIALS_DIRECTORY`).
    func secret(_ fields: Fields, fileKey: String, credentialKey: String) -> (
        value: Secret?, ok: Bool, configured: Bool
    ) {
        let file = diagnostics.text(fields, fileKey, example: "/etc/nurture/secret")
        let credential = diagnostics.text(fields, credentialKey, example: "smtp-password")
        if fields.has(fileKey) && file == nil || fields.has(credentialKey) && credential == nil {
            return (nil, false, true)
        }
        switch (file, credential) {
        case (nil, nil):
            return (nil, true, false)
        case (.some, .some):
            diagnostics.report(
                fields[credentialKey], fields.path(credentialKey), "both `\(fileKey)` and `\(credentialKey)` are set",
                fix: "keep only one: `\(credentialKey)` under systemd, `\(fileKey)` otherwise")
            return (nil, false, true)
        case (let file?, nil):
            do {
                let value = try Secret(contentsOfFile: resolve(file))
                warnIfShared(fields, fileKey: fileKey, credentialKey: credentialKey, path: file)
                return (value, true, true)
            } catch {
                diagnostics.report(
                    fields[fileKey], fields.path(fileKey), "\(error)",
                    fix: "create the file or fix the path (relative to this file)")
                return (nil, false, true)
            }
        case (nil, let name?):
            guard !name.contains("/"), name != ".", name != ".." else {
                diagnostics.report(
                    fields[credentialKey], fields.path(credentialKey), "`\(name)` is not a credential name",
                    fix: "give the name used in LoadCredential=NAME:/path, without slashes")
                return (nil, false, true)
            }
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                diagnostics.report(
                    fields[credentialKey], fields.path(credentialKey),
                    "credential `\(name)` cannot be read: $CREDENTIALS_DIRECTORY is not set",
                    fix: "run under systemd with LoadCredential=\(name):/path/to/file (or set CREDENTIALS_DIRECTORY),"
                        + " or use `\(fileKey)` instead")
                return (nil, false, true)
            }
            do {
                return (try Secret(contentsOfFile: directory + "/" + name), true, true)
            } catch {
                diagnostics.report(
                    fields[credentialKey], fields.path(credentialKey), "credential `\(name)`: \(error)",
                    fix: "check LoadCredential=\(name):... in the service unit")
                return (nil, false, true)
            }
        }
    }
}
