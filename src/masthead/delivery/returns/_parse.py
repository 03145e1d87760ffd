"""What a message returned to the sender says: a bounce (RFC 3464), a complaint (RFC 5965), or neither.

Standard reports are read field by field with the standard library's parser, which knows both
formats' parts. Mail servers that send their own formats (older qmail, Exim, Exchange, ...), and
delivery reports whose fields name no recipient, are read by flufl.bounce's detectors. Everything else
(replies, out-of-office notes, spam) is *unknown*: the caller leaves it where it is and lists it for a
person.

A full mailbox or one over its quota is a soft bounce in every format, whatever the report's action:
by its status code (``5.2.2``, ``4.2.2``) or by the words mail servers and the big mailbox providers
use for it, in the report's own text (never in the returned message it quotes).

Which subscriber a report is about comes, best first, from the VERP return path it came back to
(``bounces+<public id>@domain``), from the unsubscribe token in the quoted message (a complaint
report usually hides the address but keeps the headers), and last from the address the report
names.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser, HeaderParser
from email.utils import getaddresses, parseaddr

from flufl.bounce import all_failures

from ._verp import Verp

HARD = "hard"
"""The address does not exist or refuses mail for good: mark the subscriber bounced."""
SOFT = "soft"
"""A failure that may pass (a full mailbox, a message refused by policy): counted."""
DELAYED = "delayed"
"""Not delivered yet, still being tried: noted, nothing done."""
COMPLAINT = "complaint"
"""The reader reported the message as spam: unsubscribe them."""
KINDS = (HARD, SOFT, DELAYED, COMPLAINT)

# Header fields that name the address a report was delivered to: the VERP return path.
_ENVELOPE_FIELDS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To")
# Feedback types (RFC 5965 7.3) that mean "the reader does not want this".
_COMPLAINTS = ("abuse", "fraud", "other", "virus")
_TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_\-.]+)")
_STATUS = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})")
# How servers say that a mailbox is full: the status code, and the words of qmail, Exim, Postfix,
# Exchange, Dovecot, Gmail, Outlook, Yahoo, AOL, iCloud, Mail.ru and others ("552 5.2.2 Mailbox full",
# "The email account that you tried to reach is over quota", "The recipient's inbox is out of storage
# space", "Requested mail action aborted: exceeded storage allocation", "QuotaExceededException",
# "mailfolder is full", "Disk quota exceeded", "mail box space not enough").
_FULL_STATUS = re.compile(r"(?<![\d.])[45]\.2\.2(?![\d.])")
_OWNER = r"(?:the |their |his |her |its |your |user'?s? |recipient'?s? )?"
_FULL_WORDS = re.compile(
    r"mail ?(?:box|folder) (?:is |was )?full|full mail ?box|inbox is full|mailbox full"
    rf"|over ?{_OWNER}(?:disk |storage |mail ?box |mail )?quota|quota ?(?:exceeded|violation|full)"
    rf"|exceed(?:s|ed|ing)? {_OWNER}(?:mail ?box |disk |storage |mail )?quota"
    rf"|(?:disk|mail ?box|storage) quota|reached {_OWNER}(?:disk |storage )?quota|exdiskquota"
    r"|(?:mail ?box|account|inbox) (?:size|storage) limit|storage allocation"
    r"|insufficient (?:system )?storage|out of storage space|(?:mail ?box|inbox) space not enough"
    r"|not enough (?:disk |storage )?space",
    re.IGNORECASE,
)
# Where a report starts quoting the returned message, when it quotes it in its own text.
_QUOTE_STARTS = re.compile(
    r"below this line is a copy of the message|copy of the (?:original )?message|original message"
    r" (?:follows|below)|lines of your original message|header of the (?:source|original) mail"
    r"|returned message follows|unsent message below|message headers follow|-+ ?original message ?-+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    kind: str
    """:data:`HARD`, :data:`SOFT`, :data:`DELAYED` or :data:`COMPLAINT`."""
    address: str | None
    """The recipient the report names, if it names one."""
    status: str | None = None
    """The enhanced status code (RFC 3463), such as ``5.1.1``."""
    detail: str = ""
    """The server's words (Diagnostic-Code) or the feedback type, on one line."""


@dataclass(frozen=True)
class Report:
    report_id: str
    """The returned message's Message-ID, or a digest of its bytes when it has none."""
    subject: str
    sender: str
    format: str
    """``dsn``, ``arf``, ``other bounce`` (recognised by flufl.bounce) or ``unknown``."""
    findings: tuple[Finding, ...]
    return_ids: tuple[str, ...] = ()
    """Public ids of subscribers found in the VERP return path the report came back to."""
    tokens: tuple[str, ...] = ()
    """Unsubscribe tokens found in the quoted message (what a complaint report keeps)."""

    @property
    def known(self) -> bool:
        return bool(self.findings)


def _one_line(text: object, limit: int = 300) -> str:
    return " ".join(str(text or "").split())[:limit]


def _address(field: str | None) -> str | None:
    """``rfc822; ada@example.org`` -> ``ada@example.org``."""
    if not field:
        return None
    kind, _, value = str(field).partition(";")
    value = value if _ else kind
    address = parseaddr(value.strip())[1] or value.strip().strip("<>")
    return address or None


def says_full(text: str) -> bool:
    """Whether ``text`` says that a mailbox is full or over its quota (in words a line may break)."""
    text = " ".join(text.split())
    return bool(_FULL_STATUS.search(text) or _FULL_WORDS.search(text))


def _own_words(report: Message) -> str:
    """The text the reporting server wrote: its text parts, up to where it quotes the returned message,
    and not the parts that hold that message or its headers."""
    texts: list[str] = []

    def collect(part: Message) -> None:
        if part.get_content_maintype() == "message" or part.get_content_type().endswith("-headers"):
            return
        if part.is_multipart():
            for inner in part.get_payload():
                if isinstance(inner, Message):
                    collect(inner)
            return
        if part.get_content_maintype() != "text":
            return
        raw = part.get_payload(decode=True)
        if not isinstance(raw, bytes):
            return
        try:
            text = raw.decode(part.get_content_charset() or "utf-8", "replace")
        except LookupError:
            text = raw.decode("utf-8", "replace")
        if part.get_content_subtype() == "html":
            text = re.sub(r"<[^>]*>", " ", text)
        texts.append(text)

    collect(report)
    text = "\n".join(texts)[:20000]
    quoted = _QUOTE_STARTS.search(text)
    return text[: quoted.start()] if quoted else text


def _kind(action: str, status: str | None) -> str | None:
    """The finding an RFC 3464 Action and Status make, or ``None`` (delivered, relayed, expanded)."""
    action = action.strip().lower()
    if action.startswith("delayed"):
        return DELAYED
    if not action.startswith(("failed", "fail", "error")):
        return None
    match = _STATUS.match(status or "")
    if match is None or match.group(1) == "5":
        if match and (match.group(2), match.group(3)) == ("2", "2"):
            return SOFT  # 5.2.2: the mailbox is full, which passes
        if match and match.group(2) == "7":
            return SOFT  # 5.7.x: refused by policy (the content, the sending host), not the address
        return HARD
    return SOFT  # 4.x.x after the server gave up: the mailbox may come back


def _blocks(part: Message) -> list[Message]:
    """The field blocks of a message/delivery-status or message/feedback-report part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = part.get_payload(decode=True)
    if isinstance(text, bytes):
        return [BytesHeaderParser().parsebytes(block + b"\n\n") for block in re.split(rb"\r?\n\r?\n", text)]
    return []


def _quoted_headers(report: Message) -> Message | None:
    """The header fields of the message the report is about, as the report quotes them."""
    for part in report.walk():
        kind = part.get_content_type()
        if kind in ("message/rfc822", "message/global"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
        if kind in ("text/rfc822-headers", "text/global-headers"):
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                return HeaderParser().parsestr(raw.decode("utf-8", "replace"))
    return None


def _dsn(report: Message, full: bool) -> tuple[list[Finding], bool]:
    """The findings of a delivery status notification, and whether any of its field blocks names a
    recipient. ``full``: the report's own text says that a mailbox is full, which decides for the
    recipients whose status says no more than failed or delayed (``5.0.0``)."""
    findings = []
    named = False
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # A block per recipient, after one about the message; some servers run the two together, so
        # a block is a recipient's if it names one, wherever it is.
        for block in _blocks(part):
            address = _address(block.get("Original-Recipient")) or _address(block.get("Final-Recipient"))
            if address is None:
                continue
            named = True
            kind = _kind(str(block.get("Action", "")), block.get("Status"))
            if kind is None:
                continue
            status = _STATUS.match(str(block.get("Status", "")))
            detail = _one_line(block.get("Diagnostic-Code") or block.get("Action"))
            generic = status is None or (status.group(2), status.group(3)) == ("0", "0")
            if kind != SOFT and (says_full(f"{block.get('Status', '')} {detail}") or (generic and full)):
                kind = SOFT  # a full mailbox, which passes, whether the server gave up or still tries
            findings.append(Finding(kind, address, status.group(0) if status else None, detail))
    return findings, named


def _arf(report: Message, quoted: Message | None) -> list[Finding]:
    for part in report.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        for block in _blocks(part)[:1]:
            feedback = str(block.get("Feedback-Type", "")).strip().lower()
            if feedback not in _COMPLAINTS:
                return []
            address = _address(block.get("Original-Rcpt-To"))
            if address is None and quoted is not None:
                named = [
                    a for _name, a in getaddresses([str(v) for v in quoted.get_all("To", [])]) if "@" in a
                ]
                address = named[0] if named else None
            agent = _one_line(block.get("User-Agent"), 80)
            return [
                Finding(
                    COMPLAINT,
                    address,
                    None,
                    f"feedback type {feedback}" + (f" from {agent}" if agent else ""),
                )
            ]
    return []


def _other(report: Message, full: bool) -> list[Finding]:
    """What flufl.bounce finds: permanent failures, and warnings that a message is still being tried
    (the only temporary failures it reports); soft bounces all if the report says a mailbox is full."""
    temporary, permanent = all_failures(report)
    if full:
        return [
            Finding(SOFT, a.decode("ascii", "replace"), None, "mailbox full")
            for a in sorted(permanent | temporary)
        ]
    found = [
        Finding(HARD, a.decode("ascii", "replace"), None, "permanent failure") for a in sorted(permanent)
    ]
    found += [Finding(DELAYED, a.decode("ascii", "replace"), None, "delayed") for a in sorted(temporary)]
    return found


def read_report(data: bytes, verp: Verp | None = None) -> Report:
    """What the returned message ``data`` says; ``findings`` is empty for mail that is no report."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    report_id = _one_line(message.get("Message-ID"), 250) or "sha256:" + hashlib.sha256(data).hexdigest()
    report_type = str(message.get_param("report-type", "", header="Content-Type") or "").lower()
    quoted = _quoted_headers(message) if message.get_content_type() == "multipart/report" else None
    findings: list[Finding] = []
    format = "unknown"
    named = False
    full = says_full(_own_words(message))
    if message.get_content_type() == "multipart/report" and report_type == "feedback-report":
        findings, format = _arf(message, quoted), "arf"
    elif message.get_content_type() == "multipart/report" and report_type == "delivery-status":
        (findings, named), format = _dsn(message, full), "dsn"
    if not findings and (format == "unknown" or (format == "dsn" and not named)):
        # No recipient in a delivery report's fields, or another format: flufl.bounce reads the text.
        findings = _other(message, full)
        format = "other bounce" if findings else format
    if quoted is None and findings:
        quoted = _quoted_headers(message)
    return_ids: list[str] = []
    if verp is not None:
        envelope = [str(v) for name in _ENVELOPE_FIELDS for v in message.get_all(name, [])]
        if quoted is not None:
            envelope += [str(v) for v in quoted.get_all("Return-Path", [])]
        for _name, address in getaddresses(envelope):
            public_id = verp.public_id(address)
            if public_id and public_id not in return_ids:
                return_ids.append(public_id)
    tokens: list[str] = []
    if quoted is not None:
        for value in quoted.get_all("List-Unsubscribe", []):
            tokens += [t for t in _TOKEN.findall(" ".join(str(value).split())) if t not in tokens]
    return Report(
        report_id=report_id,
        subject=_one_line(message.get("Subject"), 120),
        sender=_one_line(message.get("From"), 120),
        format=format,
        findings=tuple(findings),
        return_ids=tuple(return_ids),
        tokens=tuple(tokens),
    )
