#!/usr/bin/env bash
# Installs the system packages Nurture builds and tests against, once: libcurl (OpenSSL flavour),
# SQLite headers, Postfix (for smtp-sink/smtp-source), systemd (systemd-analyze), openssl, swaks, Dovecot
# (dovecot-imapd, for the IMAP tests), PostgreSQL (a throwaway cluster per test run), Chromium and its chromedriver
# (the console's real-browser tests), and aiosmtpd 1.4.6, schemathesis 4.32.5 and Selenium 4.38.0 for the python3 on PATH.
# Safe to run again: it skips what is already there.
set -euo pipefail

# dovecot-imapd pulls in dovecot-core. The tests run their own Dovecot on a free loopback port with a private
# configuration; the system service is not used. On some machines the package's postinst starts a system
# Dovecot on ports 143/993: harmless to the tests, stop or disable it if you do not want it.
# python3-dkim (dkimpy, for /usr/bin/python3) is the independent verifier of the DKIM tests (Tests/Support/dkim_verify.py).
packages=(libcurl4-openssl-dev libsqlite3-dev pkg-config postfix systemd openssl swaks python3 python3-pip ca-certificates
    dovecot-imapd postgresql python3-dkim chromium chromium-driver)
updated=0
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix asks how to deliver mail; we only need its smtp-sink and smtp-source tools.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update
    updated=1
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! python3 -c 'import aiosmtpd, sys; sys.exit(0 if aiosmtpd.__version__ >= "1.4.6" else 1)' 2>/dev/null; then
    echo "install-deps: installing aiosmtpd 1.4.6 for $(command -v python3)"
    python3 -m pip install --quiet "aiosmtpd==1.4.6" \
        || python3 -m pip install --quiet --break-system-packages "aiosmtpd==1.4.6" \
        || {
            # No usable pip or index: Debian's package (1.4.3) has every hook the tests use.
            echo "install-deps: pip failed; installing Debian's python3-aiosmtpd instead"
            ((updated)) || apt-get update
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-aiosmtpd
        }
fi
# schemathesis checks docs/openapi.yaml against the running daemon (Tests/NurtureCLITests/SchemathesisTests.swift).
if ! command -v schemathesis >/dev/null 2>&1 || [ "$(schemathesis --version 2>/dev/null)" != "schemathesis, version 4.32.5" ]; then
    echo "install-deps: installing schemathesis 4.32.5 for $(command -v python3)"
    python3 -m pip install --quiet "schemathesis==4.32.5" \
        || python3 -m pip install --quiet --break-system-packages "schemathesis==4.32.5"
fi
# Selenium drives Debian's headless Chromium through Debian's chromedriver in the console's browser tests
# (Tests/Browser/console_browser.py); it never downloads a browser or a driver of its own.
if ! python3 -c 'import selenium, sys; sys.exit(0 if selenium.__version__ == "4.38.0" else 1)' 2>/dev/null; then
    echo "install-deps: installing Selenium 4.38.0 for $(command -v python3)"
    python3 -m pip install --quiet "selenium==4.38.0" \
        || python3 -m pip install --quiet --break-system-packages "selenium==4.38.0"
fi

python3 -c 'import aiosmtpd' || {
    echo "install-deps: aiosmtpd does not import in $(command -v python3); install it for that python3" >&2
    exit 1
}
