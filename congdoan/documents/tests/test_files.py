"""Attachments: kinds by content, upload checks, text extraction, legacy Vietnamese encodings.

Every file is a real one made by the test (see fixtures/samples.py); no database is used.
"""

from __future__ import annotations

import io
import os
import time
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf import PdfReader, PdfWriter

from congdoan.documents import files
from congdoan.documents.files import (
    KINDS,
    Extraction,
    UploadRejected,
    check_upload,
    detect_legacy,
    extract_text,
    from_unicode,
    sniff,
    to_unicode,
)
from congdoan.documents.tests.fixtures import samples

MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def no_converters(monkeypatch):
    """As on a machine without antiword, catdoc and xls2csv."""
    monkeypatch.setattr(files.shutil, "which", lambda _program: None)


def _image(fmt: str, *, frames: int = 1) -> bytes:
    pictures = [Image.new("RGB", (40, 30), (255, 255 - 60 * i, 255)) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, format=fmt, save_all=frames > 1, append_images=pictures[1:])
    return out.getvalue()


def _encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(samples.text_pdf()))
    writer.encrypt(user_password=user_password, owner_password="chủ-sở-hữu", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_of(*documents: bytes) -> bytes:
    writer = PdfWriter()
    for document in documents:
        for page in PdfReader(io.BytesIO(document)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- kinds by content ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "make"),
    [
        ("pdf", samples.text_pdf),
        ("docx", samples.docx_with_table),
        ("xlsx", samples.xlsx),
        ("png", samples.text_image),
        ("jpeg", lambda: _image("JPEG")),
        ("tiff", lambda: _image("TIFF", frames=2)),
        ("doc", lambda: samples.word97_doc("Công văn")),
        ("xls", lambda: samples.xls_biff8(["Công đoàn"])),
    ],
)
def test_sniff_tells_every_kind_by_content(kind, make):
    data = make()
    assert kind in KINDS
    assert sniff(data) == kind
    assert sniff(io.BytesIO(data)) == kind
    assert check_upload(f"tệp không đuôi-{kind}", data) == kind


def test_sniff_reads_a_path_and_a_handle_and_puts_the_handle_back(tmp_path):
    path = tmp_path / "ke-hoach.bin"
    path.write_bytes(samples.docx_with_table())
    assert sniff(path) == "docx"
    assert sniff(str(path)) == "docx"
    with path.open("rb") as handle:
        handle.seek(7)
        assert sniff(handle) == "docx"
        assert handle.tell() == 7


def test_sniff_knows_a_head_of_office_file():
    data = samples.docx_with_table()
    assert sniff(data[:4096]) == "docx"  # the central directory is at the end, cut off here


def test_sniff_refuses_other_contents():
    assert sniff(b"") is None
    assert sniff(b"\x7fELF\x02\x01\x01" + b"\0" * 100) is None
    assert sniff(b"<!DOCTYPE html><html><body>%PDF-1.7</body></html>") is None
    assert sniff(b"MZ\x90\x00" + b"\0" * 100) is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert sniff(plain_zip.getvalue()) is None
    assert sniff(samples.compound_file({"PowerPoint Document": b"x"})) is None


def test_a_macro_enabled_word_file_is_not_a_docx():
    data = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.docx_with_table())) as source,
        zipfile.ZipFile(data, "w") as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    b".main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(info, content)
    assert sniff(data.getvalue()) is None


# ---- check_upload ---------------------------------------------------------------------------


def test_a_pdf_named_docx_is_a_pdf():
    assert check_upload("Kế hoạch 05.docx", samples.text_pdf()) == "pdf"


@pytest.mark.parametrize(
    "content",
    [
        b"\x7fELF\x02\x01\x01\x00" + b"\0" * 500,
        b"<html><head><title>Quy\xe1\xba\xbft \xc4\x91\xe1\xbb\x8bnh</title></head></html>",
        b"MZ\x90\x00\x03" + b"\0" * 500,
    ],
    ids=["elf", "html", "exe"],
)
def test_an_executable_or_a_page_named_pdf_is_refused(content):
    with pytest.raises(UploadRejected) as caught:
        check_upload("Quyết định 12.pdf", content)
    assert str(caught.value) == (
        "Quyết định 12.pdf: the content is not a PDF, Word, Excel or image file"
    )
    assert caught.value.code == "not_allowed"
    assert isinstance(caught.value, ValueError)


def test_the_message_names_the_file_without_its_folders():
    with pytest.raises(UploadRejected, match=r"^x\.pdf: "):
        check_upload("C:\\Users\\vanthu\\x.pdf", b"not a pdf at all")


def test_a_file_over_the_limit_is_refused_without_reading_it():
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (30 * MiB))
    with pytest.raises(UploadRejected) as caught:
        check_upload("x.pdf", big)
    assert str(caught.value) == "x.pdf: the file is larger than 30 MB"
    assert caught.value.code == "too_large"


def test_the_limit_comes_from_the_settings_or_the_argument(settings):
    data = samples.text_pdf()
    settings.DOCUMENT_MAX_UPLOAD_BYTES = 2 * 1024
    with pytest.raises(UploadRejected, match="larger than 2 KB"):
        check_upload("x.pdf", data)
    assert check_upload("x.pdf", data, max_bytes=len(data)) == "pdf"
    with pytest.raises(UploadRejected, match="larger than 100 B"):
        check_upload("x.pdf", data, max_bytes=100)


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRejected, match=r"^x\.docx: the file is empty$"):
        check_upload("x.docx", b"")


def test_an_uploaded_file_is_checked_and_left_where_it_was(tmp_path):
    upload = SimpleUploadedFile("bao-cao.xlsx", samples.xlsx())
    assert check_upload(upload.name, upload) == "xlsx"
    assert upload.tell() == 0
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(samples.xlsx())
    assert check_upload("bao-cao.xlsx", path) == "xlsx"


def _docx_with_padding(size: int) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(samples.docx_with_table())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/padding.bin", b"\0" * size)
    return out.getvalue()


def test_a_docx_that_unpacks_too_large_is_refused_from_its_directory(settings, monkeypatch):
    settings.DOCUMENT_MAX_UNPACKED_BYTES = 2 * MiB
    bomb = _docx_with_padding(16 * MiB)
    assert len(bomb) < 100 * 1024  # zeros pack a thousand to one
    inflated = []
    original = zipfile.ZipExtFile.read

    def spy(self, n=-1):
        inflated.append(self.name)
        return original(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    with pytest.raises(UploadRejected) as caught:
        check_upload("bom.docx", bomb)
    assert caught.value.code == "unpacks_too_large"
    assert str(caught.value) == "bom.docx: the file unpacks to more than 2 MB"
    assert "word/media/padding.bin" not in inflated
    result = extract_text(bomb, "docx")
    assert result.flags == ["too_large"]
    assert result.text == ""
    assert "word/media/padding.bin" not in inflated


def test_a_password_protected_office_file_is_refused_with_its_reason():
    encrypted = samples.compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x01" * 64}
    )
    assert sniff(encrypted) is None
    with pytest.raises(UploadRejected) as caught:
        check_upload("luong.xlsx", encrypted)
    assert caught.value.code == "password"
    assert "luong.xlsx: the file is protected by a password" in str(caught.value)


def test_a_broken_image_or_office_file_is_refused():
    with pytest.raises(UploadRejected) as caught:
        check_upload("anh.png", samples.text_image()[:40])
    assert caught.value.code == "damaged"
    with pytest.raises(UploadRejected) as caught:
        check_upload("x.docx", samples.docx_with_table()[:3000])
    assert caught.value.code == "damaged"


def test_an_image_too_large_in_pixels_is_refused(settings):
    settings.DOCUMENT_MAX_IMAGE_PIXELS = 1000
    with pytest.raises(UploadRejected, match=r"too large \(40 × 30 pixels\)"):
        check_upload("anh.jpg", _image("JPEG"))


# ---- text: PDF ------------------------------------------------------------------------------


def test_pdf_text_keeps_vietnamese_diacritics():
    result = extract_text(samples.text_pdf())
    assert result.flags == []
    assert result.pages == 1
    assert not result.needs_ocr
    assert samples.HEADING in result.text
    for line in samples.LINES:
        assert line in result.text
    assert unicodedata.is_normalized("NFC", result.text)


def test_pdf_pages_are_separated_by_form_feeds():
    result = extract_text(samples.text_pdf(pages=3), "pdf")
    assert result.pages == 3
    parts = result.text.split("\f")
    assert [p.splitlines()[-1] for p in parts] == ["Trang 1", "Trang 2", "Trang 3"]


def test_page_n_is_always_the_nth_part_even_when_pages_are_blank():
    data = _pdf_of(samples.image_only_pdf(), samples.text_pdf(), samples.image_only_pdf())
    result = extract_text(data, "pdf")
    assert result.pages == 3
    blank, page, last = result.text.split("\f")
    assert (blank, last) == ("", "")
    assert page.startswith(samples.HEADING)


def test_a_scanned_pdf_needs_ocr():
    result = extract_text(samples.image_only_pdf(), "pdf")
    assert result == Extraction(text="", pages=1, needs_ocr=True, flags=[])


def test_a_pdf_with_one_scanned_page_in_four_needs_ocr_and_one_in_five_does_not():
    text, scan = samples.text_pdf(), samples.image_only_pdf()
    assert extract_text(_pdf_of(text, text, text, scan), "pdf").needs_ocr
    assert not extract_text(_pdf_of(text, text, text, text, scan), "pdf").needs_ocr


def test_an_encrypted_pdf_is_flagged_not_raised():
    result = extract_text(_encrypted_pdf("mật-khẩu"), "pdf")
    assert result.flags == ["encrypted"]
    assert result.text == ""
    assert not result.needs_ocr


def test_a_pdf_with_permissions_only_is_read():
    result = extract_text(_encrypted_pdf(""), "pdf")
    assert result.flags == ["restricted"]
    assert samples.LINES[0] in result.text


@pytest.mark.parametrize(
    "data",
    [
        samples.text_pdf()[:5000],
        b"%PDF-1.7\n" + os.urandom(3000),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n%%EOF",
        b"%PDF-",
    ],
    ids=["truncated", "garbage", "no-pages", "header-only"],
)
def test_a_broken_pdf_is_flagged_malformed(data):
    result = extract_text(data, "pdf")
    assert "malformed" in result.flags
    assert isinstance(result.text, str)


# ---- text: Word, Excel, images --------------------------------------------------------------


def test_docx_text_has_paragraphs_and_table_cells_in_order():
    result = extract_text(samples.docx_with_table(), "docx")
    assert result.flags == []
    lines = result.text.splitlines()
    assert lines[:2] == [samples.HEADING, samples.LINES[0]]
    assert "Họ và tên\tChức vụ" in lines
    assert "Nguyễn Thị Hồng Nhung\tChủ tịch Công đoàn" in lines
    assert lines.count("Tổng cộng: 01 người") == 1  # the merged cell, once
    assert lines[-1] == samples.LINES[1]
    assert result.pages == 1  # as docProps/app.xml records it


def test_docx_text_comes_out_nfc():
    decomposed = unicodedata.normalize("NFD", "Công đoàn cơ sở Trường THCS Bản Vược")
    import docx

    document = docx.Document()
    document.add_paragraph(decomposed)
    out = io.BytesIO()
    document.save(out)
    assert extract_text(out.getvalue(), "docx").text == unicodedata.normalize("NFC", decomposed)


def test_docx_runs_in_legacy_fonts_are_converted_by_their_font():
    data = samples.docx_with_table(
        legacy_font_runs=[
            (".VnTime", from_unicode("Công đoàn cơ sở", "tcvn3")),
            (".VnTimeH", from_unicode("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "tcvn3")),
            ("VNI-Times", from_unicode("Liên đoàn Lao động", "vni")),
            (".VnTime", "Kết luận"),  # Unicode typed over an old template: left alone
        ]
    )
    result = extract_text(data, "docx")
    assert result.text.splitlines()[-4:] == [
        "Công đoàn cơ sở",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Liên đoàn Lao động",
        "Kết luận",
    ]
    assert sorted(result.flags) == ["converted_from_tcvn3", "converted_from_vni"]


def test_docx_with_legacy_text_in_an_ordinary_font_is_detected():
    import docx

    document = docx.Document()
    for line in ("Liên đoàn Lao động tỉnh Lào Cai", "Kế hoạch tổ chức Đại hội Công đoàn cơ sở"):
        document.add_paragraph(from_unicode(line, "tcvn3"))
    out = io.BytesIO()
    document.save(out)
    result = extract_text(out.getvalue(), "docx")
    assert (
        result.text == "Liên đoàn Lao động tỉnh Lào Cai\nKế hoạch tổ chức Đại hội Công đoàn cơ sở"
    )
    assert result.flags == ["converted_from_tcvn3"]


def test_xlsx_text_has_every_cell_row_by_row():
    result = extract_text(samples.xlsx(), "xlsx")
    assert result.flags == []
    assert result.pages == 1
    assert result.text.splitlines() == [
        "Danh sách",
        "STT\tHọ và tên\tĐơn vị\tSố tiền",
        "1\tTrần Văn Đức\tCông đoàn cơ sở Khu du lịch Fansipan\t150000",
        "2\tLê Thị Ánh\tLiên đoàn Lao động huyện Sa Pa\t2.5",
    ]


def test_xlsx_with_vni_text_is_converted():
    rows = [
        [from_unicode("Họ và tên", "vni"), from_unicode("Đơn vị", "vni")],
        [from_unicode("Nguyễn Văn Hùng", "vni"), from_unicode("Công đoàn cơ sở", "vni")],
    ]
    result = extract_text(samples.xlsx(rows, title="Sheet1"), "xlsx")
    assert result.text == "Họ và tên\tĐơn vị\nNguyễn Văn Hùng\tCông đoàn cơ sở"
    assert result.flags == ["converted_from_vni"]


@pytest.mark.parametrize(
    ("data", "pages"),
    [
        (samples.text_image(), 1),
        (_image("JPEG"), 1),
        (_image("TIFF", frames=3), 3),
    ],
    ids=["png", "jpeg", "tiff"],
)
def test_images_need_ocr(data, pages):
    assert extract_text(data) == Extraction(text="", pages=pages, needs_ocr=True, flags=[])


def test_a_broken_image_is_flagged():
    assert extract_text(samples.text_image()[:100], "png").flags == ["malformed"]


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_broken_office_file_is_flagged(kind):
    data = samples.docx_with_table() if kind == "docx" else samples.xlsx()
    assert extract_text(data[: len(data) // 2], kind).flags == ["malformed"]
    assert extract_text(b"PK\x03\x04" + os.urandom(500), kind).flags == ["malformed"]


# ---- text: old binary Word and Excel --------------------------------------------------------


def test_doc_is_read_through_its_piece_table(no_converters):
    text = 'Số: 05/KH-LĐLĐ\nKế hoạch\x07tổ chức\x07\x07Xem \x13 HYPERLINK "x" \x14tại đây\x15.'
    result = extract_text(samples.word97_doc(text), "doc")
    assert result.text == "Số: 05/KH-LĐLĐ\nKế hoạch\ttổ chức\nXem tại đây."
    assert result.flags == ["doc_without_converter"]
    assert not result.needs_ocr


def test_doc_with_tcvn3_text_is_converted(no_converters):
    text = "Liên đoàn Lao động tỉnh Lào Cai\nCông đoàn cơ sở Trường THCS Bản Vược"
    data = samples.word97_doc(from_unicode(text, "tcvn3"), eight_bit=True)
    result = extract_text(data, "doc")
    assert result.text == text
    assert result.flags == ["doc_without_converter", "converted_from_tcvn3"]


def test_an_encrypted_doc_is_flagged(no_converters):
    result = extract_text(samples.word97_doc("bí mật", encrypted=True), "doc")
    assert result == Extraction(flags=["encrypted"])


def test_doc_goes_through_antiword_when_it_is_installed(tmp_path, monkeypatch):
    fake = tmp_path / "antiword"
    # What antiword prints for .VnTime text: "C«ng ®oµn c¬ së" in UTF-8.
    fake.write_text(
        "#!/bin/sh\nprintf 'C\\302\\253ng \\302\\256o\\302\\265n c\\302\\254 s\\303\\253\\n'\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(
        files.shutil, "which", lambda program: str(fake) if program == "antiword" else None
    )
    result = extract_text(samples.word97_doc("không dùng"), "doc")
    assert result.text == "Công đoàn cơ sở"  # the converter's TCVN3 output, converted
    assert result.flags == ["converted_from_tcvn3"]


def test_doc_falls_back_when_the_converter_fails(tmp_path, monkeypatch):
    fake = tmp_path / "catdoc"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(
        files.shutil, "which", lambda program: str(fake) if program == "catdoc" else None
    )
    result = extract_text(samples.word97_doc("Biên bản họp"), "doc")
    assert result.text == "Biên bản họp"
    assert result.flags == []


def test_a_broken_doc_is_flagged_not_raised(no_converters):
    data = samples.word97_doc("Công văn số 12")
    for broken in (data[:600], data[:4000], b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000)):
        result = extract_text(broken, "doc")
        assert "malformed" in result.flags


def test_xls_shared_strings_are_read_across_continue_records(no_converters):
    data = samples.xls_biff8(
        ["Họ và tên", "Nguyễn Văn Ánh", "Công đoàn cơ sở"], sheet="Danh sách", split_at=5
    )
    result = extract_text(data, "xls")
    assert result.text.splitlines() == [
        "Danh sách",
        "Họ và tên",
        "Nguyễn Văn Ánh",
        "Công đoàn cơ sở",
    ]
    assert result.pages == 1
    assert result.flags == ["xls_without_converter"]


# ---- extract_text in general ----------------------------------------------------------------


def test_extract_text_sniffs_when_no_kind_is_given():
    assert extract_text(b"just some text") == Extraction(flags=["unsupported"])
    with pytest.raises(ValueError, match="unknown kind"):
        extract_text(b"x", "exe")


def test_text_is_cut_at_the_limit(settings):
    settings.DOCUMENT_MAX_TEXT_CHARS = 50
    result = extract_text(samples.text_pdf(), "pdf")
    assert len(result.text) == 50
    assert result.flags == ["truncated"]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_kind_raises_on_random_or_cut_bytes(kind):
    real = {
        "pdf": samples.text_pdf,
        "docx": samples.docx_with_table,
        "xlsx": samples.xlsx,
        "doc": lambda: samples.word97_doc("Công văn"),
        "xls": lambda: samples.xls_biff8(["Công đoàn"]),
        "png": samples.text_image,
        "jpeg": lambda: _image("JPEG"),
        "tiff": lambda: _image("TIFF"),
    }[kind]()
    for data in (b"", os.urandom(1000), real[: len(real) // 3], real[:-100], real[::-1]):
        result = extract_text(data, kind)
        assert isinstance(result, Extraction)


# ---- legacy Vietnamese encodings ------------------------------------------------------------

SENTENCES = [
    "Liên đoàn Lao động tỉnh Lào Cai",
    "Công đoàn cơ sở",
    "Kế hoạch tổ chức Đại hội Công đoàn cơ sở nhiệm kỳ 2023 - 2028",
    "Người lao động được bảo vệ quyền và lợi ích hợp pháp, chính đáng.",
    "Độc lập - Tự do - Hạnh phúc",
    "thuở ấy khuỷu tay, khuya khoắt, nguệch ngoạc, quyển truyện",
]


def test_the_tables_hold_all_134_letters():
    letters = files._vietnamese_letters()
    assert len(set(letters)) == 134
    assert set(files.UNICODE_TO_VNI) == set(letters)
    tcvn3_letters = set(files.TCVN3_TO_UNICODE.values())
    assert {letter for letter in letters if letter.islower()} <= tcvn3_letters
    assert {"Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"} <= tcvn3_letters
    assert len(files.TCVN3_TO_UNICODE) == 67 + 7
    assert all(len(code) == 1 and 0xA1 <= ord(code) <= 0xFE for code in files.TCVN3_TO_UNICODE)


def test_well_known_legacy_strings_convert():
    # As such documents show in a Unicode font.
    assert to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3") == (
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("§éc lËp - Tù do - H¹nh phóc", "tcvn3") == "Độc lập - Tự do - Hạnh phúc"
    assert to_unicode("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam"
    )
    assert to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == "Độc lập - Tự do - Hạnh phúc"


def test_every_letter_round_trips():
    letters = files._vietnamese_letters()
    text = " ".join(letters)
    assert to_unicode(from_unicode(text, "vni"), "vni") == text
    lower = " ".join(letter for letter in letters if letter.islower())
    assert to_unicode(from_unicode(lower, "tcvn3"), "tcvn3") == lower


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentences_round_trip_and_are_detected(sentence, encoding):
    legacy = from_unicode(sentence, encoding)
    assert legacy != sentence
    assert all(ord(c) <= 0xFF for c in legacy)
    assert detect_legacy(legacy) == encoding
    assert to_unicode(legacy, encoding) == sentence


def test_tcvn3_capitals_of_the_h_fonts_are_restored():
    heading = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nNGUYỄN VĂN LÊ"
    assert to_unicode(from_unicode(heading, "tcvn3"), "tcvn3") == heading
    # ... but a word with one capital stays as it was written in an ordinary font.
    assert to_unicode(from_unicode("Số: 05/KH-LĐLĐ, Vũ Thị Ánh", "tcvn3"), "tcvn3") == (
        "Số: 05/KH-LĐLĐ, Vũ Thị ánh"  # Á has no TCVN3 code of its own: only an H font has it
    )


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Điều lệ Công đoàn Việt Nam; Ban Chấp hành Liên đoàn Lao động tỉnh Lào Cai.",
        "Tôi là công nhân. Bà có nhà ở Hà Nội. Chào các anh. Cô giáo. Hòa.",
        unicodedata.normalize("NFD", "Công đoàn cơ sở Trường THCS Bản Vược"),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "The union committee approved the plan on 5 March; attendance 95 %.",
        "Particles of 10 µm and 5 µm; price £20 or €30; © 2020 ACME® — naïve café résumé",
        "Où est la bibliothèque ? Où sont-ils allés ? L'été dernier, déjà très chaud, où.",
        "Größe, Müller, schön, für, Straße, Übergröße, Ärger, Öl, heiß",
        "El niño y la niña, Señor Muñoz, año, mañana, ¿qué pasó? ¡Olé!",
        "Ação, coração, não, pão, irmã, São Paulo, você, avô, avó",
        "José Martí, Zoë, Chloé, Renée, Björk, Søren Kierkegaard, Ångström",
        "",
    ],
)
def test_detection_leaves_unicode_and_other_languages_alone(text):
    assert detect_legacy(text) is None
    assert files._repair_legacy(text) == (text, None)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_a_document_mixing_unicode_and_legacy_lines_comes_out_unicode(encoding):
    unicode_line = "Căn cứ Điều lệ Công đoàn Việt Nam; Ban Chấp hành ban hành kế hoạch."
    plain_line = "Tôi là công nhân"  # Unicode, but with Latin-1 letters only
    legacy_line = from_unicode("Công đoàn cơ sở Trường THCS Bản Vược", encoding)
    text = "\n".join([unicode_line, legacy_line, plain_line])
    assert files._repair_legacy(text) == (
        "\n".join([unicode_line, "Công đoàn cơ sở Trường THCS Bản Vược", plain_line]),
        encoding,
    )


def test_unknown_legacy_encoding_is_an_error():
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        to_unicode("x", "viscii")
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        from_unicode("x", "viqr")


def test_detection_is_quick_on_a_long_text():
    text = from_unicode(" ".join(SENTENCES), "tcvn3") * 2000  # about 400 000 characters
    started = time.perf_counter()
    assert detect_legacy(text) == "tcvn3"
    assert time.perf_counter() - started < 5
