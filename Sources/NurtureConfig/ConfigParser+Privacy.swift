import Foundation
import NurtureCore
import NurtureSMTP
internal import Yams

/// The optional `privacy:` section: the secret that keys suppression hashes and erasure pseudonyms.
extension ConfigParser {
    static let privacyKeys = ["pseudonym_secret_file", "pseudonym_secret_credential"]

    /// What the section gives.
    struct PrivacySettings {
        /// `nil` when none is configured (a warning says what that means).
        var pseudonymSecret: Secret?
    }

    /// The pseudonym secret, checked for length; a warning when it is absent.
    func privacySection(_ top: Fields) -> PrivacySettings {
        let (fileKey, credentialKey) = ("pseudonym_secret_file", "pseudonym_secret_credential")
        guard let node = top["privacy"] else {
            warnNoPseudonymSecret(top.node, "privacy")
            return PrivacySettings()
        }
        guard let fields = diagnostics.fields(node, path: "privacy", allowed: Self.privacyKeys) else {
            return PrivacySettings()
        }
        let secret = secret(fields, fileKey: fileKey, credentialKey: credentialKey)
        guard let value = secret.value else {
            if secret.ok, !secret.configured { warnNoPseudonymSecret(fields.node, "privacy.\(credentialKey)") }
            return PrivacySettings()
        }
        guard checkKeyLength(value, fields, fileKey: fileKey, credentialKey: credentialKey) else {
            return PrivacySettings()
        }
        return PrivacySettings(pseudonymSecret: value)
    }

    private func warnNoPseudonymSecret(_ node: Node?, _ field: String) {
        diagnostics.warn(
            node, field,
            "no pseudonym secret: suppression-list entries and erased leads' pseudonyms are plain SHA-256 hashes of"
                + " the address, which anyone holding the database and a list of candidate addresses can match",
            fix: "set privacy.pseudonym_secret_credential (or pseudonym_secret_file) to a key made once with"
                + " `openssl rand -hex 32`, and never change it (earlier suppressions stay effective)")
    }
}
