import ArgumentParser
import Foundation
import NurtureConfig
import NurtureCore
import NurtureDKIM
import NurtureSMTP

/// `nurture send-test`: sends one short message through the configured relay and reports how it went.
struct SendTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test",
        abstract: "Send one short test message through the relay and report the classified outcome.",
        discussion: """
            Loads the configuration, composes a short plain-text message From the marketing sender (or --from) \
            and hands it to the relay exactly as the daemon would: same transport, same TLS and login \
            settings, same timeouts. Prints the relay (host, port, security; never the password), the \
            Message-ID, the outcome, the server's reply and libcurl's detail.

            Addresses are checked before any connection is opened: an address with a line break, a space or \
            angle brackets is refused.

            Exit status: 0 accepted, 1 the configuration cannot be loaded, 2 deferred (temporary refusal or \
            relay unreachable: try again later), 3 failed (permanent refusal), 4 unknown (the connection was \
            lost after the message was sent: it may have been delivered), 5 configuration error (TLS, login \
            or relay settings), 64 bad command line (e.g. an invalid --to).
            """)

    /// The exit status for each outcome class (0 is accepted).
    enum Status: Int32 {
        case configurationUnreadable = 1
        case deferred = 2
        case failed = 3
        case unknown = 4
        case configurationError = 5

        init?(_ kind: DeliveryOutcome.Kind) {
            switch kind {
            case .accepted: return nil
            case .deferred: self = .deferred
            case .failed: self = .failed
            case .unknown: self = .unknown
            case .configurationError: self = .configurationError
            }
        }
    }

    @OptionGroup var options: ConfigOption

    @Option(help: ArgumentHelp("The recipient, e.g. you@example.com.", valueName: "address"))
    var to: String

    @Option(help: ArgumentHelp("The sender (envelope and From); default: the marketing sender.", valueName: "address"))
    var from: String?

    @Option(help: ArgumentHelp("The subject line.", valueName: "text"))
    var subject = "Nurture test message"

    @Option(help: ArgumentHelp("Use this relay host instead of the configured one.", valueName: "host"))
    var relayHost: String?

    @Option(help: ArgumentHelp("Use this relay port instead of the configured one.", valueName: "port"))
    var relayPort: Int?

    @Option(
        help: ArgumentHelp(
            "Use this TLS mode instead of the configured one: starttls, tls or none.", valueName: "mode"))
    var security: RelayConfiguration.Security?

    @Option(
        help: ArgumentHelp(
            "Also write the exact message bytes to this file (before sending).", valueName: "file"))
    var saveMessage: String?

    func validate() throws {
        do {
            _ = try EmailAddress(to)
        } catch {
            throw ValidationError("--to: \(error)")
        }
        if let from {
            do {
                _ = try EmailAddress(from)
            } catch {
                throw ValidationError("--from: \(error)")
            }
        }
        if let relayPort, !(1...65535).contains(relayPort) {
            throw ValidationError("--relay-port \(relayPort) is not between 1 and 65535")
        }
        if subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ValidationError("--subject must be one line without control characters")
        }
    }

    func run() async throws {
        let loaded: NurtureConfiguration
        do {
            loaded = try ConfigurationLoader().load(file: options.config)
        } catch {
            for problem in error.problems { printError("\(problem)") }
            printError("nothing was sent: \(options.config) cannot be used")
            throw ExitCode(Status.configurationUnreadable.rawValue)
        }
        let relay = relaySettings(loaded.relay)
        let recipient = try EmailAddress(to)
        let sender = try from.map { try EmailAddress($0) } ?? loaded.marketingSender.address
        let date = Date()
        let messageID = MessageID.make(unique: "send-test-\(try MessageIDRandomness.unique())", domain: sender.domain)
        var bytes: [UInt8]
        do {
            bytes = try MessageComposer.compose(
                message(
                    sender: sender, recipient: recipient, relay: relay, messageID: messageID, date: date,
                    configuration: loaded),
                utcOffsetSeconds: TimeZone.current.secondsFromGMT(for: date) / 60 * 60)
        } catch {
            printError("cannot compose the test message: \(error)")
            throw ExitCode(Status.configurationUnreadable.rawValue)
        }
        // Signed as the daemon signs: every key of the From domain, unless a salesperson sending as themselves
        // is left unsigned.
        let salesperson = loaded.salespeople.first { $0.email == sender }?.id
        do {
            bytes = try loaded.dkim.sign(bytes, from: sender, salesperson: salesperson, at: date)
        } catch {
            printError("cannot sign the test message: \(error)")
            throw ExitCode(Status.configurationError.rawValue)
        }
        if let saveMessage {
            guard FileManager.default.createFile(atPath: saveMessage, contents: Data(bytes)) else {
                printError("cannot write --save-message \(saveMessage); nothing was sent")
                throw ExitCode.failure
            }
        }

        print("relay:      \(Self.describe(relay))")
        print("from:       \(sender)")
        print("to:         \(recipient)")
        print("message-id: \(messageID) (\(bytes.count) bytes)")
        print("dkim:       \(Self.describeSigning(loaded.dkim, domain: sender.domain, salesperson: salesperson))")
        let outcome: DeliveryOutcome
        do {
            let transport = try SMTPTransport(configuration: relay)
            outcome = await transport.send(bytes, envelope: Envelope(sender: sender, recipient: recipient))
            await transport.shutdown()
        } catch {
            outcome = DeliveryOutcome(kind: .configurationError, reply: nil, transportDetail: error.description)
        }
        print("outcome:    \(outcome.kind.rawValue)")
        print("reply:      \(outcome.reply?.description ?? "none")")
        print("detail:     \(outcome.transportDetail ?? "none")")
        guard let status = Status(outcome.kind) else { return }
        printError(Self.advice(for: outcome))
        throw ExitCode(status.rawValue)
    }

    /// The configured relay with the command-line overrides applied; one connection is enough.
    private func relaySettings(_ configured: RelayConfiguration) -> RelayConfiguration {
        var relay = configured
        if let relayHost { relay.host = relayHost }
        if let relayPort { relay.port = relayPort }
        if let security { relay.security = security }
        relay.poolSize = 1
        return relay
    }

    private func message(
        sender: EmailAddress, recipient: EmailAddress, relay: RelayConfiguration, messageID: MessageID, date: Date,
        configuration: NurtureConfiguration
    ) -> OutgoingMessage {
        let marketing = configuration.marketingSender
        let fromMailbox = from == nil ? marketing.mailbox : Mailbox(address: sender)
        let replyTo = from == nil ? marketing.replyTo.map { Mailbox(displayName: marketing.name, address: $0) } : nil
        let text = """
            This is a test message sent by `nurture send-test`.

            Relay: \(Self.describe(relay))

            If it arrived, Nurture can send through this relay with these settings.
            """
        return OutgoingMessage(
            from: fromMailbox, replyTo: replyTo, to: Mailbox(address: recipient), subject: subject, date: date,
            messageID: messageID, textBody: text + "\n")
    }

    /// `host:port, security starttls, login as USER` — never the password.
    static func describe(_ relay: RelayConfiguration) -> String {
        let host = relay.host.contains(":") ? "[\(relay.host)]" : relay.host
        var text = "\(host):\(relay.port), security \(relay.security.rawValue)"
        switch relay.security {
        case .plain: text += " (clear text)"
        case .startTLS: text += " (STARTTLS required)"
        case .implicitTLS: text += " (TLS from the first byte)"
        }
        if let username = relay.username {
            text += ", login as \(username) (password not shown)"
        } else {
            text += ", no login"
        }
        if let caFile = relay.caFile { text += ", CA file \(caFile)" }
        return text
    }

    /// `signed with rsa-sha256 s=SELECTOR d=DOMAIN, ...` or why the message went out unsigned.
    static func describeSigning(_ dkim: DKIMSettings, domain: String, salesperson: String?) -> String {
        if let salesperson, dkim.unsignedSalespeople.contains(salesperson) {
            return "not signed (salesperson \(salesperson) has dkim: false)"
        }
        let keys = dkim.signer.keys(forDomain: domain)
        if keys.isEmpty { return "not signed (no DKIM key for \(domain))" }
        return "signed with " + keys.map { "\($0.algorithm) s=\($0.selector) d=\($0.domain)" }.joined(separator: ", ")
    }

    /// One sentence telling the operator what the outcome means and what to do.
    static func advice(for outcome: DeliveryOutcome) -> String {
        switch outcome.kind {
        case .accepted:
            return "the relay accepted the message"
        case .deferred:
            return "deferred: the relay did not take the message now (temporary refusal, or unreachable); "
                + "the daemon would retry later with backoff"
        case .failed:
            let decision = OutcomePolicy.decide(outcome.refusal ?? SMTPRefusal(phase: outcome.phase, code: 550))
            switch decision.effect {
            case .bounceRecipient:
                return "failed: \(decision.ground); the daemon would mark this lead bounced and suppress it"
            case .failMessage:
                return "failed: \(decision.ground); the daemon would fail this message and keep the lead mailable"
            case .pauseRelay:
                return "failed: \(decision.ground); the daemon would pause sends through this relay with backoff "
                    + "(leads stay mailable); check the sender address, the relay account and the relay's policy"
            case .retry:
                return "failed: the daemon would retry later with backoff"
            }
        case .unknown:
            return "unknown: the connection was lost after the message was sent; it may have been delivered, "
                + "so check the recipient's mailbox before sending again"
        case .configurationError:
            return "configuration error: TLS, the login or the relay settings are wrong; "
                + "check relay.security, ca_file, username and the password in the configuration"
        }
    }
}
