package import NurtureCore

/// Turns what libcurl reported about a transfer into a ``DeliveryOutcome``. Pure: no I/O.
///
/// libcurl's `CURLcode` does not separate temporary from permanent refusals (a rejected RCPT is 55
/// whatever the class; a rejected final dot is 8), so the SMTP reply code decides, as measured on
/// libcurl 7.88.1:
///
/// | libcurl | last reply code | outcome |
/// | --- | --- | --- |
/// | OK | 2xx | accepted |
/// | TLS or login error (35, 58, 59, 60, 64, 66, 67, 77, 80, 83, 90, 91, 98) | any | configuration error |
/// | any error | 354 (body sent, final reply never read) | unknown |
/// | any error | 4xx (421 included) | deferred |
/// | any error | 5xx | failed |
/// | any other error | 0, 220, 250, ... (nothing accepted) | deferred |
/// | OK | not 2xx | unknown (libcurl claims success without an accepting reply) |
///
/// Each outcome carries the SMTP phase its reply answered (from the commands libcurl sent before it), so the
/// scheduler can tell a refused recipient from a refused sender (``OutcomePolicy``).
package enum ReplyClassifier {
    /// `CURLcode` values that mean the TLS set-up or the login failed: a configuration problem.
    static let configurationCodes: Set<Int> = [
        35,  // CURLE_SSL_CONNECT_ERROR
        58,  // CURLE_SSL_CERTPROBLEM
        59,  // CURLE_SSL_CIPHER
        60,  // CURLE_PEER_FAILED_VERIFICATION
        64,  // CURLE_USE_SSL_FAILED: STARTTLS required but not offered
        66,  // CURLE_SSL_ENGINE_INITFAILED
        67,  // CURLE_LOGIN_DENIED
        77,  // CURLE_SSL_CACERT_BADFILE
        80,  // CURLE_SSL_SHUTDOWN_FAILED
        83,  // CURLE_SSL_ISSUER_ERROR
        90,  // CURLE_SSL_PINNEDPUBKEYNOTMATCH
        91,  // CURLE_SSL_INVALIDCERTSTATUS
        98,  // CURLE_SSL_CLIENTCERT
    ]

    /// The SMTP code the server sends after `DATA`, before the body: seeing it last means the body went out
    /// and no final reply was read.
    static let startMailInput = 354

    /// Classifies one transfer.
    /// - Parameters:
    ///   - curlCode: the `CURLcode` libcurl returned (0 = OK).
    ///   - curlMessage: libcurl's explanation, kept for the operator.
    ///   - responseCode: `CURLINFO_RESPONSE_CODE`, the last reply code libcurl read.
    ///   - replyLines: the server's reply lines from this transfer, oldest first.
    ///   - linePhases: the phase each of `replyLines` answered (empty when unknown).
    package static func classify(
        curlCode: Int, curlMessage: String, responseCode: Int, replyLines: [String], linePhases: [SMTPPhase] = []
    ) -> DeliveryOutcome {
        let reply = responseCode > 0 ? SMTPReply.lastReply(in: replyLines, code: responseCode) : nil
        let replyOrCode = reply ?? (responseCode > 0 ? SMTPReply(code: responseCode, text: "") : nil)
        let detail = curlCode == 0 ? nil : "curl \(curlCode): \(curlMessage)"
        let phase = phase(of: responseCode, in: replyLines, phases: linePhases)
        func outcome(_ kind: DeliveryOutcome.Kind, _ detail: String?) -> DeliveryOutcome {
            DeliveryOutcome(kind: kind, reply: replyOrCode, transportDetail: detail, phase: phase)
        }

        if curlCode == 0 {
            if (200..<300).contains(responseCode) { return outcome(.accepted, nil) }
            return outcome(.unknown, "libcurl reported success without a 2xx reply")
        }
        if configurationCodes.contains(curlCode) { return outcome(.configurationError, detail) }
        switch responseCode {
        case startMailInput: return outcome(.unknown, detail)
        case 400..<500: return outcome(.deferred, detail)
        case 500..<600: return outcome(.failed, detail)
        default: return outcome(.deferred, detail)
        }
    }

    /// The phase of the last final reply line with `code` (the one the outcome reports), if phases are known.
    static func phase(of code: Int, in lines: [String], phases: [SMTPPhase]) -> SMTPPhase? {
        guard code > 0, phases.count == lines.count else { return nil }
        let prefix = String(code)
        let index = lines.lastIndex { $0.hasPrefix(prefix) && ($0.count == 3 || $0.dropFirst(3).first == " ") }
        return index.map { phases[$0] }
    }
}
