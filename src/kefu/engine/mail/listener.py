"""`kefu mail-in` (CASE-2): receive mail for the service addresses and store it with `ingest`.

Two ways in:
- an SMTP listener (aiosmtpd): `kefu mail-in --host 127.0.0.1 --port 2525`, usually behind the
  organisation's MTA, which relays the service addresses to it. Recipients other than the service
  addresses (KEFU_SERVICE_MAIL) are refused with 550; messages over `mail.message_max_size` with 552;
  a database failure answers 451 so that the sending server tries again later — nothing is lost.
- a pipe from an MTA alias: `kefu mail-in --stdin` reads one message; exit status 0 (stored), 65
  (refused for good: too large) or 75 (temporary failure: the MTA retries).
"""

import logging
import signal
import sys
import threading

from asgiref.sync import sync_to_async
from django.db import connection

from kefu.core.crypto import fingerprint
from kefu.core.errors import Invalid
from kefu.engine.mail.actions_inbound import ingest, max_message_size, service_addresses

log = logging.getLogger("kefu.mail")
EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75


def _ingest(content: bytes, mail_from, rcpt_tos) -> None:
    # a pool thread of the event loop: its own connection, opened and closed per message
    try:
        ingest(content, envelope_from=mail_from, envelope_to=rcpt_tos)
    finally:
        connection.close()


class ServiceMailbox:
    """aiosmtpd handler: accepts mail for the service addresses only and stores it."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.strip().lower() not in service_addresses():
            return "550 5.1.1 Recipient not accepted here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        try:
            await sync_to_async(_ingest, thread_sensitive=False)(
                content, envelope.mail_from, envelope.rcpt_tos
            )
        except Invalid:
            return "552 5.3.4 Message too big"
        except Exception:
            log.exception(
                "could not store a message from %s; the sender will retry", fingerprint(envelope.mail_from)
            )
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 2.0.0 Message accepted"


def controller(host: str, port: int):
    from aiosmtpd.controller import Controller

    # aiosmtpd logs every envelope sender and recipient at INFO: customers' addresses (SEC-1)
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    return Controller(ServiceMailbox(), hostname=host, port=port, data_size_limit=max_message_size())


def serve(host: str, port: int) -> int:
    if not service_addresses():
        print("KEFU_SERVICE_MAIL 未设置 / KEFU_SERVICE_MAIL is not set", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    server = controller(host, port)
    server.start()
    log.info("mail-in listening on %s:%s for %s", host, port, ", ".join(service_addresses()))
    try:
        stop.wait()
    finally:
        server.stop()
    return EX_OK


def from_stdin(stream, *, sender: str | None, recipient: str) -> int:
    limit = max_message_size()
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        print("邮件超过大小上限 / the message is larger than allowed", file=sys.stderr)
        return EX_DATAERR
    recipients = [recipient] if recipient else service_addresses()[:1]
    try:
        ingest(raw, envelope_from=sender, envelope_to=recipients)
    except Invalid as error:
        print(error.message, file=sys.stderr)
        return EX_DATAERR
    except Exception:
        log.exception("could not store the message; the MTA will retry")
        return EX_TEMPFAIL
    return EX_OK
