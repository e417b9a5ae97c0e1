#!/usr/bin/env python3
"""Validate RFC 5322 / MIME messages and print a JSON report.

Usage:
    python3 validate_message.py [--strict-lines] FILE...

For every FILE the script:
  * checks the raw bytes: CRLF line endings only, no line over 998 octets, a final CRLF;
  * parses it with ``email.message_from_bytes(data, policy=email.policy.strict)``, walks every part,
    collects each part's ``.defects`` and each header's ``.defects``, and calls ``get_content()`` on
    every leaf part (the strict policy does not raise on bad headers, so this walk is what finds them);
  * checks that every RFC 2047 encoded-word is at most 75 characters and decodes on its own as UTF-8
    (so no UTF-8 sequence is split across two encoded-words);
  * requires ``Date``, ``Message-ID`` and ``From`` at the top level;
  * when ``FILE.json`` exists, compares decoded values with the expectations in it:
        {"subject": str, "from": {"display_name": str|null, "address": str}, "to": {...},
         "reply_to": {...}|null, "text": str, "html": str|null, "headers": {name: value}}
    Bodies are compared with line endings normalised to LF.

``--strict-lines`` also counts a body line starting with "." or "From " as a defect (Nurture's composer
never writes one; messages captured from other senders may have them).

Display names are decoded from the raw header following RFC 2047 section 6.2 (white space between
adjacent encoded-words is ignored). Python's header parser keeps that white space inside a phrase
(its own generator's output does not round-trip either), so its ``display_name`` is only compared with
white space removed.

Output: one JSON object on stdout with ``checked`` (files read), ``defect_count`` and per-file results.
Exit status 1 if any defect was found, 2 on bad usage, else 0.
"""

import base64
import email
import email.policy
import json
import os
import re
import sys

ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
MAX_LINE = 998


def decode_encoded_word(match):
    """Decodes one encoded-word; raises ValueError if it is not valid UTF-8 on its own."""
    charset, encoding, text = match.group(1), match.group(2).upper(), match.group(3)
    if encoding == "B":
        raw = base64.b64decode(text, validate=True)
    else:
        raw = bytearray()
        index = 0
        while index < len(text):
            char = text[index]
            if char == "_":
                raw.append(0x20)
            elif char == "=":
                raw.append(int(text[index + 1:index + 3], 16))
                index += 2
            else:
                raw.append(ord(char))
            index += 1
        raw = bytes(raw)
    return raw.decode(charset.split("*")[0], errors="strict")


def decode_phrase(phrase):
    """A display name per RFC 5322 + RFC 2047: atoms, one quoted-string, or encoded-words."""
    phrase = phrase.strip()
    if not phrase:
        return None
    if phrase.startswith('"') and phrase.endswith('"') and len(phrase) >= 2:
        return re.sub(r"\\(.)", r"\1", phrase[1:-1])
    out = []
    previous_was_ew = False
    pending_space = ""
    for token in re.findall(r"\s+|\S+", phrase):
        if token.isspace():
            pending_space = token
            continue
        match = ENCODED_WORD.fullmatch(token)
        if match:
            if not previous_was_ew:
                out.append(pending_space)
            out.append(decode_encoded_word(match))
        else:
            out.append(pending_space + token)
        previous_was_ew = bool(match)
        pending_space = ""
    return "".join(out)


def unfold(value):
    return re.sub(r"\r?\n(?=[ \t])", "", value)


def split_mailbox(raw):
    """(display-name phrase, addr-spec) from a raw single-mailbox header value."""
    value = unfold(raw).strip()
    if value.endswith(">") and "<" in value:
        cut = value.rindex("<")
        return value[:cut], value[cut + 1:-1]
    return "", value


def normalise_newlines(text):
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def check_raw(data, strict_lines, defects, stats):
    lines = data.split(b"\r\n")
    if data and not data.endswith(b"\r\n"):
        defects.append("message does not end with CRLF")
    else:
        lines = lines[:-1]
    in_headers = True
    for number, line in enumerate(lines, start=1):
        if b"\r" in line or b"\n" in line:
            defects.append(f"line {number}: bare CR or LF (only CRLF allowed)")
        if len(line) > MAX_LINE:
            defects.append(f"line {number}: {len(line)} octets, over the {MAX_LINE} limit")
        stats["longest_line"] = max(stats["longest_line"], len(line))
        if in_headers:
            if line == b"":
                in_headers = False
                continue
            stats["longest_header_line"] = max(stats["longest_header_line"], len(line))
            continue
        if line.startswith(b"."):
            stats["dot_lines"] += 1
            if strict_lines:
                defects.append(f"line {number}: starts with '.'")
        if line.startswith(b"From "):
            stats["from_lines"] += 1
            if strict_lines:
                defects.append(f"line {number}: starts with 'From '")
    stats["lines"] = len(lines)


def check_encoded_words(part, where, defects):
    for name, raw in part.raw_items():
        for match in ENCODED_WORD.finditer(unfold(str(raw))):
            if len(match.group(0)) > 75:
                defects.append(f"{where} header {name}: encoded-word of {len(match.group(0))} chars (limit 75)")
            try:
                decode_encoded_word(match)
            except (ValueError, LookupError) as error:
                defects.append(f"{where} header {name}: encoded-word {match.group(0)!r} does not decode: {error}")


def walk(message, defects):
    """Collects defects of every part and header; returns leaf contents by content type."""
    contents = {}
    for index, part in enumerate(message.walk()):
        where = f"part {index} ({part.get_content_type()})"
        for defect in part.defects:
            defects.append(f"{where}: {defect!r}")
        for name in part.keys():
            try:
                for value in part.get_all(name):
                    for defect in getattr(value, "defects", ()):
                        defects.append(f"{where} header {name}: {defect!r}")
            except Exception as error:  # noqa: BLE001 - any parser failure is a defect to report
                defects.append(f"{where} header {name}: {type(error).__name__}: {error}")
        check_encoded_words(part, where, defects)
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
            contents.setdefault(part.get_content_type(), []).append(content)
        except Exception as error:  # noqa: BLE001
            defects.append(f"{where}: get_content() failed: {type(error).__name__}: {error}")
    return contents


def compare_mailbox(message, header, expected, defects):
    raw_values = [value for name, value in message.raw_items() if name.lower() == header.lower()]
    if expected is None:
        if raw_values:
            defects.append(f"{header}: present but not expected")
        return
    if len(raw_values) != 1:
        defects.append(f"{header}: expected one header, found {len(raw_values)}")
        return
    phrase, addr = split_mailbox(str(raw_values[0]))
    if addr != expected["address"]:
        defects.append(f"{header}: address {addr!r} != expected {expected['address']!r}")
    try:
        name = decode_phrase(phrase)
    except (ValueError, LookupError) as error:
        defects.append(f"{header}: display name does not decode: {error}")
        return
    want = expected.get("display_name") or None
    if name != want:
        defects.append(f"{header}: display name {name!r} != expected {want!r}")
    try:
        parsed = message[header].addresses
        if len(parsed) != 1 or parsed[0].addr_spec != expected["address"]:
            defects.append(f"{header}: Python parsed {parsed!r}, expected one mailbox {expected['address']!r}")
        elif re.sub(r"\s", "", parsed[0].display_name) != re.sub(r"\s", "", want or ""):
            defects.append(f"{header}: Python display name {parsed[0].display_name!r} != {want!r}")
    except Exception as error:  # noqa: BLE001
        defects.append(f"{header}: Python could not parse it: {type(error).__name__}: {error}")


def compare_expected(message, contents, expected, defects):
    if "subject" in expected:
        subjects = message.get_all("Subject") or []
        got = str(subjects[0]) if len(subjects) == 1 else None
        if got != expected["subject"]:
            defects.append(f"Subject: {got!r} != expected {expected['subject']!r}")
    for header, key in (("From", "from"), ("To", "to"), ("Reply-To", "reply_to")):
        if key in expected:
            compare_mailbox(message, header, expected[key], defects)
    for name, value in (expected.get("headers") or {}).items():
        values = message.get_all(name) or []
        if [str(v) for v in values] != [value]:
            defects.append(f"{name}: {[str(v) for v in values]!r} != expected [{value!r}]")
    html = expected.get("html")
    if "text" in expected or "html" in expected:
        if html is None:
            if message.get_content_type() != "text/plain":
                defects.append(f"top level is {message.get_content_type()}, expected text/plain")
        else:
            kinds = [part.get_content_type() for part in message.iter_parts()]
            if message.get_content_type() != "multipart/alternative" or kinds != ["text/plain", "text/html"]:
                defects.append(f"structure {message.get_content_type()} {kinds}, expected alternative text+html")
    for kind, key in (("text/plain", "text"), ("text/html", "html")):
        want = expected.get(key)
        if want is None:
            continue
        got = contents.get(kind, [])
        if len(got) != 1 or normalise_newlines(got[0]) != normalise_newlines(want):
            shown = [g[:200] for g in got]
            defects.append(f"{kind} body {shown!r} != expected {want[:200]!r}")


def validate(path, strict_lines):
    defects = []
    stats = {"lines": 0, "longest_line": 0, "longest_header_line": 0, "dot_lines": 0, "from_lines": 0}
    result = {"file": path, "defects": defects}
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        defects.append(f"cannot read: {error}")
        result.update(stats)
        return result
    check_raw(data, strict_lines, defects, stats)
    try:
        message = email.message_from_bytes(data, policy=email.policy.strict)
    except Exception as error:  # noqa: BLE001 - strict policy raises on message-level defects
        defects.append(f"parse failed: {type(error).__name__}: {error}")
        result.update(stats)
        return result
    contents = walk(message, defects)
    for required in ("Date", "Message-ID", "From"):
        if len(message.get_all(required) or []) != 1:
            defects.append(f"top level must have exactly one {required} header")
    sidecar = path + ".json"
    if os.path.exists(sidecar):
        with open(sidecar, encoding="utf-8") as handle:
            compare_expected(message, contents, json.load(handle), defects)
        result["expectations"] = True
    result.update(stats)
    return result


def main(argv):
    strict_lines = "--strict-lines" in argv
    files = [arg for arg in argv if arg != "--strict-lines"]
    if not files or any(arg.startswith("--") for arg in files):
        print(__doc__, file=sys.stderr)
        return 2
    results = [validate(path, strict_lines) for path in files]
    defect_count = sum(len(r["defects"]) for r in results)
    report = {
        "checked": len(results),
        "with_expectations": sum(1 for r in results if r.get("expectations")),
        "defect_count": defect_count,
        "dot_lines": sum(r["dot_lines"] for r in results),
        "from_lines": sum(r["from_lines"] for r in results),
        "longest_line": max(r["longest_line"] for r in results),
        "longest_header_line": max(r["longest_header_line"] for r in results),
        "results": [r for r in results if r["defects"]] if len(results) > 20 else results,
    }
    for r in results:
        for defect in r["defects"]:
            print(f"{r['file']}: {defect}", file=sys.stderr)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 1 if defect_count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
