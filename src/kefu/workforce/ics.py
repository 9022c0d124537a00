"""A person's published shifts as an iCalendar feed (RFC 5545): CRLF lines folded at 75 octets,
text escaped, instants in UTC. Pure rendering; the view finds the person by the hashed token."""

from datetime import UTC

from kefu.core import clock

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(at) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def feed(name: str, shifts, *, host: str = "kefu") -> bytes:
    stamp = _utc(clock.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//kefu//workforce shifts//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)} 的班次",
    ]
    for shift in shifts:
        title = shift.template.name if shift.template is not None else "紧急排班"
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            f"SUMMARY:{_escape(f'{title}（{shift.rota.unit.name}）')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
