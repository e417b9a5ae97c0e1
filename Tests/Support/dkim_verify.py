#!/usr/bin/python3
"""Verify the DKIM signatures of messages with Debian's python3-dkim (dkimpy), and recompute each body hash.

Usage:
    /usr/bin/python3 dkim_verify.py RECORDS.json FILE...

RECORDS.json maps a DNS name (``SELECTOR._domainkey.DOMAIN``) to the TXT record text published there
(``v=DKIM1; k=rsa; p=...``); dkimpy's DNS lookup is replaced by a lookup in that map, so no network is used.

For every FILE and every DKIM-Signature field in it (in order), the script reports:
  * ``verified``: ``dkim.DKIM(message).verify(idx=i, dnsfunc=...)``;
  * ``a``, ``d``, ``s``, ``h``: the signature's tags;
  * ``bh_matches``: whether ``bh=`` equals a body hash computed here, independently of dkimpy: SHA-256 over
    the relaxed body (RFC 6376 section 3.4.4), base64.

Output: one JSON object on stdout: {"files": [{"file": ..., "signatures": [...]}], "failures": N}.
Exit status 1 when any signature fails to verify or any body hash differs, 2 on bad usage, else 0.
"""

import base64
import hashlib
import json
import re
import sys

import dkim


def relaxed_body(body):
    lines = body.split(b"\r\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = [re.sub(rb"[ \t]+", b" ", line).rstrip(b" ") for line in lines]
    while out and out[-1] == b"":
        out.pop()
    return b"".join(line + b"\r\n" for line in out)


def signature_fields(message):
    head = message.split(b"\r\n\r\n", 1)[0]
    unfolded = re.sub(rb"\r\n([ \t])", rb"\1", head)
    fields = []
    for line in unfolded.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"dkim-signature":
            tags = {}
            for part in value.split(b";"):
                key, eq, tag_value = part.partition(b"=")
                if eq:
                    tags[key.strip().decode()] = re.sub(rb"\s+", b"", tag_value).decode()
            fields.append(tags)
    return fields


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        records = {name.lower(): text.encode() for name, text in json.load(handle).items()}

    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        return records.get(key.rstrip(".").lower())

    report = {"files": [], "failures": 0}
    for path in argv[2:]:
        with open(path, "rb") as handle:
            message = handle.read()
        body = message.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in message else b""
        body_hash = base64.b64encode(hashlib.sha256(relaxed_body(body)).digest()).decode()
        signatures = []
        for index, tags in enumerate(signature_fields(message)):
            try:
                verified = bool(dkim.DKIM(message).verify(idx=index, dnsfunc=dnsfunc))
            except Exception as error:  # dkimpy raises on malformed input; that is a failure too
                verified = False
                tags["error"] = str(error)
            entry = {
                "verified": verified,
                "bh_matches": tags.get("bh") == body_hash,
                "a": tags.get("a"),
                "d": tags.get("d"),
                "s": tags.get("s"),
                "h": tags.get("h"),
                "error": tags.get("error"),
            }
            if not (entry["verified"] and entry["bh_matches"]):
                report["failures"] += 1
            signatures.append(entry)
        report["files"].append({"file": path, "signatures": signatures})
    print(json.dumps(report))
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
