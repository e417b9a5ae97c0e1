#!/usr/bin/env python3
"""A capturing SMTP server for Nurture's integration tests, built on aiosmtpd.

It listens on a free loopback port, prints "READY <port>" on stdout, and stores every accepted message
byte for byte as NNNN.eml (plus NNNN.json with the envelope) in --capture-dir. It also appends one
line per connection and per MAIL command to <capture-dir>/events.log, so tests can count connections
and prove that nothing was sent in clear, and a DATA-ABORTED line for each transaction whose connection
ended after the 354 and before the final dot (a body cut off mid-way, never captured).

Faults are chosen per message by the recipient's local part, so one server covers every case:
  rcpt4xx*   450 on RCPT              rcpt5xx*   550 5.1.1 on RCPT      policy5xx*  550 5.7.1 on RCPT
  rcpt421*   421 on RCPT, then close  dot4xx*    451 after the dot      dot5xx*     554 after the dot
  dropdot*   close after the dot without a reply
  slowdot*   accept and capture, but reply only after --slow-seconds
  relaydeny* 554 5.7.1 relay access denied on RCPT
  blockdot*  550 5.7.1 after the dot         fulldot*   552 5.2.2 after the dot
  gonedot*   550 5.1.1 after the dot
--mail-reply REPLY answers every MAIL FROM with REPLY (e.g. "553 5.7.1 Sender address rejected"), until the
file named by --mail-reply-until-absent (if given) is deleted.
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, syntax


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def event(self, line):
        with open(os.path.join(self.directory, "events.log"), "a") as log:
            log.write(line + "\n")

    def capture(self, envelope, tls):
        self.count += 1
        stem = os.path.join(self.directory, "%04d" % self.count)
        with open(stem + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(stem + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "tls": tls}, f)
        os.rename(stem + ".eml.tmp", stem + ".eml")
        return "Q%04d" % self.count


def uses_tls(server):
    """True after STARTTLS or on an implicit-TLS (smtps) connection."""
    return server._tls_protocol is not None or server.transport.get_extra_info("ssl_object") is not None


class Handler:
    def __init__(self, recorder, slow_seconds, mail_reply=None, mail_reply_switch=None):
        self.recorder = recorder
        self.slow_seconds = slow_seconds
        self.mail_reply = mail_reply
        self.mail_reply_switch = mail_reply_switch

    async def handle_MAIL(self, server, session, envelope, address, options):
        self.recorder.event("MAIL tls=%s from=%s" % (uses_tls(server), address))
        if self.mail_reply and (self.mail_reply_switch is None or os.path.exists(self.mail_reply_switch)):
            return self.mail_reply
        envelope.mail_from = address
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@")[0].lower()
        if local.startswith("rcpt4xx"):
            return "450 4.2.1 Mailbox busy, try again later"
        if local.startswith("rcpt5xx"):
            return "550 5.1.1 No such user here"
        if local.startswith("policy5xx"):
            return "550 5.7.1 Sender not permitted"
        if local.startswith("relaydeny"):
            return "554 5.7.1 <%s>: Relay access denied" % address
        if local.startswith("rcpt421"):
            await server.push("421 4.3.2 Service shutting down")
            server.transport.close()
            return "421 4.3.2 Service shutting down"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        local = envelope.rcpt_tos[0].split("@")[0].lower()
        if local.startswith("dot4xx"):
            return "451 4.3.0 Temporary local problem"
        if local.startswith("dot5xx"):
            return "554 5.6.0 Message content rejected"
        if local.startswith("blockdot"):
            return "550 5.7.1 Message blocked by policy"
        if local.startswith("fulldot"):
            return "552 5.2.2 Mailbox full"
        if local.startswith("gonedot"):
            return "550 5.1.1 No such user"
        if local.startswith("dropdot"):
            server.transport.close()
            return "250 never seen"
        queue_id = self.recorder.capture(envelope, uses_tls(server))
        if local.startswith("slowdot"):
            await asyncio.sleep(self.slow_seconds)
        return "250 2.0.0 Ok: queued as %s" % queue_id


def main():
    # A parent may spawn us with signals blocked or ignored (a test runner's dispatch thread); undo that so
    # SIGTERM always stops the peer.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser()
    parser.add_argument("--capture-dir", required=True)
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps)")
    parser.add_argument("--auth-mechanism", choices=["PLAIN", "LOGIN"])
    parser.add_argument("--user", default="nurture")
    parser.add_argument("--password", default="")
    parser.add_argument("--slow-seconds", type=float, default=3.0)
    parser.add_argument("--port", type=int, default=0, help="listen port (default: a free one)")
    parser.add_argument("--mail-reply", help="answer every MAIL FROM with this reply")
    parser.add_argument("--mail-reply-until-absent", help="only while this file exists")
    args = parser.parse_args()

    recorder = Recorder(args.capture_dir)
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
            and auth_data.password.decode() == args.password
        recorder.event("AUTH mechanism=%s ok=%s" % (mechanism, ok))
        return AuthResult(success=ok, handled=False)

    class Server(SMTP):
        def connection_made(self, transport):
            recorder.event("CONNECT")
            super().connection_made(transport)

        @syntax("DATA")
        async def smtp_DATA(self, arg):
            # A transaction cut off after the 354 (the client died while sending the body) leaves no capture:
            # count it, so a test can tell a message that never reached the server from one lost mid-body.
            try:
                await super().smtp_DATA(arg)
            except BaseException:
                recorder.event("DATA-ABORTED")
                raise

    def factory():
        options = {"hostname": "nurture-test-peer", "ident": "Nurture test peer"}
        if context is not None and not args.implicit_tls:
            options.update(tls_context=context, require_starttls=True)
        if args.auth_mechanism:
            excluded = [m for m in ("PLAIN", "LOGIN") if m != args.auth_mechanism]
            options.update(authenticator=authenticator, auth_required=True, auth_require_tls=False,
                           auth_exclude_mechanism=excluded)
        handler = Handler(recorder, args.slow_seconds, args.mail_reply, args.mail_reply_until_absent)
        return Server(handler, **options)

    async def serve():
        server = await asyncio.get_running_loop().create_server(
            factory, host="127.0.0.1", port=args.port, ssl=context if args.implicit_tls else None)
        print("READY %d" % server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
