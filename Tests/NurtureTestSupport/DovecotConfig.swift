import Foundation

/// The private `dovecot.conf` a ``DovecotPeer`` runs with: everything under its own directory, plain-text logins
/// allowed (loopback only), maildir without fsync, a passwd-file of test users.
struct DovecotConfig {
    var directory: String
    var account: DovecotAccount
    var port: Int
    var tlsPort: Int?
    var withCertificates: Bool
    var mechanisms: String

    var text: String {
        var lines = [
            "instance_name = nurture-test-\(port)",
            "base_dir = \(directory)/run",
            "state_dir = \(directory)/state",
            "log_path = \(directory)/dovecot.log",
            "protocols = imap",
            "listen = 127.0.0.1",
            "disable_plaintext_auth = no",
            "auth_mechanisms = \(mechanisms)",
            "auth_failure_delay = 0",
            "default_internal_user = \(account.user)",
            "default_internal_group = \(account.group)",
            "default_login_user = \(account.user)",
            "first_valid_uid = \(account.uid)",
            "mail_location = maildir:~/Maildir",
            "mail_fsync = never",
            "passdb {",
            "  driver = passwd-file",
            "  args = scheme=PLAIN username_format=%u \(directory)/passwd",
            "}",
            "userdb {",
            "  driver = static",
            "  args = uid=\(account.uid) gid=\(account.gid) home=\(directory)/mail/%u",
            "}",
            "service anvil {",
            "  chroot =",
            "}",
            "service imap-login {",
            "  chroot =",
            "  inet_listener imap {",
            "    port = \(port)",
            "  }",
            "  inet_listener imaps {",
            "    port = \(tlsPort ?? 0)",
        ]
        if tlsPort != nil { lines.append("    ssl = yes") }
        lines += ["  }", "}"]
        if withCertificates {
            lines += [
                "ssl = yes",
                "ssl_cert = <\(directory)/server.pem",
                "ssl_key = <\(directory)/server.key",
            ]
        } else {
            lines.append("ssl = no")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The system account Dovecot's processes and the test mail run as: `nobody` when the tests run as root
/// (Dovecot refuses mail as root), else the current user.
struct DovecotAccount {
    var user: String
    var group: String
    var uid: UInt32
    var gid: UInt32

    static func current() throws -> DovecotAccount {
        let uid = getuid() == 0 ? (getpwnam("nobody")?.pointee.pw_uid ?? 65534) : getuid()
        guard let password = getpwuid(uid), let group = getgrgid(password.pointee.pw_gid) else {
            throw DovecotPeerError.command("looking up the account for uid \(uid)", "no such user or group")
        }
        return DovecotAccount(
            user: String(cString: password.pointee.pw_name), group: String(cString: group.pointee.gr_name), uid: uid,
            gid: password.pointee.pw_gid)
    }

    /// Gives `url` to this account (when running as root), so the mail processes can write there.
    func own(_ url: URL) throws {
        guard getuid() == 0 else { return }
        guard chown(url.path, uid, gid) == 0 else {
            throw DovecotPeerError.command("chown \(url.path)", String(cString: strerror(errno)))
        }
    }
}

/// A throwaway certificate authority and a server certificate it signed for `localhost` and `127.0.0.1`.
enum DovecotCertificates {
    /// Writes `ca.pem`, `server.pem` and `server.key` into `directory`; returns the CA's path.
    static func make(in directory: URL) throws -> String {
        let path = directory.path
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(
            to: directory.appendingPathComponent("server.ext"))
        let steps: [[String]] = [
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Nurture Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", "\(path)/ca.key", "-out", "\(path)/ca.pem",
            ],
            [
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "\(path)/server.key",
                "-out", "\(path)/server.csr",
            ],
            [
                "x509", "-req", "-in", "\(path)/server.csr", "-CA", "\(path)/ca.pem", "-CAkey", "\(path)/ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "\(path)/server.ext", "-out", "\(path)/server.pem",
            ],
        ]
        for step in steps where TestTools.run("/usr/bin/env", ["openssl"] + step) != 0 {
            throw DovecotPeerError.command("openssl \(step[0])", "failed (is openssl installed?)")
        }
        return "\(path)/ca.pem"
    }
}
