#!/usr/bin/env bash
# The demo: installs what it needs, builds, starts a local capture SMTP server on 127.0.0.1:2525
# (aiosmtpd; every message is kept under state/demo-mail/), adds a few example leads, and runs the daemon
# on config/demo.yaml (the shipped configuration with delays of seconds). Both tracks go out within a
# minute or two. In another terminal:
#   .build/debug/nurture log --config config/demo.yaml --follow
#   .build/debug/nurture why ben@example.org --config config/demo.yaml
#   curl -s http://127.0.0.1:8470/healthz     (the API token is in state/demo-api-tokens)
# Ctrl-C stops the daemon (gracefully) and the capture server.
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
trap 'kill "$peer" 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q READY state/demo-peer.out 2>/dev/null && break; sleep 0.1; done
grep -q READY state/demo-peer.out || { echo "demo: the capture server did not start:"; cat state/demo-peer.out; exit 1; }
echo "demo: capture SMTP server on 127.0.0.1:2525, messages in $mail/"

# The API token the demo's HTTP interface accepts (config/demo.yaml reads it; state/ is not in git).
tokens=state/demo-api-tokens
if [ ! -s "$tokens" ]; then
    (umask 077; python3 -c 'import secrets; print("demo", secrets.token_hex(24))' > "$tokens")
fi
token="$(awk '{print $2}' "$tokens")"

"$nurture" check --config "$config"
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
echo "demo: running the daemon (Ctrl-C to stop)"
"$nurture" run --config "$config"
