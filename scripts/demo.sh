#!/usr/bin/env bash
# The demo: installs what it needs, builds, starts a local capture SMTP server on 127.0.0.1:2525
# (aiosmtpd; every message is kept under state/demo-mail/) and a local mailbox on 127.0.0.1:3143 (a private
# Dovecot, scripts/demo-mailbox.sh), adds a few example leads, and runs the daemon on config/demo.yaml (the
# shipped configuration with delays of seconds) plus an `inbound:` section watching that mailbox
# (state/demo-run.yaml). Both tracks go out within a minute or two. In another terminal:
#   .build/debug/nurture log --config config/demo.yaml --follow
#   .build/debug/nurture why ben.okafor@example.org --config config/demo.yaml
#   bash scripts/demo-mail.sh reply ben.okafor@example.org   (or ooo / stop / bounce: the lead answers)
#   .build/debug/nurture log --inbound --config config/demo.yaml
#   curl -s http://127.0.0.1:8470/healthz     (the API token is in state/demo-api-tokens)
# Ctrl-C stops the daemon (gracefully), the capture server and the mailbox.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
swift build --product nurture
nurture=.build/debug/nurture
config=config/demo.yaml
mail=state/demo-mail
mkdir -p "$mail"

python3 Tests/Support/smtp_peer.py --capture-dir "$mail" --port 2525 > state/demo-peer.out 2>&1 &
peer=$!
trap 'kill "$peer" 2>/dev/null || true; bash scripts/demo-mailbox.sh stop' EXIT
for _ in $(seq 50); do grep -q READY state/demo-peer.out 2>/dev/null && break; sleep 0.1; done
grep -q READY state/demo-peer.out || { echo "demo: the capture server did not start:"; cat state/demo-peer.out; exit 1; }
echo "demo: capture SMTP server on 127.0.0.1:2525, messages in $mail/"
bash scripts/demo-mailbox.sh start

# config/demo.yaml plus a mailbox to watch. It lives in state/, beside config/, so its relative paths
# (../templates, ../state/demo) mean the same; VERP envelope senders name each send in bounces.
run_config=state/demo-run.yaml
{
    cat "$config"
    cat <<'YAML'

# Added by scripts/demo.sh: the demo mailbox (scripts/demo-mailbox.sh). Demo only: clear text on loopback.
inbound:
  verp:
    domain: bounces.acme-analytics.example
  sales_opt_out_sentence: "If you'd rather not hear from me, just reply \"stop\"."
  mailboxes:
    - name: replies
      url: imap://127.0.0.1:3143/INBOX
      security: none
      username: replies@acme-analytics.example
      password_file: demo-imap-password
      poll_interval: 5s
YAML
} > "$run_config"

# The API token the demo's HTTP interface accepts (config/demo.yaml reads it; state/ is not in git).
tokens=state/demo-api-tokens
if [ ! -s "$tokens" ]; then
    (umask 077; python3 -c 'import secrets; print("demo", secrets.token_hex(24))' > "$tokens")
fi
token="$(awk '{print $2}' "$tokens")"

# The operator console's user `demo` (config/demo.yaml reads state/demo-console-users; state/ is not in git).
console_password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
printf '%s\n' "$console_password" |
    "$nurture" console add-user demo --role admin --users-file state/demo-console-users > /dev/null

"$nurture" check --config "$run_config"
add() { "$nurture" leads add "$@" --config "$config" || true; }   # already there on a second run: fine
add ana.lima@example.com --first-name Ana --last-name Lima --company Globex --title "Data Lead" \
    --time-zone Europe/Lisbon
add ben.okafor@example.org --first-name Ben --last-name Okafor --company Initech --source inbound \
    --stage sales-qualified --time-zone America/Chicago
add chen.wu@example.net --first-name Chen --last-name Wu --company Umbrella --stage lead \
    --vision yes --budget yes --need yes --authority yes --timeframe yes

echo "demo: HTTP interface on http://127.0.0.1:8470 — try, in another terminal:"
echo "  curl -s -H 'Authorization: Bearer $token' -H 'Content-Type: application/json' \\"
echo "       -d '{\"email\": \"dee@example.com\", \"first_name\": \"Dee\"}' http://127.0.0.1:8470/v1/leads"
echo "  curl -s http://127.0.0.1:8470/metrics | grep nurture_sends_total"
echo "demo: operator console on http://127.0.0.1:8470/console — user demo, password $console_password"
echo "demo: when a lead has mail, answer as them: bash scripts/demo-mail.sh reply|ooo|stop|bounce LEAD-EMAIL"
echo "  then: $nurture why LEAD-EMAIL --config $config ; $nurture log --inbound --config $config"
echo "demo: running the daemon (Ctrl-C to stop)"
"$nurture" run --config "$run_config"
