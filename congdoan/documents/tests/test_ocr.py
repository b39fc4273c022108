"""OCR with OCRmyPDF and Tesseract (Vietnamese) on scans made by the test itself.

The tests that run OCR are skipped where ``ocrmypdf``, ``tesseract`` or its ``vie`` language
is missing; the others run everywhere.
"""

from __future__ import annotations

import io
import re
import time
import unicodedata
from difflib import SequenceMatcher

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from congdoan.documents import files, ocr
from congdoan.documents.ocr import OcrFailed, OcrUnavailable
from congdoan.documents.tests.fixtures import samples

needs_ocr = pytest.mark.skipif(
    not ocr.available(), reason="ocrmypdf and tesseract-ocr-vie are not installed"
)


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces collapsed: for lenient comparisons."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip()


def similarity(found: str, expected: str) -> float:
    return SequenceMatcher(None, found, expected).ratio()


def _pdf_of(*documents: bytes) -> bytes:
    writer = PdfWriter()
    for document in documents:
        for page in PdfReader(io.BytesIO(document)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def fresh_cache():
    ocr.reset()
    yield
    ocr.reset()


def test_available_is_cached_and_can_be_reset(monkeypatch, fresh_cache):
    calls = []

    def probe(language):
        calls.append(language)
        return True

    monkeypatch.setattr(ocr, "_probe", probe)
    assert ocr.available()
    assert ocr.available()
    assert calls == ["vie"]
    ocr.reset()
    assert ocr.available()
    assert calls == ["vie", "vie"]


def test_without_the_programs_ocr_is_unavailable(monkeypatch, fresh_cache):
    monkeypatch.setattr(ocr.shutil, "which", lambda _program: None)
    assert not ocr.available()
    with pytest.raises(OcrUnavailable):
        ocr.ocr_pdf(samples.image_only_pdf())
    with pytest.raises(OcrUnavailable):
        ocr.ocr_image(samples.text_image())


@needs_ocr
def test_a_missing_language_is_unavailable(fresh_cache):
    assert not ocr.available("khongco")
    assert ocr.available("vie")


@needs_ocr
def test_a_scanned_pdf_is_read_in_vietnamese():
    steps = []
    result = ocr.ocr_pdf(samples.image_only_pdf(), progress=lambda d, t: steps.append((d, t)))
    assert steps == [(0, 1), (1, 1)]
    assert result.pages == 1
    assert result.ocr_pages == 1
    assert unicodedata.is_normalized("NFC", result.text)
    expected = "\n".join([samples.HEADING, *samples.LINES])
    # Tesseract's Vietnamese model reads this clean scan well; be lenient all the same.
    assert similarity(fold(result.text), fold(expected)) > 0.9
    assert "cong doan" in fold(result.text)
    assert "ke hoach" in fold(result.text)
    assert similarity(result.text, expected) > 0.8  # with the diacritics
    # The searchable PDF now has a text layer that the ordinary extraction reads.
    extraction = files.extract_text(result.pdf, "pdf")
    assert not extraction.needs_ocr
    assert "cong doan co so" in fold(extraction.text)


@needs_ocr
def test_only_pages_without_text_go_through_ocr():
    steps = []
    data = _pdf_of(samples.text_pdf(), samples.image_only_pdf(["Giấy mời họp Ban Chấp hành"]))
    result = ocr.ocr_pdf(data, progress=lambda d, t: steps.append((d, t)))
    assert result.pages == 2
    assert result.ocr_pages == 1
    assert steps == [(0, 2), (1, 2), (2, 2)]
    first, second = result.text.split("\f")
    assert samples.LINES[0] in first  # the text page, as it was
    assert "giay moi hop ban chap hanh" in fold(second)
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 2


@needs_ocr
def test_an_image_is_read():
    result = ocr.ocr_image(samples.text_image(["Quyết định khen thưởng Công đoàn"]))
    assert result.pages == 1
    assert "quyet dinh khen thuong cong doan" in fold(result.text)


def test_images_become_pdf_pages_at_their_resolution():
    rgba = Image.new("RGBA", (300, 150), (255, 255, 255, 0))
    out = io.BytesIO()
    rgba.save(out, format="PNG", dpi=(150, 150))
    page = PdfReader(io.BytesIO(ocr.image_to_pdf(out.getvalue()))).pages[0]
    assert round(float(page.mediabox.width)) == 144  # 300 px at 150 dpi = 2 in = 144 pt

    frames = [Image.new("L", (600, 300), shade) for shade in (255, 200, 150)]
    tiff = io.BytesIO()
    frames[0].save(tiff, format="TIFF", save_all=True, append_images=frames[1:])
    reader = PdfReader(io.BytesIO(ocr.image_to_pdf(tiff.getvalue())))
    assert len(reader.pages) == 3
    assert round(float(reader.pages[0].mediabox.width)) == 144  # no DPI recorded: 300 dpi

    mixed = io.BytesIO()
    pages = [Image.new("1", (300, 300), 1), Image.new("RGB", (300, 300), "white")]
    pages[0].save(mixed, format="TIFF", save_all=True, append_images=pages[1:])
    assert len(PdfReader(io.BytesIO(ocr.image_to_pdf(mixed.getvalue()))).pages) == 2
    black_and_white = io.BytesIO()
    pages[0].save(black_and_white, format="PNG")
    assert b"/CCITTFaxDecode" in ocr.image_to_pdf(black_and_white.getvalue())  # lossless

    deep = io.BytesIO()
    Image.new("I;16", (100, 100), 40000).save(deep, format="PNG")
    assert len(PdfReader(io.BytesIO(ocr.image_to_pdf(deep.getvalue()))).pages) == 1


def test_a_bad_image_fails_cleanly():
    with pytest.raises(OcrFailed, match="image cannot be read"):
        ocr.image_to_pdf(b"\x89PNG\r\n\x1a\n broken")


@needs_ocr
def test_a_bad_pdf_fails_cleanly():
    with pytest.raises(OcrFailed, match="cannot be read"):
        ocr.ocr_pdf(b"%PDF-1.7\n garbage")


@needs_ocr
def test_an_encrypted_pdf_fails_cleanly():
    writer = PdfWriter(clone_from=io.BytesIO(samples.image_only_pdf()))
    writer.encrypt(user_password="mật-khẩu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(OcrFailed, match="password"):
        ocr.ocr_pdf(out.getvalue())


@needs_ocr
def test_the_timeout_stops_ocr():
    with pytest.raises(OcrFailed, match="timed out"):
        ocr.ocr_pdf(samples.image_only_pdf(), timeout=0)


@needs_ocr
def test_a_failing_ocrmypdf_reports_its_stderr(tmp_path, monkeypatch):
    fake = tmp_path / "ocrmypdf"
    fake.write_text("#!/bin/sh\necho 'PriorOcrFoundError: page already has text' >&2\nexit 6\n")
    fake.chmod(0o755)
    real_which = ocr.shutil.which
    monkeypatch.setattr(
        ocr.shutil, "which", lambda p: str(fake) if p == "ocrmypdf" else real_which(p)
    )
    with pytest.raises(OcrFailed, match=r"exit 6\): PriorOcrFoundError"):
        ocr.ocr_pdf(samples.image_only_pdf())


@needs_ocr
def test_a_hanging_ocrmypdf_is_killed_at_the_timeout(tmp_path, monkeypatch):
    marker = tmp_path / "still-running"
    fake = tmp_path / "ocrmypdf"
    fake.write_text(f"#!/bin/sh\nsleep 2 && touch {marker} &\nwait\n")
    fake.chmod(0o755)
    real_which = ocr.shutil.which
    monkeypatch.setattr(
        ocr.shutil, "which", lambda p: str(fake) if p == "ocrmypdf" else real_which(p)
    )
    started = time.monotonic()
    with pytest.raises(OcrFailed, match="timed out"):
        ocr.ocr_pdf(samples.image_only_pdf(), timeout=1)
    assert time.monotonic() - started < 2
    time.sleep(2.5)
    assert not marker.exists()  # the whole process group went, children included
