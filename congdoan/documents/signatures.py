"""Digital signatures in PDF attachments, checked with pyHanko, offline.

For each signature the report says who signed (the certificate's common name and
organisation) and when, and answers three questions apart, because they fail for different
reasons: is the signed part of the file unchanged (*intact*), is the signature mathematically
right (*valid*), and does the certificate chain up to a root we trust (*trusted*). It also says
whether the signature covers the whole file, and whether what was added after it goes beyond
what signing workflows legitimately add (more signatures, form filling, timestamps).

Trust roots are the PEM or DER files listed in the setting ``DOCUMENT_TRUST_ROOTS`` (default
none, so no signature is trusted until the roots of the Vietnamese certification authorities
are configured). Nothing is fetched from the network: no OCSP, CRL or certificate download.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: What ``SignatureReport.modification_level`` may say, from pyHanko's difference analysis.
MODIFICATION_LEVELS = ("none", "lta_updates", "form_filling", "annotations", "other", "unknown")
# Changes after a signature that signing workflows make and that do not alter the content.
_HARMLESS = frozenset({"none", "lta_updates", "form_filling"})


@dataclass(frozen=True)
class SignatureReport:
    """The verdict on one signature of a PDF.

    ``intact``: the bytes the signature covers are unchanged. ``valid``: the signature is
    cryptographically valid (and intact). ``trusted``: the signer's certificate chains up to a
    configured trust root and was valid at signing time. ``covers_whole_document``: nothing
    was added to the file after this signature. ``modified_after_signing``: what was added
    afterwards changes the document beyond more signatures, form filling and timestamps (or
    cannot be told apart), or the signed part itself was altered. ``modification_level`` is one
    of :data:`MODIFICATION_LEVELS`. ``summary`` is one readable (translatable) sentence or three.
    ``problems`` lists short English reasons for the technical record (log, audit).
    """

    field_name: str
    signer_name: str
    signer_organisation: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_document: bool
    modified_after_signing: bool
    modification_level: str
    timestamped: bool
    summary: str
    problems: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (``signed_at`` in ISO 8601), for a JSONField."""
        values = asdict(self)
        values["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        values["problems"] = list(self.problems)
        values["ok"] = self.ok
        return values

    @property
    def ok(self) -> bool:
        """Intact, valid, trusted and not modified afterwards: the signature can be relied on."""
        return self.intact and self.valid and self.trusted and not self.modified_after_signing


def _setting(name: str, default: Any) -> Any:
    try:
        return getattr(settings, name, default)
    except ImproperlyConfigured:
        return default


def _trust_roots() -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder

    paths = list(_setting("DOCUMENT_TRUST_ROOTS", []) or [])
    roots: list[Any] = []
    for path in paths:
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except Exception:
            logger.warning("DOCUMENT_TRUST_ROOTS: cannot read a certificate from %s", path)
    return roots


def _validation_context() -> Any:
    from pyhanko_certvalidator import ValidationContext

    # An explicit (possibly empty) list: never fall back to the system's TLS trust store.
    return ValidationContext(
        trust_roots=_trust_roots(), allow_fetching=False, revocation_mode="soft-fail"
    )


def _run(function: Callable[[], T]) -> T:
    """Call ``function`` (which runs an event loop of its own) from any thread.

    pyHanko's synchronous API calls ``asyncio.run``, which fails inside a running loop (an
    async view, a test with an event loop): there, it runs in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def _name_part(certificate: Any, key: str) -> str:
    try:
        value = certificate.subject.native.get(key, "")
    except Exception:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value or "")


def _level(status: Any) -> str:
    try:
        level = status.modification_level
    except Exception:
        return "unknown"
    return level.name.lower() if level is not None else "unknown"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "d/m/Y H:i")


def _summary(
    *,
    name: str,
    organisation: str,
    signed_at: datetime | None,
    intact: bool,
    valid: bool,
    trusted: bool,
    modified: bool,
    covers_whole: bool,
    unreadable: bool = False,
) -> str:
    signer = f"{name} ({organisation})" if organisation and organisation != name else name
    signer = signer or _("an unknown signer")
    if signed_at is not None:
        sentences = [
            _("Signed by %(signer)s on %(date)s.") % {"signer": signer, "date": _when(signed_at)}
        ]
    else:
        sentences = [_("Signed by %(signer)s.") % {"signer": signer}]
    if unreadable:
        sentences.append(_("The signature is damaged or of a kind that cannot be checked."))
        return " ".join(sentences)
    if not intact:
        sentences.append(_("The signed content was altered: the signature is broken."))
    elif not valid:
        sentences.append(_("The signature is not valid."))
    elif modified:
        sentences.append(_("The signature is valid, but the document was changed after signing."))
    elif not covers_whole:
        sentences.append(
            _("The signature is valid; later additions are only signatures or form filling.")
        )
    else:
        sentences.append(_("The signature is valid and the document is unchanged."))
    if trusted:
        sentences.append(_("The certificate is from a trusted authority."))
    else:
        sentences.append(_("The certificate is not from a trusted authority."))
    return " ".join(sentences)


def _report(embedded: Any, context: Any) -> SignatureReport:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    field_name = str(embedded.field_name or "")
    problems: list[str] = []
    try:
        certificate = embedded.signer_cert
    except Exception:
        certificate = None
        problems.append("no signer certificate")
    name = _name_part(certificate, "common_name") if certificate is not None else ""
    organisation = _name_part(certificate, "organization_name") if certificate is not None else ""
    try:
        status = _run(lambda: validate_pdf_signature(embedded, signer_validation_context=context))
    except Exception as error:  # a broken CMS structure, an unsupported algorithm ...
        problems.append(f"validation failed: {error.__class__.__name__}: {error}"[:500])
        signed_at = None
        with suppress(Exception):
            signed_at = embedded.self_reported_timestamp
        return _unchecked(field_name, name, organisation, signed_at, problems)
    timestamp = getattr(status, "timestamp_validity", None)
    signed_at = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    covers_whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = _level(status)
    intact = bool(status.intact)
    valid = bool(status.valid) and intact
    trusted = bool(status.trusted)
    modified = (
        not intact
        or (not covers_whole and level not in _HARMLESS)
        or status.docmdp_ok is False
        or (
            status.coverage is not None and status.coverage < SignatureCoverageLevel.ENTIRE_REVISION
        )
    )
    if not intact:
        problems.append("the signed byte range does not match the signed digest")
    if not valid:
        problems.append("the signature value is not valid")
    if not trusted:
        indication = getattr(status, "trust_problem_indic", None)
        problems.append(f"not trusted: {indication.name if indication else 'no path to a root'}")
    if modified and intact:
        problems.append(f"modified after signing: {level}")
    return SignatureReport(
        field_name=field_name,
        signer_name=name,
        signer_organisation=organisation,
        signed_at=signed_at,
        intact=intact,
        valid=valid,
        trusted=trusted,
        covers_whole_document=covers_whole,
        modified_after_signing=modified,
        modification_level=level,
        timestamped=timestamp is not None,
        summary=_summary(
            name=name,
            organisation=organisation,
            signed_at=signed_at,
            intact=intact,
            valid=valid,
            trusted=trusted,
            modified=modified,
            covers_whole=covers_whole,
        ),
        problems=tuple(problems),
    )


def _unchecked(
    field_name: str,
    name: str,
    organisation: str,
    signed_at: datetime | None,
    problems: list[str],
) -> SignatureReport:
    """The report on a signature that could not be checked at all: nothing can be vouched for."""
    return SignatureReport(
        field_name=field_name,
        signer_name=name,
        signer_organisation=organisation,
        signed_at=signed_at,
        intact=False,
        valid=False,
        trusted=False,
        covers_whole_document=False,
        modified_after_signing=True,
        modification_level="unknown",
        timestamped=False,
        summary=_summary(
            name=name,
            organisation=organisation,
            signed_at=signed_at,
            intact=False,
            valid=False,
            trusted=False,
            modified=True,
            covers_whole=False,
            unreadable=True,
        ),
        problems=tuple(problems),
    )


_SUPPORTED_SUBFILTERS = frozenset(
    {"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161", "/PBAD.PAdES"}
)


def _collect(reader: Any) -> tuple[list[Any], list[SignatureReport]]:
    """(the signatures pyHanko can check, in signing order; reports on those it cannot).

    pyHanko's own ``embedded_signatures`` gives up on the whole document when one signature
    is unreadable, and skips those of an unsupported format in silence: here each one counts.
    """
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    checkable = []
    unchecked = []
    for field_name, value, field_ref in enumerate_sig_fields(reader, filled_status=True):
        try:
            signature = value.get_object()
            if signature.get("/Type") == "/DocTimeStamp":
                continue
            subfilter = str(signature.get("/SubFilter", ""))
            if subfilter not in _SUPPORTED_SUBFILTERS:
                unchecked.append(
                    _unchecked(str(field_name), "", "", None, [f"unsupported {subfilter}"])
                )
                continue
            embedded = EmbeddedPdfSignature(reader, field_ref, field_name)
            _revision = embedded.signed_revision
        except Exception as error:
            problem = f"unreadable: {error.__class__.__name__}: {error}"[:500]
            unchecked.append(_unchecked(str(field_name), "", "", None, [problem]))
            continue
        if embedded.sig_object_type == "/Sig":
            checkable.append(embedded)
    checkable.sort(key=lambda embedded: embedded.signed_revision)
    return checkable, unchecked


def validate_pdf_signatures(data: bytes) -> list[SignatureReport]:
    """A report on each signature of a PDF, in the order they were applied; ``[]`` if none.

    Document timestamps (signatures of a timestamping authority over the whole file) are not
    reported as signatures. Never raises: an unreadable, damaged or password-protected PDF
    gives ``[]`` (logged), and a signature that cannot be checked (damaged, or in a format
    such as ``adbe.pkcs7.sha1`` that pyHanko does not check) gives a report that is not valid,
    with the reason in ``problems``; those come after the others.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(bytes(data)), strict=False)
        if reader.encrypted:
            from pyhanko.pdf_utils.crypt import AuthStatus

            if reader.decrypt("").status == AuthStatus.FAILED:
                logger.info("PDF signatures not checked: the file needs a password")
                return []
        signatures, unchecked = _collect(reader)
    except Exception as error:
        logger.info("PDF signatures not checked: %s", error)
        return []
    if not signatures:
        return unchecked
    try:
        context = _validation_context()
    except Exception as error:
        logger.warning("PDF signatures not checked: no validation context: %s", error)
        return unchecked
    reports = []
    for embedded in signatures:
        try:
            reports.append(_report(embedded, context))
        except Exception as error:  # pragma: no cover - _report catches what it expects
            logger.warning("PDF signature %s not checked: %s", embedded, error)
    return reports + unchecked
