"""Reading a received message: who it is for, whether a person wrote it, and what they wrote above the quote.

Pure functions over ``email`` messages (default policy). The visible reply is cut at the first
line that starts a quoted email in the formats of Gmail, Outlook, Apple Mail and Thunderbird,
in Indonesian and English, and at a signature delimiter or a "sent from my phone" line.
"""

import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

REPLY_LOCAL = re.compile(r"^reply\+([A-Za-z0-9_-]{20,200})$")
ISSUE_NUMBER = re.compile(r"(?<![\w&])#(\d{1,9})\b")

# A line that opens the quoted email (Gmail, Apple Mail, Thunderbird: "On ... wrote:", "Pada ... menulis:").
_ATTRIBUTION = re.compile(r"^(on|pada|le|am)\s.+(wrote|menulis|écrit|schrieb)\s*:\s*$", re.IGNORECASE)
# Outlook's separators and its header block ("From:/Sent:", "Dari:/Dikirim:").
_SEPARATOR = re.compile(
    r"^(-{2,}\s*(original message|pesan asli|forwarded message|pesan yang diteruskan)\s*-{2,}|_{10,})$", re.I
)
_HEADER_FROM = re.compile(r"^\*?(from|dari)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(r"^\*?(sent|date|dikirim|terkirim|tanggal|to|kepada)\s*:", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^(--\s*|sent from my .+|dikirim dari .+ saya|get outlook for .+|dapatkan outlook untuk .+|sent from outlook.*)$",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^(auto(matic)?[ -]?reply|auto:|out of (the )?office|ooo\b|balasan otomatis|di luar kantor|sedang cuti|"
    r"tidak di kantor|away from|cuti:)",
    re.IGNORECASE,
)


def parse(raw: bytes) -> EmailMessage:
    """Parse raw RFC 5322 bytes with the default (modern) policy."""
    return BytesParser(policy=policy.default).parsebytes(raw)


def is_auto_reply(message: EmailMessage) -> bool:
    """Tell whether a machine sent this (auto-reply, out of office, bulk): it must never be answered or recorded."""
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Auto-Response-Suppress"):
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "auto_reply", "junk", "list"):
        return True
    return bool(_AUTO_SUBJECT.match(str(message.get("Subject", "")).strip()))


def reply_token(addresses: list[str], domain: str | None) -> str | None:
    """Return the token of the first reply+TOKEN@domain address among addresses (None when there is none)."""
    if not domain:
        return None
    for _name, address in getaddresses(addresses):
        local, _, host = address.rpartition("@")
        match = REPLY_LOCAL.match(local)
        if match and host.lower() == domain.lower():
            return match.group(1)
    return None


def addresses_of(message: EmailMessage, envelope: list[str]) -> list[str]:
    """Return every address the message may have been delivered to: envelope first, then the headers."""
    found = list(envelope)
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        found.extend(str(value) for value in message.get_all(header, []))
    return found


def sender_address(message: EmailMessage) -> str:
    """Return the From address, lower case ('' when missing or malformed)."""
    return parseaddr(str(message.get("From", "")))[1].lower()


class _TextFromHtml(HTMLParser):
    """Turn HTML into plain text, leaving out scripts, styles and quoted blocks (blockquote, gmail_quote).

    Outlook's quoted header block stays (as text) for visible_reply to cut at.
    """

    _BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "table"}
    _SKIPPED = {"script", "style", "blockquote", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        skipped = tag in self._SKIPPED or "gmail_quote" in classes
        if tag == "hr":  # Outlook's line above the quoted header block: a separator the text rules cut at
            self._line_break()
            self.parts.append("_" * 12 + "\n")
        if tag not in ("br", "hr"):
            self.stack.append(skipped)
        self.skip_depth += skipped and tag not in ("br", "hr")
        if tag in self._BLOCKS:
            self._line_break()

    def _line_break(self):
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("br", "hr") or not self.stack:
            return
        if self.stack.pop():
            self.skip_depth -= 1
        if tag in self._BLOCKS:
            self._line_break()

    def handle_data(self, data):
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Return the readable text of an HTML body, without its quoted blocks."""
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t\u00a0]+", " ", "".join(parser.parts))
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", "\n".join(line.strip() for line in text.splitlines()))


def body_text(message: EmailMessage) -> str:
    """Return the message's text: its text/plain body, or its HTML body turned into text."""
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=("html",))
    return html_to_text(part.get_content()) if part is not None else ""


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if line.startswith(">") or _SEPARATOR.match(line) or _SIGNATURE.match(lines[i].rstrip("\n")):
        return True
    for end in range(1, 4):  # Gmail wraps a long attribution over two or three lines
        if _ATTRIBUTION.match(" ".join(part.strip() for part in lines[i : i + end])):
            return True
    if _HEADER_FROM.match(line):
        return any(_HEADER_NEXT.match(following.strip()) for following in lines[i + 1 : i + 4])
    return False


def visible_reply(text: str) -> str:
    """Return what the sender wrote above the quoted email and their signature, trimmed."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for i in range(len(lines)):
        if _starts_quote(lines, i):
            break
        kept.append(lines[i].rstrip())
    return "\n".join(kept).strip()


def issue_numbers(*texts: str) -> set[int]:
    """Return the issue numbers a reply names (#66)."""
    return {int(n) for text in texts for n in ISSUE_NUMBER.findall(text or "")}


@dataclass(frozen=True)
class Bounce:
    """One failed recipient of a delivery status notification."""

    address: str
    reason: str


def bounces(message: EmailMessage) -> list[Bounce] | None:
    """Return the failed recipients of a DSN (multipart/report; delivery-status), or None when it is not one."""
    if message.get_content_type() != "multipart/report":
        return None
    if message.get_param("report-type", "").lower() != "delivery-status":
        return None
    failed = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in part.get_payload():
            if str(block.get("Action", "")).strip().lower() != "failed":
                continue
            address = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "").rpartition(";")[2]
            reason = " ".join(
                filter(None, [str(block.get("Status", "")).strip(), str(block.get("Diagnostic-Code", ""))])
            )
            if address.strip():
                failed.append(Bounce(address.strip().lower(), reason.strip()[:300]))
    return failed
