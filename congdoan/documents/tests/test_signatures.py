"""PDF signatures: signed with pyHanko and a certificate made by the test, then checked."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfWriter

from congdoan.documents import signatures
from congdoan.documents.signatures import SignatureReport, validate_pdf_signatures
from congdoan.documents.tests.fixtures import samples

SIGNER = "Nguyễn Văn An"
ORGANISATION = "Liên đoàn Lao động tỉnh Lào Cai"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def certificate():
    """A self-signed signing certificate and its key, as pyHanko wants them, and the PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, SIGNER),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signing_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([signing_cert]),
    )
    return signer, cert.public_bytes(serialization.Encoding.PEM)


def sign(pdf: bytes, signer, field_name: str = "ChuKySo1") -> bytes:
    """Sign with pyHanko (off any running event loop, e.g. the browser tests' one)."""

    def run() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        metadata = signers.PdfSignatureMetadata(field_name=field_name)
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()

    return signatures._run(run)


@pytest.fixture(scope="module")
def signed(certificate) -> bytes:
    return sign(samples.text_pdf(), certificate[0])


def _add_text_after_signing(signed_pdf: bytes) -> bytes:
    """An incremental update that draws more text on the signed page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    extra = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (DA SUA) Tj ET")
    )
    contents = page.raw_get("/Contents")
    parts = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*parts, extra])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signed_pdf_has_one_report(signed):
    before = dt.datetime.now(dt.UTC)
    [report] = validate_pdf_signatures(signed)
    assert isinstance(report, SignatureReport)
    assert report.field_name == "ChuKySo1"
    assert report.signer_name == SIGNER
    assert report.signer_organisation == ORGANISATION
    assert report.intact
    assert report.valid
    assert not report.trusted  # no trust root is configured
    assert report.covers_whole_document
    assert not report.modified_after_signing
    assert report.modification_level == "none"
    assert not report.timestamped
    assert not report.ok
    assert report.signed_at is not None
    assert abs(report.signed_at - before) < dt.timedelta(minutes=5)
    assert report.summary.startswith(f"Signed by {SIGNER} ({ORGANISATION}) on ")
    assert "The signature is valid and the document is unchanged." in report.summary
    assert "not from a trusted authority" in report.summary
    assert any(problem.startswith("not trusted") for problem in report.problems)


def test_a_report_is_ready_for_a_json_field(signed):
    [report] = validate_pdf_signatures(signed)
    values = report.as_dict()
    assert json.loads(json.dumps(values)) == values
    assert values["signer_name"] == SIGNER
    assert dt.datetime.fromisoformat(values["signed_at"]) == report.signed_at
    assert values["ok"] is False
    assert set(values) >= {"intact", "valid", "trusted", "modified_after_signing", "summary"}


def test_a_configured_trust_root_makes_the_signature_trusted(
    signed, certificate, tmp_path, settings
):
    root = tmp_path / "root-ca.pem"
    root.write_bytes(certificate[1])
    settings.DOCUMENT_TRUST_ROOTS = [str(tmp_path / "missing.pem"), str(root)]
    [report] = validate_pdf_signatures(signed)
    assert report.trusted
    assert report.ok
    assert report.problems == ()
    assert "The certificate is from a trusted authority." in report.summary


def test_content_added_after_signing_is_reported(signed):
    [report] = validate_pdf_signatures(_add_text_after_signing(signed))
    assert report.intact  # the signed bytes are untouched ...
    assert report.valid
    assert not report.covers_whole_document  # ... but something came after them
    assert report.modified_after_signing
    assert report.modification_level == "other"
    assert "the document was changed after signing" in report.summary


def test_bytes_changed_inside_the_signed_range_break_the_signature(signed):
    assert signed.count(b"ReportLab") >= 1
    tampered = signed.replace(b"ReportLab", b"ReportLaX", 1)  # same length: offsets hold
    [report] = validate_pdf_signatures(tampered)
    assert not report.intact
    assert not report.valid
    assert report.modified_after_signing
    assert "The signed content was altered" in report.summary


def test_a_second_signature_is_a_legitimate_change(signed, certificate):
    twice = sign(signed, certificate[0], field_name="ChuKySo2")
    first, second = validate_pdf_signatures(twice)
    assert (first.field_name, second.field_name) == ("ChuKySo1", "ChuKySo2")
    assert first.valid and first.intact
    assert not first.covers_whole_document
    assert not first.modified_after_signing
    assert first.modification_level == "form_filling"
    assert "later additions are only signatures or form filling" in first.summary
    assert second.covers_whole_document


def test_a_broken_signature_value_gives_a_report_not_an_error(signed):
    match = re.search(rb"/Contents <([0-9a-fA-F]+)>", signed)
    assert match
    broken = signed[: match.start(1)] + b"0" * len(match.group(1)) + signed[match.end(1) :]
    [report] = validate_pdf_signatures(broken)
    assert report.field_name == "ChuKySo1"
    assert not report.valid
    assert not report.intact
    assert report.modified_after_signing
    assert report.problems[0].startswith("unreadable")
    assert report.summary == (
        "Signed by an unknown signer. The signature is damaged or of a kind that cannot be checked."
    )


def test_a_signature_in_an_unsupported_format_is_reported_not_skipped(signed):
    match = re.search(rb"/SubFilter (/[A-Za-z0-9.]+)", signed)
    assert match
    legacy = b"/adbe.pkcs7.sha1".ljust(len(match.group(1)))  # same length: offsets hold
    changed = signed[: match.start(1)] + legacy + signed[match.end(1) :]
    [report] = validate_pdf_signatures(changed)
    assert not report.valid
    assert report.problems == ("unsupported /adbe.pkcs7.sha1",)


def test_unsigned_damaged_and_encrypted_pdfs_give_no_report(signed):
    assert validate_pdf_signatures(samples.text_pdf()) == []
    assert validate_pdf_signatures(b"") == []
    assert validate_pdf_signatures(b"%PDF-1.7\n garbage") == []
    assert validate_pdf_signatures(signed[: len(signed) // 2]) == []
    writer = PdfWriter(clone_from=io.BytesIO(samples.text_pdf()))
    writer.encrypt(user_password="mật-khẩu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    assert validate_pdf_signatures(out.getvalue()) == []


def test_validation_works_inside_a_running_event_loop(signed):
    async def check():
        return validate_pdf_signatures(signed)

    [report] = signatures._run(lambda: asyncio.run(check()))
    assert report.valid
