"""Number and symbol of a document (số, ký hiệu): built in the state style, parsed in all.

Styles that arrive (domain.md, section 2):

* ``state``: ``704/HD-TLĐ`` — number / type abbreviation - issuer abbreviation;
* ``cong_van``: ``123/LĐLĐ-VP`` — number / issuer - drafting unit (a công văn has no type);
* ``legal``: ``30/2020/NĐ-CP`` — number / year / type - issuer (legal documents);
* ``party``: ``03-ĐA/TU``, ``18-NQ/TW`` — number - type / issuer (Party committees).

A register keeps the symbol as written; ``parse`` understands its parts and ``key`` gives
the form two registrations of the same document share (no spaces, no "Số:", folded).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from congdoan.core.text import fold, nfc
from congdoan.documents.models import DOCUMENT_TYPES

# Type abbreviations of Nghị định 30 and of legal and Party documents, as written.
TYPE_ABBREVIATIONS = frozenset(
    {code for code, _name in DOCUMENT_TYPES}
    | {"QyC", "NQLT", "CTLT", "HDLT", "QĐLT", "TTLT", "PL", "LCT", "TTg"}
)
_TYPES_FOLDED = {fold(t): t for t in TYPE_ABBREVIATIONS}

_PREFIX = re.compile(r"^\s*(?:s[oố]\s*(?:k[ýy]\s*hi[ệe]u)?\s*[:.]?\s*)", re.IGNORECASE)
_STATE = re.compile(r"^(?P<number>\d+)/(?P<rest>[^/\s]+(?:-[^/\s]+)*)$")
_LEGAL = re.compile(r"^(?P<number>\d+)/(?P<year>(?:19|20)\d\d)/(?P<type>[^-/\s]+)-(?P<issuer>\S+)$")
_PARTY = re.compile(r"^(?P<number>\d+)-(?P<type>[^-/\s]+)/(?P<issuer>[^/\s]+)$")


@dataclass(frozen=True)
class Symbol:
    """The parts of a number and symbol; ``style`` is one of the module's four, or unknown."""

    written: str
    style: str
    number: int | None = None
    year: int | None = None
    type_abbreviation: str = ""
    issuer_abbreviation: str = ""
    drafting_abbreviation: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def clean(symbol: str) -> str:
    """As written, in NFC, with "Số:" dropped and no spaces around ``/`` and ``-``."""
    text = _PREFIX.sub("", nfc(symbol or "")).strip()
    text = re.sub(r"\s*([/-])\s*", r"\1", text)
    return re.sub(r"\s+", " ", text)


def key(symbol: str) -> str:
    """The comparable form: cleaned, folded, no leading zeros on the number."""
    text = fold(clean(symbol)).replace(" ", "")
    return re.sub(r"^0+(\d)", r"\1", text)


def _is_type(text: str) -> bool:
    return fold(text) in _TYPES_FOLDED


def parse(symbol: str) -> Symbol:
    """Understand a symbol as written; an unknown shape comes back with style ``unknown``."""
    written = clean(symbol)
    if match := _LEGAL.match(written):
        return Symbol(
            written,
            "legal",
            number=int(match["number"]),
            year=int(match["year"]),
            type_abbreviation=match["type"],
            issuer_abbreviation=match["issuer"],
        )
    if match := _PARTY.match(written):
        return Symbol(
            written,
            "party",
            number=int(match["number"]),
            type_abbreviation=match["type"],
            issuer_abbreviation=match["issuer"],
        )
    if match := _STATE.match(written):
        number = int(match["number"])
        first, _sep, rest = match["rest"].partition("-")
        if rest and _is_type(first):
            return Symbol(
                written, "state", number=number, type_abbreviation=first, issuer_abbreviation=rest
            )
        if rest:
            return Symbol(
                written,
                "cong_van",
                number=number,
                issuer_abbreviation=first,
                drafting_abbreviation=rest,
            )
        return Symbol(written, "unknown", number=number, issuer_abbreviation=first)
    return Symbol(written, "unknown")


def format_number(number: int) -> str:
    """Numbers under 10 take a leading zero (``05``)."""
    return f"{number:02d}"


def build(
    number: int,
    *,
    type_abbreviation: str,
    issuer_abbreviation: str,
    drafting_abbreviation: str = "",
) -> str:
    """The state-style symbol: ``704/HD-TLĐ``; a công văn (type ``CV`` or empty):
    ``123/LĐLĐ-VP``."""
    issuer = issuer_abbreviation.strip()
    if type_abbreviation in ("", "CV"):
        tail = f"{issuer}-{drafting_abbreviation.strip()}" if drafting_abbreviation else issuer
        return f"{format_number(number)}/{tail}"
    return f"{format_number(number)}/{type_abbreviation}-{issuer}"
