"""Attachments of official documents: what a file really is, and the text inside it.

Everything here judges a file by its content, never by its name: a PDF named ``.docx`` is a
PDF, and an executable named ``.pdf`` is refused. Nothing here raises on a damaged, truncated
or password-protected file once it has been accepted: :func:`extract_text` returns what it
could read and says what went wrong in :attr:`Extraction.flags`.

Flags that :func:`extract_text` may set:

``encrypted``
    a password is needed to read the file; the text is empty.
``restricted``
    a PDF encrypted with an empty user password (permissions only); the text was read.
``malformed``
    the file is damaged or truncated; the text is what could be read, perhaps nothing.
``too_large``
    the file unpacks to more than the limits allow; it was not read.
``truncated``
    the text was cut at ``DOCUMENT_MAX_TEXT_CHARS``.
``converted_from_tcvn3`` / ``converted_from_vni``
    legacy Vietnamese text (fonts .VnTime, VNI-Times) was converted to Unicode.
``doc_without_converter`` / ``xls_without_converter``
    an old binary Word or Excel file was read by the built-in best-effort reader because
    neither ``antiword`` nor ``catdoc`` (resp. ``xls2csv``) is installed.
``unsupported``
    the content is of no kind in :data:`KINDS`.

Settings, each with a default: ``DOCUMENT_MAX_UPLOAD_BYTES`` (30 MiB),
``DOCUMENT_MAX_UNPACKED_BYTES`` (300 MiB: the sum of a DOCX or XLSX's unpacked parts),
``DOCUMENT_MAX_IMAGE_PIXELS`` (180 million), ``DOCUMENT_MAX_TEXT_CHARS`` (5 million).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

MiB = 1024 * 1024

#: The kinds of attachment accepted, with a short English description of each.
KINDS: dict[str, str] = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "doc": "Word 97-2003 (DOC)",
    "xlsx": "Excel (XLSX)",
    "xls": "Excel 97-2003 (XLS)",
    "png": "PNG image",
    "jpeg": "JPEG image",
    "tiff": "TIFF image",
}
IMAGE_KINDS = frozenset({"png", "jpeg", "tiff"})
#: The media type to serve each kind with.
MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "tiff": "image/tiff",
}

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
LegacyEncoding = Literal["tcvn3", "vni"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
_MAX_ZIP_MEMBERS = 10_000
_MAX_OLE_READ = 64 * MiB
_MAX_MAIN_PART_BYTES = 128 * MiB  # document.xml is parsed whole by python-docx
_CONVERTER_TIMEOUT = 120
# A page whose text layer has fewer letters and digits than this is taken as scanned.
_MIN_PAGE_CHARS = 15


def _setting(name: str, default: Any) -> Any:
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:
        return default


def _max_upload_bytes() -> int:
    return int(_setting("DOCUMENT_MAX_UPLOAD_BYTES", 30 * MiB))


def _max_unpacked_bytes() -> int:
    return int(_setting("DOCUMENT_MAX_UNPACKED_BYTES", 300 * MiB))


def _max_text_chars() -> int:
    return int(_setting("DOCUMENT_MAX_TEXT_CHARS", 5_000_000))


def _max_image_pixels() -> int:
    return int(_setting("DOCUMENT_MAX_IMAGE_PIXELS", 180_000_000))


# --------------------------------------------------------------------------------------------
# What a file is
# --------------------------------------------------------------------------------------------


class UploadRejected(ValueError):
    """An attachment that cannot be accepted; the message names the file and says why.

    ``code`` is one of ``empty``, ``too_large``, ``not_allowed``, ``password``,
    ``unpacks_too_large`` and ``damaged``, for callers that react to the reason, not the text.
    """

    def __init__(self, message: str, *, code: str, name: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.name = name


@contextmanager
def _binary(source: Source) -> Iterator[IO[bytes]]:
    """A seekable binary file over ``source``, positioned at its start.

    A handle is read from its beginning and put back where it was afterwards.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        yield io.BytesIO(bytes(source))
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield handle
    else:
        seekable = getattr(source, "seekable", None)
        if seekable is not None and seekable():
            position = source.tell()
            source.seek(0)
            try:
                yield source
            finally:
                source.seek(position)
        else:
            yield io.BytesIO(source.read())


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


@dataclass(frozen=True)
class _Verdict:
    kind: str | None
    problem: str | None = None  # "password" or "damaged"


def _ooxml_verdict(handle: IO[bytes]) -> _Verdict:
    with zipfile.ZipFile(handle) as archive:
        names = {info.filename for info in archive.infolist()}
        types = b""
        info = next((i for i in archive.infolist() if i.filename == "[Content_Types].xml"), None)
        if info is not None and info.file_size <= MiB:
            with archive.open(info) as part:
                types = part.read(MiB)
    if types:
        # The main part's content type names the kind; macro-enabled files and templates have
        # other types and are refused.
        if b"wordprocessingml.document.main+xml" in types:
            return _Verdict("docx")
        if b"spreadsheetml.sheet.main+xml" in types:
            return _Verdict("xlsx")
        return _Verdict(None)
    if "word/document.xml" in names:
        return _Verdict("docx")
    if "xl/workbook.xml" in names:
        return _Verdict("xlsx")
    return _Verdict(None)


def _ole_verdict(data: bytes) -> _Verdict:
    try:
        names = {name.lower() for name in _Cfb(data).root_names()}
    except ValueError:
        # A head only, or a damaged container: look for the stream names themselves.
        names = {
            name.lower()
            for name in ("WordDocument", "Workbook", "Book", "EncryptedPackage")
            if name.encode("utf-16-le") in data
        }
    if "worddocument" in names:
        return _Verdict("doc")
    if "workbook" in names or "book" in names:
        return _Verdict("xls")
    if "encryptedpackage" in names:
        # A password-protected DOCX or XLSX is an OLE container holding the encrypted package.
        return _Verdict(None, "password")
    return _Verdict(None)


def _verdict(handle: IO[bytes]) -> _Verdict:
    head = handle.read(1024)
    handle.seek(0)
    at = head.find(_PDF_MAGIC)
    if at == 0 or (at > 0 and b"<" not in head[:at]):
        return _Verdict("pdf")
    if head.startswith(_PNG_MAGIC):
        return _Verdict("png")
    if head.startswith(b"\xff\xd8\xff"):
        return _Verdict("jpeg")
    if head.startswith(_TIFF_MAGICS):
        return _Verdict("tiff")
    if head.startswith(_ZIP_MAGIC):
        try:
            return _ooxml_verdict(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            handle.seek(0)
            start = handle.read(MiB)
            if b"word/document.xml" in start:
                return _Verdict("docx", "damaged")
            if b"xl/workbook.xml" in start:
                return _Verdict("xlsx", "damaged")
            return _Verdict(None)
    if head.startswith(_OLE_MAGIC):
        return _ole_verdict(handle.read(_MAX_OLE_READ))
    return _Verdict(None)


def sniff(source: Source) -> str | None:
    """The kind (a key of :data:`KINDS`) of a file by its content, or ``None``.

    ``source`` is the content (or its first bytes), a path, or a binary file handle (read from
    its start, then put back). The file's name plays no part. Office files are told apart by
    what the container holds: a ZIP with a Word main part is ``docx``, with a workbook
    ``xlsx``; an OLE2 container with a ``WordDocument`` stream is ``doc``, with a ``Workbook``
    ``xls``. Password-protected DOCX/XLSX files (an OLE2 ``EncryptedPackage``) are ``None``.
    """
    try:
        with _binary(source) as handle:
            return _verdict(handle).kind
    except OSError:
        return None


def _human_size(size: int) -> str:
    if size >= MiB:
        return f"{size / MiB:.3g} MB"
    if size >= 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size} B"


def _display_name(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1].strip() or "?"
    return base if len(base) <= 120 else base[:117] + "..."


def _unpacked_size(handle: IO[bytes]) -> tuple[int, int]:
    """The number of parts of a ZIP and their declared unpacked size, from its directory.

    Python's ``zipfile`` never inflates a part beyond its declared size, so these numbers are
    a real bound on what reading the file costs.
    """
    with zipfile.ZipFile(handle) as archive:
        infos = archive.infolist()
        return len(infos), sum(info.file_size for info in infos)


def check_upload(name: str, data_or_file: Source, *, max_bytes: int | None = None) -> str:
    """Accept an attachment and return its kind, or raise :class:`UploadRejected`.

    ``data_or_file`` is the content, a path or a binary handle (a Django ``UploadedFile``
    works). Checks, in order: not empty; not larger than ``max_bytes`` (default the setting
    ``DOCUMENT_MAX_UPLOAD_BYTES``, 30 MiB); a kind of :data:`KINDS` by content; no password on
    an Office file; a DOCX/XLSX that does not unpack beyond ``DOCUMENT_MAX_UNPACKED_BYTES``
    (read from the archive's directory, nothing is inflated); an image whose header can be
    read and whose size stays under ``DOCUMENT_MAX_IMAGE_PIXELS``.
    """
    label = _display_name(name)
    limit = _max_upload_bytes() if max_bytes is None else max_bytes
    try:
        with _binary(data_or_file) as handle:
            size = _size(handle)
            if size == 0:
                raise UploadRejected(
                    _("%(name)s: the file is empty") % {"name": label}, code="empty", name=name
                )
            if size > limit:
                raise UploadRejected(
                    _("%(name)s: the file is larger than %(limit)s")
                    % {"name": label, "limit": _human_size(limit)},
                    code="too_large",
                    name=name,
                )
            verdict = _verdict(handle)
            handle.seek(0)
            if verdict.problem == "password":
                raise UploadRejected(
                    _(
                        "%(name)s: the file is protected by a password; remove the password "
                        "and upload it again"
                    )
                    % {"name": label},
                    code="password",
                    name=name,
                )
            if verdict.kind is None:
                raise UploadRejected(
                    _("%(name)s: the content is not a PDF, Word, Excel or image file")
                    % {"name": label},
                    code="not_allowed",
                    name=name,
                )
            if verdict.problem == "damaged":
                raise UploadRejected(
                    _("%(name)s: the file is damaged and cannot be read") % {"name": label},
                    code="damaged",
                    name=name,
                )
            if verdict.kind in ("docx", "xlsx"):
                members, unpacked = _unpacked_size(handle)
                handle.seek(0)
                unpack_limit = _max_unpacked_bytes()
                if unpacked > unpack_limit or members > _MAX_ZIP_MEMBERS:
                    raise UploadRejected(
                        _("%(name)s: the file unpacks to more than %(limit)s")
                        % {"name": label, "limit": _human_size(unpack_limit)},
                        code="unpacks_too_large",
                        name=name,
                    )
            if verdict.kind in IMAGE_KINDS:
                _check_image(handle, label, name)
            return verdict.kind
    except OSError as error:
        raise UploadRejected(
            _("%(name)s: the file could not be read") % {"name": label}, code="damaged", name=name
        ) from error


def _check_image(handle: IO[bytes], label: str, name: str) -> None:
    from PIL import Image

    try:
        with Image.open(handle) as image:
            width, height = image.size
    except Image.DecompressionBombError:
        width = height = 1 << 20
    except Exception as error:
        raise UploadRejected(
            _("%(name)s: the image is damaged and cannot be read") % {"name": label},
            code="damaged",
            name=name,
        ) from error
    finally:
        handle.seek(0)
    if width * height > _max_image_pixels():
        raise UploadRejected(
            _("%(name)s: the image is too large (%(width)s × %(height)s pixels)")
            % {"name": label, "width": width, "height": height},
            code="too_large",
            name=name,
        )


# --------------------------------------------------------------------------------------------
# Legacy Vietnamese encodings: TCVN3 (ABC) and VNI
# --------------------------------------------------------------------------------------------

_VOWELS = "aăâeêioôơuưy"
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng


def _toned(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", vowel + tone)


# TCVN 5712:1993 VN3, the single-byte table of the ABC fonts (.VnTime, .VnArial ...): every
# lower-case letter, and the upper-case letters with a modifier but no tone. Upper-case letters
# with a tone only exist in the "H" fonts (.VnTimeH), which draw the lower-case codes in capitals.
_TCVN3_TONED = {
    # vowel: codes for huyền, hỏi, ngã, sắc, nặng
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_PLAIN = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}  # fmt: skip


def _tcvn3_table() -> dict[str, str]:
    table = {chr(code): letter for code, letter in _TCVN3_PLAIN.items()}
    for vowel, codes in _TCVN3_TONED.items():
        for code, tone in zip(codes, _TONES, strict=True):
            table[chr(code)] = _toned(vowel, tone)
    return table


#: TCVN3 code (as the Latin-1 character it shows as) → Unicode letter.
TCVN3_TO_UNICODE: dict[str, str] = _tcvn3_table()
# Upper-case by nature: the codes 0xA1-0xA7. Every other code is lower-case in the ordinary
# fonts and upper-case in the H fonts, so its case is decided from the word around it.
_TCVN3_UPPER_CODES = frozenset(chr(code) for code in range(0xA1, 0xA8))

# VNI (VNI-Times ...): a base letter followed by a mark byte; i, ơ, ư, đ and ỵ are single bytes.
_VNI_MARKS = {
    # Unicode combining marks (after NFD of the letter) → VNI mark byte, lower-case form
    "\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï",
    "\u0302": "â", "\u0302\u0301": "á", "\u0302\u0300": "à", "\u0302\u0309": "å",
    "\u0302\u0303": "ã", "\u0302\u0323": "ä",
    "\u0306": "ê", "\u0306\u0301": "é", "\u0306\u0300": "è", "\u0306\u0309": "ú",
    "\u0306\u0303": "ü", "\u0306\u0323": "ë",
}  # fmt: skip
_VNI_SINGLE = {
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "ơ": "ô", "ư": "ö", "đ": "ñ",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    """Unicode letter → VNI sequence, for all 134 Vietnamese letters."""
    table: dict[str, str] = {}
    for letter in _vietnamese_letters():
        lower = letter.lower()
        decomposed = unicodedata.normalize("NFD", lower)
        modifier = "".join(c for c in decomposed[1:] if c in "\u0302\u0306\u031b")
        tone = "".join(c for c in decomposed[1:] if c in _TONES)
        if lower in _VNI_SINGLE:
            code = _VNI_SINGLE[lower]
        elif modifier == "\u031b":  # ơ, ư with a tone: their own byte, then the tone's mark
            code = _VNI_SINGLE[unicodedata.normalize("NFC", decomposed[0] + modifier)]
            code += _VNI_MARKS[tone]
        else:
            code = decomposed[0] + _VNI_MARKS[modifier + tone]
        table[letter] = code.upper() if letter.isupper() else code
    return table


def _vietnamese_letters() -> list[str]:
    """The 134 letters of Vietnamese that ASCII lacks: 67 lower-case, 67 upper-case."""
    lower = [_toned(v, t) for v in _VOWELS for t in _TONES] + list("ăâêôơư") + ["đ"]
    return lower + [letter.upper() for letter in lower]


#: Unicode letter → VNI sequence (as Latin-1 characters).
UNICODE_TO_VNI: dict[str, str] = _vni_table()
#: VNI sequence → Unicode letter (one or two characters).
VNI_TO_UNICODE: dict[str, str] = {code: letter for letter, code in UNICODE_TO_VNI.items()}
# Also accept the variant of ỵ as y + dot below, which some converters write.
VNI_TO_UNICODE.setdefault("yï", "ỵ")
VNI_TO_UNICODE.setdefault("YÏ", "Ỵ")
_VNI_PATTERN = re.compile(
    "|".join(re.escape(code) for code in sorted(VNI_TO_UNICODE, key=len, reverse=True))
)
UNICODE_TO_TCVN3: dict[str, str] = {letter: code for code, letter in TCVN3_TO_UNICODE.items()}

_CODE_CHARS = "".join(sorted(set(TCVN3_TO_UNICODE) | {c for s in VNI_TO_UNICODE for c in s}))
_TOKEN = re.compile(f"(?:[^\\W\\d_]|[{re.escape(_CODE_CHARS)}])+")
# Letters that only Unicode Vietnamese has (none of them is in Latin-1): a line holding one is
# already Unicode and is left alone.
_UNICODE_ONLY = frozenset(
    letter for letter in _vietnamese_letters() if ord(letter) > 0xFF
) | frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = [
    *("iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu"),
    *("ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe"),
    *("oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu"),
    *("ươ", "yê", "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"),
]
_CODAS = "ng|nh|ch|c|m|n|p|t"
_SYLLABLE = re.compile(f"(?:{_ONSETS})?(?:{'|'.join(_NUCLEI)})(?:{_CODAS})?")


def _is_syllable(word: str) -> bool:
    """Whether ``word`` has the shape of one Vietnamese syllable (onset, vowels, coda, ≤1 tone)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if c in _TONES) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


def _map_tcvn3(text: str) -> str:
    return "".join(TCVN3_TO_UNICODE.get(c, c) for c in text)


def _map_vni(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group()], text)


_LETTER_RUN = re.compile(f"(?:[^\\W\\d_]|[{re.escape(''.join(TCVN3_TO_UNICODE))}])+")


def _tcvn3_line(line: str) -> str:
    """One line of TCVN3 to Unicode, with capitals restored for words set in an H font.

    A word whose plain letters are all capitals (at least two of them) but which holds a
    lower-case TCVN3 code, such as ``CéNG``, was typed in an H font: it is ``CỘNG``. A line
    with such a word and no plain lower-case letter is a heading in an H font, all capitals.
    """
    words = []
    evidence = False
    lower_seen = False
    for match in _LETTER_RUN.finditer(line):
        word = match.group()
        plain = [c for c in word if c.isascii() or c in _TCVN3_UPPER_CODES]
        ambiguous = len(plain) < len(word)
        if any(c.islower() for c in plain):
            lower_seen = True
        capitals = len(plain) >= 2 and all(c.isupper() for c in plain)
        if capitals and ambiguous:
            evidence = True
        words.append((match.start(), match.end(), capitals and ambiguous))
    heading = evidence and not lower_seen
    out = []
    last = 0
    for start, end, capitals in words:
        out.append(_map_tcvn3(line[last:start]))
        converted = _map_tcvn3(line[start:end])
        out.append(converted.upper() if capitals or heading else converted)
        last = end
    out.append(_map_tcvn3(line[last:]))
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str:
    """Convert legacy Vietnamese ``text`` (``"tcvn3"`` or ``"vni"``) to Unicode NFC.

    ``text`` is what a TCVN3 or VNI document shows when its bytes are read as Windows-1252 or
    Latin-1 (the usual fate of such text in Word files, spreadsheets and e-mails), e.g.
    ``"C«ng ®oµn"`` (TCVN3) or ``"Coâng ñoaøn"`` (VNI) for ``"Công đoàn"``. TCVN3 capitals set
    in an H font (.VnTimeH) are recognised word by word, see :func:`_tcvn3_line`.
    """
    if encoding == "tcvn3":
        converted = "".join(_tcvn3_line(line) for line in text.splitlines(keepends=True))
    elif encoding == "vni":
        converted = _map_vni(text)
    else:
        raise ValueError(f"unknown legacy encoding: {encoding!r}")
    return unicodedata.normalize("NFC", converted)


def from_unicode(text: str, encoding: str) -> str:
    """Unicode → TCVN3 or VNI (as Latin-1 characters), the inverse of :func:`to_unicode`.

    TCVN3 has no upper-case letters with tones: they are written with the lower-case codes,
    as the H fonts expect. Characters that the encoding lacks are kept as they are.
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        return "".join(UNICODE_TO_TCVN3.get(c) or UNICODE_TO_TCVN3.get(c.lower(), c) for c in text)
    if encoding == "vni":
        return "".join(UNICODE_TO_VNI.get(c, c) for c in text)
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


@dataclass
class _LineScore:
    candidates: int = 0  # words with a non-ASCII character
    valid_before: int = 0  # ... that are well-formed syllables as they are
    valid_after: int = 0  # ... that are after conversion
    fixed: int = 0  # ill-formed words of two or more letters that conversion makes well-formed
    lost: int = 0  # well-formed words that conversion makes ill-formed
    gained: set[str] = field(default_factory=set)  # the distinct fixed words


def _score(line: str, convert: Callable[[str], str]) -> _LineScore:
    score = _LineScore()
    for word in _TOKEN.findall(line):
        if word.isascii():
            continue
        score.candidates += 1
        before = _is_syllable(word)
        after_word = unicodedata.normalize("NFC", convert(word))
        after = all(_is_syllable(w) for w in _TOKEN.findall(after_word)) and bool(after_word)
        score.valid_before += before
        score.valid_after += after
        score.lost += before and not after
        if after and not before and len(word) >= 2 and any(c.isascii() for c in word):
            score.fixed += 1
            score.gained.add(word)
    return score


_CONVERTERS: dict[str, Callable[[str], str]] = {"tcvn3": _map_tcvn3, "vni": _map_vni}


def _legacy_lines(text: str) -> list[str]:
    """The lines that may be legacy text: those without a letter that only Unicode has."""
    return [line for line in text.splitlines() if not _UNICODE_ONLY.intersection(line)]


def detect_legacy(text: str) -> LegacyEncoding | None:
    """``"tcvn3"`` or ``"vni"`` when ``text`` is legacy Vietnamese read as Latin-1, else ``None``.

    Lines holding a letter that only Unicode has (ạ, ơ, đ, combining marks ...) are ignored.
    In the others, each word with a non-ASCII character is converted both ways: the encoding
    is the one under which most such words become well-formed Vietnamese syllables (onset,
    vowels, final consonant, at most one tone) that were not before. It takes at least two
    different words so fixed, 60 % of the ill-formed words fixed, and few well-formed words
    broken, so ordinary Unicode Vietnamese (already well-formed), English, French or German
    text (whose accented words stay ill-formed either way) and a stray "µm" are left alone.
    """
    sample = "\n".join(_legacy_lines(text[:200_000]))
    if sample.isascii():
        return None
    best: tuple[int, LegacyEncoding] | None = None
    encodings: tuple[LegacyEncoding, ...] = ("tcvn3", "vni")
    for encoding in encodings:
        score = _score(sample, _CONVERTERS[encoding])
        gained = len(score.gained)
        ill_formed = score.candidates - score.valid_before
        if (
            gained >= 2
            and score.fixed >= 0.6 * ill_formed
            and score.lost * 3 <= score.fixed
            and (best is None or gained > best[0])
        ):
            best = (gained, encoding)
    return best[1] if best else None


def _repair_legacy(text: str) -> tuple[str, LegacyEncoding | None]:
    """Convert the legacy lines of ``text`` when :func:`detect_legacy` finds an encoding.

    Only lines that get better (more well-formed syllables, none lost) are converted, so a
    document mixing Unicode and legacy paragraphs comes out all Unicode.
    """
    encoding = detect_legacy(text)
    if encoding is None:
        return text, None
    convert = _CONVERTERS[encoding]
    out = []
    for line in text.splitlines(keepends=True):
        if not _UNICODE_ONLY.intersection(line) and not line.isascii():
            score = _score(line, convert)
            if score.valid_after > score.valid_before or (
                score.valid_before == 0 and score.candidates
            ):
                line = to_unicode(line, encoding)
        out.append(line)
    return "".join(out), encoding


# --------------------------------------------------------------------------------------------
# Text extraction
# --------------------------------------------------------------------------------------------


@dataclass
class Extraction:
    """The text of an attachment and what was learned on the way.

    ``text`` is NFC; PDF pages are separated by a form feed (``"\\f"``). ``pages`` is the
    number of pages for PDF and images (frames of a TIFF), the page count a DOCX records
    (0 when it records none), the number of worksheets for spreadsheets, 0 for DOC.
    ``needs_ocr`` says that the text is missing or incomplete because (some of) the content is
    a picture: an image, or a PDF at least a quarter of whose pages have no text layer.
    ``flags`` is described in the module's docstring.
    """

    text: str = ""
    pages: int = 0
    needs_ocr: bool = False
    flags: list[str] = field(default_factory=list)


def extract_text(data: bytes, kind: str | None = None) -> Extraction:
    """The text of an attachment of ``kind`` (sniffed from ``data`` when ``None``).

    Never raises on a damaged, truncated or encrypted file: it returns what it could read with
    flags. TCVN3 and VNI text is converted to Unicode (Word files by the fonts of their runs, then
    every kind by :func:`detect_legacy`). Raises
    ``ValueError`` only for a ``kind`` that is not in :data:`KINDS`.
    """
    if kind is None:
        kind = sniff(data)
        if kind is None:
            return Extraction(flags=["unsupported"])
    if kind not in KINDS:
        raise ValueError(f"unknown kind of attachment: {kind!r}")
    reader = _READERS[kind]
    try:
        result = reader(bytes(data))
    except Exception:
        # The readers catch what they expect; anything else is a damaged file all the same.
        result = Extraction(flags=["malformed"])
    if kind not in IMAGE_KINDS and result.text:
        text, encoding = _repair_legacy(result.text)
        if encoding:
            result.text = text
            result.flags.append(f"converted_from_{encoding}")
    result.text = _tidy(result.text)
    limit = _max_text_chars()
    if len(result.text) > limit:
        result.text = result.text[:limit]
        result.flags.append("truncated")
    result.flags = list(dict.fromkeys(result.flags))
    return result


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _tidy(text: str) -> str:
    """NFC, Unix line ends, no control characters, no trailing blanks, no runs of blank lines.

    Form feeds (PDF page breaks) are kept, even at the ends, so that page N is always
    ``text.split("\\f")[N - 1]``.
    """
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "\n".join(line.rstrip(" \t\u00a0") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip(" \t\n")


def _letters(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def _pdf(data: bytes) -> Extraction:
    from pypdf import PdfReader

    flags: list[str] = []
    if b"%%EOF" not in data[-2048:]:
        flags.append("malformed")  # truncated: a PDF ends with %%EOF
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                pages = 0
                with suppress(Exception):
                    pages = len(reader.pages)
                return Extraction(pages=pages, flags=["encrypted", *flags])
            flags.append("restricted")
        pages = list(reader.pages)
    except Exception:
        return Extraction(flags=["malformed"])
    texts = []
    bare = 0
    for page in pages:
        try:
            page_text = page.extract_text() or ""
        except Exception:
            page_text = ""
            flags.append("malformed")
        if _letters(page_text) < _MIN_PAGE_CHARS:
            bare += 1
        texts.append(unicodedata.normalize("NFC", page_text).strip())
    needs_ocr = bool(pages) and bare > 0 and bare * 4 >= len(pages)
    return Extraction("\f".join(texts), len(pages), needs_ocr, flags)


def _zip_too_large(data: bytes, main_part: str) -> bool:
    """Whether a DOCX/XLSX unpacks beyond the limits (its main XML part is parsed whole)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        main = next((i.file_size for i in infos if i.filename == main_part), 0)
    return (
        total > _max_unpacked_bytes()
        or len(infos) > _MAX_ZIP_MEMBERS
        or main > _MAX_MAIN_PART_BYTES
    )


def _docx_pages(data: bytes) -> int:
    with suppress(Exception), zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("docProps/app.xml")
        if info.file_size <= MiB:
            match = re.search(rb"<(?:\w+:)?Pages>\s*(\d+)\s*<", archive.read(info))
            if match:
                return int(match.group(1))
    return 0


_TCVN3_FONT = re.compile(r"^\.?vn(?!i)", re.IGNORECASE)
_VNI_FONT = re.compile(r"^vni[- ]", re.IGNORECASE)


class _DocxFonts:
    """The font each run is set in, through direct formatting, styles and document defaults.

    Text in a TCVN3 font (.VnTime, .VnArial ...) or a VNI font (VNI-Times ...) is legacy text;
    an H font (.VnTimeH) draws it in capitals.
    """

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        root = document.styles.element
        self._styles = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
        self._default_paragraph = next(
            (
                s.get(qn("w:styleId"))
                for s in self._styles.values()
                if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
            ),
            None,
        )
        defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._default = self._font_of(defaults)
        self._cache: dict[str | None, str | None] = {}

    def _font_of(self, rpr: Any) -> str | None:
        if rpr is None:
            return None
        fonts = rpr.find(self._qn("w:rFonts"))
        if fonts is None:
            return None
        return fonts.get(self._qn("w:hAnsi")) or fonts.get(self._qn("w:ascii"))

    def _style_font(self, style_id: str | None) -> str | None:
        if style_id in self._cache:
            return self._cache[style_id]
        font = None
        seen: set[str] = set()
        current = style_id
        while current and current not in seen and font is None:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            font = self._font_of(style.find(self._qn("w:rPr")))
            based = style.find(self._qn("w:basedOn"))
            current = based.get(self._qn("w:val")) if based is not None else None
        self._cache[style_id] = font
        return font

    def encoding(self, run: Any, paragraph: Any) -> tuple[LegacyEncoding | None, bool]:
        """(legacy encoding, drawn in capitals) for a ``w:r`` element in a ``w:p``."""
        qn = self._qn
        rpr = run.find(qn("w:rPr"))
        font = self._font_of(rpr)
        if font is None and rpr is not None:
            run_style = rpr.find(qn("w:rStyle"))
            if run_style is not None:
                font = self._style_font(run_style.get(qn("w:val")))
        if font is None:
            para_style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            style_id = (
                para_style.get(qn("w:val")) if para_style is not None else self._default_paragraph
            )
            font = self._style_font(style_id)
        font = (font or self._default or "").strip()
        if _TCVN3_FONT.match(font):
            return "tcvn3", font.endswith("H")
        if _VNI_FONT.match(font):
            return "vni", False
        return None, False


_RUNS_XPATH = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
    " | ./w:sdt/w:sdtContent/w:r | ./w:customXml/w:r"
)


def _font_says_legacy(text: str, encoding: LegacyEncoding) -> bool:
    """Whether text set in a legacy font is legacy text indeed.

    Unicode typed over an old template keeps the template's font: text holding a letter only
    Unicode has, or whose words would be less Vietnamese after conversion, is left alone.
    """
    if text.isascii() or _UNICODE_ONLY.intersection(text):
        return False
    score = _score(text, _CONVERTERS[encoding])
    return score.valid_after >= score.valid_before


def _docx_paragraph(paragraph: Any, fonts: _DocxFonts, found: set[str]) -> str:
    from docx.text.run import Run

    parts = []
    for element in paragraph._p.xpath(_RUNS_XPATH):
        text = Run(element, paragraph).text
        encoding, capitals = fonts.encoding(element, paragraph._p)
        if encoding and _font_says_legacy(text, encoding):
            found.add(encoding)
            text = _CONVERTERS[encoding](text)
            if capitals:
                text = text.upper()
        parts.append(text)
    return "".join(parts)


def _docx_blocks(container: Any, fonts: _DocxFonts, found: set[str]) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            yield _docx_paragraph(block, fonts, found)
        elif isinstance(block, Table):
            yield from _docx_table(block, fonts, found)


def _docx_table(table: Any, fonts: _DocxFonts, found: set[str]) -> Iterator[str]:
    seen: set[Any] = set()  # merged cells come back once per grid column or row they span
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            cells.append(" ".join(t for t in _docx_blocks(cell, fonts, found) if t.strip()))
        if any(c.strip() for c in cells):
            yield "\t".join(cells)


def _docx(data: bytes) -> Extraction:
    import docx

    try:
        if _zip_too_large(data, "word/document.xml"):
            return Extraction(flags=["too_large"])
        document = docx.Document(io.BytesIO(data))
        fonts = _DocxFonts(document)
        found: set[str] = set()
        text = "\n".join(_docx_blocks(document, fonts, found))
    except Exception:
        return Extraction(flags=["malformed"])
    flags = [f"converted_from_{encoding}" for encoding in sorted(found)]
    return Extraction(text, _docx_pages(data), False, flags)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text
    return str(value).strip()


def _xlsx(data: bytes) -> Extraction:
    import openpyxl

    try:
        if _zip_too_large(data, "xl/workbook.xml"):
            return Extraction(flags=["too_large"])
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        return Extraction(flags=["malformed"])
    lines: list[str] = []
    flags: list[str] = []
    sheets: list[Any] = []
    size = 0
    limit = _max_text_chars()
    try:
        sheets = workbook.worksheets
        for sheet in sheets:
            if not re.fullmatch(r"(?i)sheet\d*|trang tính\d*", sheet.title):
                lines.append(sheet.title)
            if not hasattr(sheet, "iter_rows"):
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers record a wrong range
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(value) for value in row]
                line = "\t".join(cells).strip()
                if line:
                    lines.append(line)
                    size += len(line) + 1
                    if size > limit:
                        flags.append("truncated")
                        break
            if size > limit:
                break
    except Exception:
        flags.append("malformed")
    finally:
        workbook.close()
    return Extraction("\n".join(lines), len(sheets), False, flags)


def _image(data: bytes) -> Extraction:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            image.load()  # a truncated or corrupt image fails here, not at OCR time
    except Exception:
        return Extraction(flags=["malformed"])
    return Extraction("", frames, True, [])


# ---- OLE2 (Compound File Binary): old Word and Excel files ---------------------------------


class _Cfb:
    """A minimal reader of OLE2 compound files (MS-CFB), enough to read a few root streams.

    Every chain is bounded and checked for loops; anything inconsistent raises ``ValueError``.
    """

    FREE = 0xFFFFFFFF
    END = 0xFFFFFFFE

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_OLE_MAGIC):
            raise ValueError("not an OLE2 file")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise ValueError("bad sector size")
        self.sector = 1 << shift
        (fat_count, dir_start, _tx, self.cutoff, minifat_start, minifat_count, difat_start,
         difat_count) = struct.unpack_from("<IIIIIIII", data, 0x2C)  # fmt: skip
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        sector = difat_start
        per = self.sector // 4 - 1
        for _index in range(min(difat_count, 1 << 16)):
            if sector >= self.END:
                break
            values = self._ints(sector)
            difat.extend(values[:per])
            sector = values[per]
        fat_sectors = [s for s in difat if s < self.END][:fat_count]
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(self._ints(s))
        self.dir = self._read_chain(dir_start, self.fat)
        root = self._entry(0)
        if root[1] != 5:
            raise ValueError("no root entry")
        self.mini = self._read_chain(root[3], self.fat)[: root[4]]
        self.minifat: list[int] = []
        if minifat_count:
            raw = self._read_chain(minifat_start, self.fat)
            self.minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _ints(self, sector: int) -> list[int]:
        start = (sector + 1) * self.sector
        chunk = self.data[start : start + self.sector]
        if len(chunk) < self.sector:
            raise ValueError("sector beyond the end")
        return list(struct.unpack(f"<{self.sector // 4}I", chunk))

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        seen: set[int] = set()
        sector = start
        while sector <= 0xFFFFFFFA:
            if sector in seen or sector >= len(table):
                raise ValueError("broken sector chain")
            seen.add(sector)
            yield sector
            sector = table[sector]

    def _read_chain(self, start: int, table: list[int]) -> bytes:
        parts = []
        for sector in self._chain(start, table):
            offset = (sector + 1) * self.sector
            parts.append(self.data[offset : offset + self.sector])
        return b"".join(parts)

    def _entry(self, index: int) -> tuple[str, int, tuple[int, int, int], int, int]:
        raw = self.dir[index * 128 : index * 128 + 128]
        if len(raw) < 128:
            raise ValueError("directory entry beyond the end")
        length = min(struct.unpack_from("<H", raw, 0x40)[0], 64)
        name = raw[: max(length - 2, 0)].decode("utf-16-le", "replace")
        kind = raw[0x42]
        left, right, child = struct.unpack_from("<III", raw, 0x44)
        start, size = struct.unpack_from("<IQ", raw, 0x74)
        if self.sector == 512:
            size &= 0xFFFFFFFF
        return name, kind, (left, right, child), start, size

    def _root_children(self) -> dict[str, int]:
        found: dict[str, int] = {}
        stack = [self._entry(0)[2][2]]
        seen: set[int] = set()
        count = len(self.dir) // 128
        while stack:
            index = stack.pop()
            if index >= count or index in seen:
                continue
            seen.add(index)
            name, kind, (left, right, _child), _start, _size = self._entry(index)
            if kind in (1, 2):
                found.setdefault(name, index)
            stack.extend((left, right))
        return found

    def root_names(self) -> list[str]:
        """The names of the storages and streams at the root."""
        return list(self._root_children())

    def stream(self, name: str) -> bytes:
        """The content of the root stream called ``name`` (case-insensitive)."""
        children = {key.lower(): index for key, index in self._root_children().items()}
        if name.lower() not in children:
            raise ValueError(f"no stream {name}")
        _name, kind, _links, start, size = self._entry(children[name.lower()])
        if kind != 2:
            raise ValueError(f"{name} is not a stream")
        size = min(size, len(self.data))
        if size < self.cutoff:
            parts = []
            for sector in self._chain(start, self.minifat):
                parts.append(self.mini[sector * 64 : sector * 64 + 64])
            return b"".join(parts)[:size]
        return self._read_chain(start, self.fat)[:size]


def _decode_8bit(raw: bytes) -> str:
    return raw.decode("cp1252", "replace")


def _clean_word_text(text: str) -> str:
    """Word's special characters: fields keep their result, cells and rows become tabs/lines.

    A field is ``\\x13 instruction \\x14 result \\x15`` (the result is optional) and fields
    nest; a character is kept only when it is in the result part of every enclosing field.
    """
    kept = []
    stack: list[bool] = []  # per open field: in its result part yet?
    for char in text:
        if char == "\x13":
            stack.append(False)
        elif char == "\x14":
            if stack:
                stack[-1] = True
        elif char == "\x15":
            if stack:
                stack.pop()
        elif all(stack):
            kept.append(char)
    text = "".join(kept)
    text = text.replace("\x07\x07", "\n").replace("\x07", "\t")  # end of cell, end of row
    text = text.replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    text = text.replace("\x1e", "-").replace("\x1f", "").replace("\xa0", " ")
    return re.sub("[\x01-\x06\x08\x0e-\x1d]", "", text)


def _word97_text(cfb: _Cfb) -> tuple[str, bool]:
    """(main text, encrypted) of a Word 97-2003 document, read through its piece table."""
    word = cfb.stream("WordDocument")
    ident, _nfib = struct.unpack_from("<HH", word, 0)
    if ident != 0xA5EC:
        raise ValueError("not a Word 97 document")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:
        return "", True
    table = cfb.stream("1Table" if flags & 0x0200 else "0Table")
    offset = 32
    csw = struct.unpack_from("<H", word, offset)[0]
    offset += 2 + csw * 2
    cslw = struct.unpack_from("<H", word, offset)[0]
    lw = struct.unpack_from(f"<{cslw}i", word, offset + 2)
    offset += 2 + cslw * 4
    ccp_text = lw[3]
    cb_fclcb = struct.unpack_from("<H", word, offset)[0]
    if cb_fclcb <= 33:
        raise ValueError("no piece table")
    fc_clx, lcb_clx = struct.unpack_from("<II", word, offset + 2 + 33 * 8)
    clx = table[fc_clx : fc_clx + lcb_clx]
    position = 0
    while position < len(clx) and clx[position] == 0x01:  # Prc: property modifiers
        position += 3 + struct.unpack_from("<h", clx, position + 1)[0]
    if position >= len(clx) or clx[position] != 0x02:
        raise ValueError("no Pcdt")
    lcb = struct.unpack_from("<I", clx, position + 1)[0]
    plc = clx[position + 5 : position + 5 + lcb]
    count = (lcb - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    parts = []
    for index in range(count):
        start, end = cps[index], min(cps[index + 1], ccp_text)
        if start >= end:
            continue
        fc = struct.unpack_from("<I", plc, (count + 1) * 4 + index * 8 + 2)[0]
        length = end - start
        if fc & 0x40000000:
            at = (fc & 0x3FFFFFFF) // 2
            parts.append(_decode_8bit(word[at : at + length]))
        else:
            parts.append(word[fc : fc + 2 * length].decode("utf-16-le", "replace"))
    return _clean_word_text("".join(parts)), False


_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e\xa0-\xff][\x00]|[\x00-\xff][\x01\x1e])" rb"{4,}")
_BYTE_RUN = re.compile(rb"[\x20-\x7e\x80-\xff\r\n\t]{6,}")


def _scan_text_runs(raw: bytes) -> str:
    """Last resort: runs of plausible UTF-16LE or 8-bit text in a binary stream."""
    runs = [m.group().decode("utf-16-le", "replace") for m in _UTF16_RUN.finditer(raw)]
    if sum(len(r) for r in runs) < 20:
        runs = [_decode_8bit(m.group()) for m in _BYTE_RUN.finditer(raw)]
    words = [r.strip() for r in runs if sum(c.isalpha() for c in r) >= len(r) / 2]
    return "\n".join(w for w in words if w)


def _run_converter(argv: list[str], data: bytes, suffix: str) -> str | None:
    """The UTF-8 output of an external converter run on ``data``, or ``None`` on failure."""
    with tempfile.TemporaryDirectory(prefix="congdoan-") as folder:
        path = os.path.join(folder, "input" + suffix)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            done = subprocess.run(  # noqa: S603 - fixed program, list arguments, no shell
                [*argv, path],
                capture_output=True,
                timeout=_CONVERTER_TIMEOUT,
                check=False,
                cwd=folder,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def _doc(data: bytes) -> Extraction:
    try:
        cfb = _Cfb(data)
        word = cfb.stream("WordDocument")
    except (ValueError, struct.error):
        return Extraction(_scan_text_runs(data[:_MAX_OLE_READ]), 0, False, ["malformed"])
    if len(word) >= 12 and struct.unpack_from("<H", word, 0x0A)[0] & 0x0100:
        return Extraction(flags=["encrypted"])
    for program, argv in (
        ("antiword", ["-m", "UTF-8.txt", "-w", "0"]),
        ("catdoc", ["-d", "utf-8", "-w"]),
    ):
        executable = shutil.which(program)
        if executable:
            text = _run_converter([executable, *argv], data, ".doc")
            if text and text.strip():
                return Extraction(text, 0, False, [])
    flags = [] if shutil.which("antiword") or shutil.which("catdoc") else ["doc_without_converter"]
    try:
        text, encrypted = _word97_text(cfb)
    except (ValueError, struct.error, IndexError):
        return Extraction(_scan_text_runs(word), 0, False, [*flags, "malformed"])
    if encrypted:
        return Extraction(flags=["encrypted"])
    return Extraction(text, 0, False, flags)


def _biff_records(stream: bytes) -> Iterator[tuple[int, bytes]]:
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


class _Continued:
    """Reads across a BIFF record and its CONTINUE records as one stream of bytes."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.index = 0
        self.position = 0

    def at_end(self) -> bool:
        while self.index < len(self.chunks) and self.position >= len(self.chunks[self.index]):
            self.index += 1
            self.position = 0
        return self.index >= len(self.chunks)

    def take(self, count: int) -> bytes:
        out = b""
        while len(out) < count:
            if self.at_end():
                raise ValueError("record ends early")
            chunk = self.chunks[self.index]
            piece = chunk[self.position : self.position + count - len(out)]
            out += piece
            self.position += len(piece)
        return out

    def chars(self, length: int, wide: int) -> str:
        """``length`` characters; a string split across records restarts with its own flag."""
        chars: list[str] = []
        while len(chars) < length:
            if self.position >= len(self.chunks[self.index]):
                self.index += 1
                if self.index >= len(self.chunks):
                    raise ValueError("record ends early")
                wide = self.chunks[self.index][0] & 0x01
                self.position = 1
            chunk = self.chunks[self.index]
            room = len(chunk) - self.position
            want = length - len(chars)
            take = min(want, room // 2) if wide else min(want, room)
            if take == 0:
                raise ValueError("misaligned string")
            raw = chunk[self.position : self.position + take * (2 if wide else 1)]
            chars.extend(raw.decode("utf-16-le", "replace") if wide else _decode_8bit(raw))
            self.position += len(raw)
        return "".join(chars)


def _sst_strings(records: list[tuple[int, bytes]]) -> list[str]:
    """The shared strings of a BIFF8 workbook: an SST record and its CONTINUE records."""
    strings: list[str] = []
    for index, (kind, payload) in enumerate(records):
        if kind != 0x00FC:
            continue
        chunks = [payload[8:]]
        for next_kind, next_payload in records[index + 1 :]:
            if next_kind != 0x003C:
                break
            chunks.append(next_payload)
        reader = _Continued(chunks)
        with suppress(ValueError, struct.error, IndexError):
            while not reader.at_end():
                length = struct.unpack("<H", reader.take(2))[0]
                options = reader.take(1)[0]
                runs = struct.unpack("<H", reader.take(2))[0] if options & 0x08 else 0
                extended = struct.unpack("<I", reader.take(4))[0] if options & 0x04 else 0
                strings.append(reader.chars(length, options & 0x01))
                reader.take(4 * runs + extended)
        break
    return strings


def _xls_builtin(stream: bytes) -> tuple[str, int, bool]:
    """(text, sheets, encrypted) of a BIFF8 workbook stream: sheet names and shared strings."""
    records = list(_biff_records(stream))
    if any(kind == 0x002F for kind, _payload in records):  # FILEPASS
        return "", 0, True
    names = []
    for kind, payload in records:
        if kind == 0x0085 and len(payload) > 8:  # BOUNDSHEET
            length, wide = payload[6], payload[7] & 0x01
            raw = payload[8 : 8 + length * (2 if wide else 1)]
            names.append(raw.decode("utf-16-le", "replace") if wide else _decode_8bit(raw))
    strings = _sst_strings(records)
    shown = [n for n in names if not re.fullmatch(r"(?i)sheet\d*", n)]
    return "\n".join([*shown, *strings]), len(names), False


def _xls(data: bytes) -> Extraction:
    try:
        cfb = _Cfb(data)
        names = {name.lower() for name in cfb.root_names()}
        stream = cfb.stream("Workbook" if "workbook" in names else "Book")
    except (ValueError, struct.error):
        return Extraction(flags=["malformed"])
    text, sheets, encrypted = _xls_builtin(stream)
    if encrypted:
        return Extraction(pages=sheets, flags=["encrypted"])
    executable = shutil.which("xls2csv")
    if executable:
        converted = _run_converter([executable, "-d", "utf-8", "-q", "0", "-c", "\t"], data, ".xls")
        if converted and converted.strip():
            return Extraction(converted.replace("\x0c", "\n"), sheets, False, [])
    return Extraction(text, sheets, False, ["xls_without_converter"])


_READERS: dict[str, Callable[[bytes], Extraction]] = {
    "pdf": _pdf,
    "docx": _docx,
    "doc": _doc,
    "xlsx": _xlsx,
    "xls": _xls,
    "png": _image,
    "jpeg": _image,
    "tiff": _image,
}
