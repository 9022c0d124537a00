"""Reading an RFC 822 message (CASE-2): decoded headers, the text body, attachments, auto-reply marks.

Chinese mail is often labelled GB2312 while using GBK characters: every GB charset is decoded as
GB18030 (a superset of both). Unknown or wrong charsets never fail the message: undecodable bytes
become U+FFFD.
"""

import hashlib
import re
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses
from html.parser import HTMLParser

CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "": "utf-8"}
KEPT_HEADERS = ("Date", "Reply-To", "Auto-Submitted", "Precedence", "X-Autoreply", "X-Auto-Response-Suppress")
_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre"}


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Parsed:
    message_id: str
    from_address: str
    from_name: str
    to_addresses: list[str]
    subject: str
    text: str
    in_reply_to: str
    references: str
    headers: dict
    attachments: list[Attachment] = field(default_factory=list)


def guess(data: bytes) -> str:
    """Bytes without a (usable) charset label: UTF-8 if they are, else GB18030, else UTF-8 with U+FFFD."""
    for name in ("utf-8", "gb18030"):
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def decode(data: bytes, charset: str | None) -> str:
    name = (charset or "").strip().lower()
    if name in ("", "unknown-8bit", "us-ascii", "ascii"):
        return guess(data)
    name = CHARSET_ALIASES.get(name, name)
    try:
        return data.decode(name, errors="replace")
    except LookupError:  # a charset Python does not know
        return guess(data)


def header_text(value) -> str:
    """A header's text: RFC 2047 encoded words decoded by our charset rules (GB2312 → GB18030), raw
    8-bit bytes guessed (UTF-8, else GB18030), whitespace collapsed."""
    if value is None:
        return ""
    try:
        parts = decode_header(value)
    except Exception:  # malformed encoded words: keep the text as it came
        parts = [(str(value), None)]
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            chunk = chunk.encode(
                "utf-8", errors="surrogateescape"
            )  # undo the parser's escaping of 8-bit bytes
        out.append(decode(chunk, charset))
    return " ".join("".join(out).split())


class _TextOfHtml(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _header(message: Message, name: str) -> str:
    return header_text(message.get(name))


def _raw_header(message: Message, name: str) -> str:
    """The header as sent (encoded words intact): for address lists, split before decoding names."""
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _address_list(message: Message, *names: str) -> list[tuple[str, str]]:
    pairs = getaddresses([_raw_header(message, name) for name in names])
    return [(header_text(display), address) for display, address in pairs]


def _part_text(part) -> str:
    payload = part.get_payload(decode=True) or b""
    return decode(payload, part.get_content_charset())


def _body_and_attachments(message: Message) -> tuple[str, list[Attachment]]:
    plain, html, attachments = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        filename = part.get_filename()
        if filename and "=?" in filename:  # RFC 2047 inside a quoted parameter (common, not standard)
            filename = header_text(filename)
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment" or not kind.startswith("text/"):
            if kind == "message/rfc822" or part.get_payload(decode=True) is None:
                continue
            name = filename or f"attachment-{len(attachments) + 1}"
            attachments.append(Attachment(name=name, content_type=kind, data=part.get_payload(decode=True)))
        elif kind == "text/plain":
            plain.append(_part_text(part))
        elif kind == "text/html":
            html.append(_part_text(part))
    if plain and any(p.strip() for p in plain):
        text = "\n".join(plain)
    else:
        text = "\n".join(html_to_text(h) for h in html)
    return text.replace("\r\n", "\n").strip(), attachments


def content_id(raw: bytes) -> str:
    """The id of a message without a Message-ID: the hash of its bytes (a resend is the same message)."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@kefu.invalid>"


def parse(raw: bytes) -> Parsed:
    message = message_from_bytes(raw, policy=compat32)  # our own decoding of headers, see header_text
    message_id = _raw_header(message, "Message-ID")[:500] or content_id(raw)
    senders = _address_list(message, "From")
    from_name, from_address = senders[0] if senders else ("", "")
    recipients = _address_list(message, "To", "Cc")
    text, attachments = _body_and_attachments(message)
    return Parsed(
        message_id=message_id,
        from_address=from_address.strip().lower()[:320],
        from_name=from_name[:300],
        to_addresses=[address.lower() for _, address in recipients if address],
        subject=_header(message, "Subject")[:1000],
        text=text,
        in_reply_to=_raw_header(message, "In-Reply-To")[:500],
        references=_raw_header(message, "References"),
        headers={name: _header(message, name) for name in KEPT_HEADERS if message.get(name) is not None},
        attachments=attachments,
    )


def auto_reply_reason(parsed: Parsed, envelope_from: str | None, own_addresses) -> str:
    """Why this message must not be answered or turned into work (mail loops, bounces), or ""."""
    headers = {k.lower(): v.lower() for k, v in parsed.headers.items()}
    auto = headers.get("auto-submitted", "no")
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if headers.get("precedence") in ("bulk", "auto_reply", "junk", "list"):
        return f"Precedence: {headers['precedence']}"
    if "x-autoreply" in headers:
        return "X-Autoreply"
    sender = (parsed.from_address or "").lower()
    local = sender.partition("@")[0]
    null_sender = envelope_from is not None and not envelope_from.strip("<> ")  # None: not known
    if local in ("mailer-daemon", "postmaster") or null_sender:
        return "bounce (mailer-daemon / empty envelope sender)"
    if sender in {a.lower() for a in own_addresses}:
        return "sent by kefu itself"
    return ""
