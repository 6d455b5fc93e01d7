"""The one module for every printed code: format, check character, parse, sequence numbers, URLs.

    batch     B-<depot>-<year>-<seq>-<check>     B-330100-2026-000123-7
    receipt   R-<depot>-<year>-<seq>-<check>
    transfer  T-<depot>-<year>-<seq>-<check>
    location  L-<depot>-<location code>-<check>  L-330100-A-01-03-K

The check character is ISO 7064 MOD 37,36 (hybrid system) over the code's letters and digits,
type letter included: any single mistyped character and any swap of two adjacent characters gives
another check character, so a mistyped code is refused rather than matched to another object.
Sequences are per series (type, depot, year), bumped in the database in one atomic statement.
Printed QR codes carry `<PUBLIC_BASE_URL>/<b|r|t|l>/<code>`; `parse` takes a code or such a URL, in
any letter case, with stray whitespace.
"""

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from ..database import local_today
from ..errors import BadInput
from ..extensions import db

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
SEQ_DIGITS = 6

BATCH, RECEIPT, TRANSFER, LOCATION = "batch", "receipt", "transfer", "location"
PREFIX = {BATCH: "B", RECEIPT: "R", TRANSFER: "T", LOCATION: "L"}
KIND_OF_PREFIX = {v: k for k, v in PREFIX.items()}
URL_SEGMENT = {BATCH: "b", RECEIPT: "r", TRANSFER: "t", LOCATION: "l"}
_SEQUENCED = re.compile(rf"^([BRT])-(\d{{6}})-(\d{{4}})-(\d{{{SEQ_DIGITS},}})-([0-9A-Z])$")
_LOCATION = re.compile(r"^L-(\d{6})-([0-9A-Z][0-9A-Z.\-]*)-([0-9A-Z])$")


@dataclass(frozen=True)
class ParsedCode:
    kind: str  # batch, receipt, transfer, location
    code: str  # canonical form, as stored
    depot_code: str
    year: int | None = None
    sequence: int | None = None
    location_code: str | None = None


def check_character(payload: str) -> str:
    """ISO 7064 MOD 37,36 check character over the letters and digits of `payload`."""
    modulus = 36
    product = modulus
    for ch in payload:
        if ch not in _VALUE:
            continue  # separators carry no information
        total = (product + _VALUE[ch]) % modulus or modulus
        product = (total * 2) % (modulus + 1)
    return ALPHABET[(modulus + 1 - product) % modulus]


def _with_check(payload: str) -> str:
    return f"{payload}-{check_character(payload)}"


def format_sequenced(kind: str, depot_code: str, year: int, sequence: int) -> str:
    return _with_check(f"{PREFIX[kind]}-{depot_code}-{year:04d}-{sequence:0{SEQ_DIGITS}d}")


def location_code(depot_code: str, code: str) -> str:
    """The printed code of a storage location (its code is unique within the depot)."""
    return _with_check(f"L-{depot_code}-{code.strip().upper()}")


def next_sequence(series: str) -> int:
    """Hand out the next number of `series` atomically (safe under concurrent writers)."""
    return db.session.execute(
        text(
            "INSERT INTO code_sequences (name, value) VALUES (:name, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = code_sequences.value + 1 RETURNING value"
        ),
        {"name": series},
    ).scalar_one()


def next_code(kind: str, depot_code: str, on: date | None = None) -> str:
    """A new batch, receipt or transfer code for `depot_code`, numbered within the year."""
    year = (on or local_today()).year
    sequence = next_sequence(f"{PREFIX[kind]}-{depot_code}-{year}")
    return format_sequenced(kind, depot_code, year, sequence)


def normalise(raw: str) -> str:
    """Upper case, no whitespace anywhere (scanners and thumbs add it), en-dash typed as dash."""
    return re.sub(r"\s+", "", raw or "").upper().replace("\u2013", "-").replace("\u2014", "-")


def _strip_url(raw: str) -> tuple[str, str | None]:
    """`https://host/b/B-...` -> ("B-...", "b"); a bare code passes through."""
    if "/" not in raw:
        return raw, None
    path = raw
    if "://" in raw:
        url = urlsplit(raw)
        if url.scheme.lower() not in ("http", "https"):
            raise BadInput(_("This link is not one of our labels."), field="code")
        from .public_url import check_label_origin  # here: it reads the app's config

        # Only this installation's labels: a link to another host is somebody else's (or a lure).
        check_label_origin(raw)
        path = url.path
    parts = [p for p in path.split("/") if p]
    if len(parts) < 2 or parts[-2].lower() not in URL_SEGMENT.values():
        raise BadInput(_("This link is not one of our labels."), field="code")
    return parts[-1], parts[-2].lower()


def parse(code_or_url: str) -> ParsedCode:
    """Parse a printed code or label URL. Raises BadInput naming what is wrong."""
    raw = (code_or_url or "").strip()
    if not raw:
        raise BadInput(_("Enter or scan a code."), field="code")
    code, segment = _strip_url(raw)
    code = normalise(code)
    prefix = code[:1]
    if prefix not in KIND_OF_PREFIX or code[1:2] != "-":
        raise BadInput(_("Unknown code type: %(code)s.", code=code), field="code")
    kind = KIND_OF_PREFIX[prefix]
    if segment is not None and URL_SEGMENT[kind] != segment:
        raise BadInput(_("The link does not match the code it carries."), field="code")
    match = (_LOCATION if kind == LOCATION else _SEQUENCED).match(code)
    if match is None:
        raise BadInput(_("%(code)s is not a well-formed code.", code=code), field="code")
    payload, check = code[:-2], code[-1]
    if check_character(payload) != check:
        raise BadInput(
            _("Check character does not match: %(code)s was mistyped or misread.", code=code), field="code"
        )
    if kind == LOCATION:
        return ParsedCode(kind, code, match.group(1), location_code=match.group(2))
    return ParsedCode(kind, code, match.group(2), int(match.group(3)), int(match.group(4)))


def url_for_code(code: str) -> str:
    """The absolute URL printed in a label's QR code."""
    parsed = parse(code)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/{URL_SEGMENT[parsed.kind]}/{parsed.code}"


# Donation trace codes: printed on the donor's receipt and typed by the public, so they must be
# unguessable (unlike the sequenced codes above). 10 random characters of Crockford's base32 (no I,
# L, O, U: nothing to misread), 50 bits, then the same check character: D-7K3M9-QW2XR-4.
TRACE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TRACE = re.compile(r"^D-?([0-9A-Z]{5})-?([0-9A-Z]{5})-?([0-9A-Z])$")


def new_trace_code() -> str:
    import secrets

    body = "".join(secrets.choice(TRACE_ALPHABET) for _ in range(10))
    return _with_check(f"D-{body[:5]}-{body[5:]}")


def parse_trace_code(raw: str) -> str | None:
    """The canonical trace code for what someone typed (any case, dashes optional, O/I/L read as
    0/1/1), or None when it is not one or its check character is wrong."""
    match = _TRACE.match(normalise(raw or ""))
    if match is None:
        return None
    body = (match.group(1) + match.group(2)).translate(str.maketrans("OIL", "011"))
    if any(ch not in TRACE_ALPHABET for ch in body):
        return None
    code = f"D-{body[:5]}-{body[5:]}"
    return _with_check(code) if check_character(code) == match.group(3) else None
