#!/usr/bin/env bash
# The demo's mailbox: a private Dovecot on 127.0.0.1:3143 (IMAP, loopback only, state under state/demo-dovecot/),
# with one account, replies@acme-analytics.example, whose password is in state/demo-imap-password (mode 0600).
# scripts/demo.sh starts it (`start`) and watches it; `stop` stops it. No system service is used or changed.
#
# Usage: bash scripts/demo-mailbox.sh start | stop
set -euo pipefail
cd "$(dirname "$0")/.."

root="$PWD/state/demo-dovecot"
conf="$root/dovecot.conf"
port="${DEMO_IMAP_PORT:-3143}"
user=replies@acme-analytics.example

case "${1:-}" in
start)
    command -v dovecot >/dev/null || { echo "demo-mailbox: dovecot is missing (Debian dovecot-imapd; scripts/install-deps.sh)" >&2; exit 1; }
    mkdir -p "$root/run" "$root/state" "$root/mail"
    password_file=state/demo-imap-password
    if [ ! -s "$password_file" ]; then
        (umask 077; python3 -c 'import secrets; print(secrets.token_hex(16))' > "$password_file")
    fi
    # Dovecot's mail processes must not run as root: as root, the mail is kept as `nobody`.
    if [ "$(id -u)" = 0 ]; then account=nobody; else account="$(id -un)"; fi
    uid="$(id -u "$account")"; gid="$(id -g "$account")"; group="$(id -gn "$account")"
    (umask 077; echo "$user:{PLAIN}$(cat "$password_file")" > "$root/passwd")
    # Dovecot's auth process reads the password list as that account.
    if [ "$(id -u)" = 0 ]; then chown -R "$account:$group" "$root/mail" "$root/passwd"; fi
    cat > "$conf" <<CONF
instance_name = nurture-demo
base_dir = $root/run
state_dir = $root/state
log_path = $root/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $account
default_internal_group = $group
default_login_user = $account
first_valid_uid = $uid
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $root/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$root/mail/%u
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
    [ -f "$root/run/master.pid" ] && kill "$(cat "$root/run/master.pid")" 2>/dev/null && sleep 1.5 || true
    # Started without the caller's blocked signals, so SIGTERM stops it.
    env --default-signal dovecot -c "$conf"
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null && break
        sleep 0.1
    done
    # Create the account's INBOX now, so the first poll finds it.
    doveadm -c "$conf" mailbox status -u "$user" messages INBOX >/dev/null
    echo "demo: mailbox imap://127.0.0.1:$port/INBOX ($user), state in state/demo-dovecot/"
    ;;
stop)
    if [ -f "$root/run/master.pid" ]; then
        pid="$(cat "$root/run/master.pid")"
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    ;;
*)
    echo "usage: bash scripts/demo-mailbox.sh start | stop" >&2
    exit 2
    ;;
esac
