#!/usr/bin/env bash
# Drops an incoming message into the demo mailbox (unread, with doveadm), as if the lead had answered the last
# email the demo sent them: `reply`, `ooo` (an out-of-office, back in ten days), `stop` (a reply asking to be
# removed), or `bounce` (a delivery report to that send's VERP envelope sender). The running demo daemon reads
# it within seconds; then `nurture why LEAD --config config/demo.yaml` and `nurture log --inbound` show what it did.
#
# Usage: bash scripts/demo-mail.sh reply|ooo|stop|bounce LEAD-EMAIL
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:-}"; lead="${2:-}"
case "$kind" in reply|ooo|stop|bounce) ;; *) echo "usage: bash scripts/demo-mail.sh reply|ooo|stop|bounce LEAD-EMAIL" >&2; exit 2 ;; esac
[ -n "$lead" ] || { echo "usage: bash scripts/demo-mail.sh $kind LEAD-EMAIL" >&2; exit 2; }
conf=state/demo-dovecot/dovecot.conf
[ -f "$conf" ] || { echo "demo-mail: the demo mailbox is not running; start the demo first (bash scripts/demo.sh)" >&2; exit 1; }

python3 - "$kind" "$lead" <<'PY' | doveadm -c "$conf" save -u replies@acme-analytics.example
import email, email.policy, email.utils, glob, json, os, sys, datetime
kind, lead = sys.argv[1], sys.argv[2].lower()
last = None
for path in sorted(glob.glob("state/demo-mail/*.json")):
    with open(path) as f:
        envelope = json.load(f)
    if lead in [r.lower() for r in envelope["rcpt_tos"]]:
        last = (path[:-5] + ".eml", envelope)
if last is None:
    sys.exit(f"demo-mail: no email to {lead} was captured yet (state/demo-mail/); wait for the daemon to send one")
with open(last[0], "rb") as f:
    sent = email.message_from_binary_file(f, policy=email.policy.default)
message_id, subject = sent["Message-ID"], sent["Subject"]
sender = email.utils.parseaddr(sent["From"])[1]
verp = last[1]["mail_from"]
name = {"reply": "reply", "ooo": "ooo", "stop": "reply", "bounce": "bounce-verp"}[kind]
with open(f"Tests/Fixtures/inbound/e2e/{name}.eml.template") as f:
    text = f.read()
back = datetime.date.today() + datetime.timedelta(days=10)
for key, value in {
    "LEAD": lead, "SALESPERSON": sender, "MESSAGE_ID": message_id, "VERP": verp,
    "RETURN_DATE": back.strftime("%A, %d %B %Y"), "DATE": email.utils.formatdate(localtime=True),
}.items():
    text = text.replace("{{" + key + "}}", value)
unique = os.urandom(6).hex()
text = text.replace("Message-ID: <e2e-", f"Message-ID: <demo-{unique}-")
text = text.replace("Quick question about your pipeline", subject)
if kind == "stop":
    text = text.replace("Sounds good, let's talk on Thursday.", "Please remove me from your list.")
sys.stdout.write(text.replace("\r\n", "\n"))
PY
echo "demo-mail: delivered a $kind from $lead to the demo mailbox (unread)"
