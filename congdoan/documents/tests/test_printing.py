"""Printable documents, registers and the handling slip, read back with the real libraries.

No database: the renderers take plain dataclasses. What is checked is what a clerk holding
the paper would notice: the ND30 header and wording, A4 and its margins, Vietnamese letters,
headings repeated on every page of a register, dates as dd/mm/yyyy.
"""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from congdoan.documents.printing import (
    INCOMING_HEADINGS,
    OUTGOING_HEADINGS,
    HandlingSlip,
    IncomingRow,
    OutgoingRow,
    PrintableDocument,
    date_words,
    handling_slip_pdf,
    incoming_register_pdf,
    incoming_register_xlsx,
    number_line,
    outgoing_register_pdf,
    outgoing_register_xlsx,
    place_and_date,
    render_docx,
    render_pdf,
)

MM_PER_PT = 25.4 / 72
LAO_CAI = "Liên đoàn Lao động tỉnh Lào Cai"
BODY = (
    "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII;\n\n"
    "Ban Thường vụ Liên đoàn Lao động tỉnh hướng dẫn các công đoàn cơ sở tổ chức đại hội "
    "nhiệm kỳ 2026 - 2031 như sau.\n\n"
    "1. Đại hội được tổ chức trước ngày 30/6/2026."
)


def guide(**changes) -> PrintableDocument:
    """A Hướng dẫn of the provincial federation, as the issue describes it."""
    doc = PrintableDocument(
        issuer_parent="Tổng Liên đoàn Lao động Việt Nam",
        issuer_name=LAO_CAI,
        number_symbol="704/HD-TLĐ",
        place="Lào Cai",
        date=date(2026, 3, 5),
        type_name="Hướng dẫn",
        subject="Tổ chức đại hội công đoàn cơ sở nhiệm kỳ 2026 - 2031",
        body=BODY,
        recipients=["Như trên;", "Lưu: VT, VP."],
        signer_authority="TM. Ban Thường vụ",
        signer_position="Chủ tịch",
        signer_name="Nguyễn Văn Tâm",
    )
    return dataclasses.replace(doc, **changes)


def letter(**changes) -> PrintableDocument:
    """A công văn: no type name, its subject printed as "V/v ..." under the number."""
    return guide(
        is_cong_van=True,
        type_name="",
        number_symbol="123/LĐLĐ-VP",
        subject="tổ chức Tháng Công nhân năm 2026",
        **changes,
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def flat(text: str) -> str:
    """Whitespace (line breaks in table cells, non-breaking spaces) as single spaces."""
    return " ".join(nfc(text).split())


def pdf_pages(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [nfc(page.extract_text()) for page in reader.pages]


def cell_text(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def paragraph_with(container, text: str):
    matches = [p for p in container.paragraphs if p.text == text]
    assert matches, (text, [p.text for p in container.paragraphs])
    return matches[0]


def all_bold(paragraph) -> bool:
    return all(run.bold for run in paragraph.runs if run.text)


# --- wording rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 10, 1), "ngày 01 tháng 10 năm 2026"),
        (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    ],
)
def test_date_words_zero_pad_days_under_10_and_months_1_and_2(day, words):
    assert date_words(day) == words
    assert place_and_date("Lào Cai", day) == f"Lào Cai, {words}"


def test_number_line_issued_and_draft():
    assert number_line("704/HD-TLĐ") == "Số: 704/HD-TLĐ"
    assert number_line("Số: 05/KH-LĐLĐ") == "Số: 05/KH-LĐLĐ"  # not "Số: Số: ..."
    draft = number_line("/HD-LĐLĐ")
    assert draft.startswith("Số:") and draft.endswith(" /HD-LĐLĐ")
    assert len(draft) - len("Số:/HD-LĐLĐ") >= 4  # room to write the number by hand


def test_draft_date_is_left_blank():
    line = place_and_date("Lào Cai", None)
    assert line.startswith("Lào Cai, ngày ") and "tháng" in line and "năm" in line
    assert not any(ch.isdigit() for ch in line)


def test_unknown_markers_are_refused():
    with pytest.raises(ValueError, match="urgency"):
        render_docx(guide(urgency="GẤP"))
    with pytest.raises(ValueError, match="confidentiality"):
        render_pdf(guide(confidentiality="RIÊNG"))


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_page_is_a4_with_nd30_margins_and_times_new_roman():
    document = Document(io.BytesIO(render_docx(guide())))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= section.top_margin.mm <= 25
    assert 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35
    assert 15 <= section.right_margin.mm <= 20
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    rfonts = document.styles["Normal"].element.rPr.rFonts
    assert rfonts.get(qn("w:hAnsi")) == "Times New Roman"  # the slot Vietnamese letters use
    body = paragraph_with(document, nfc(BODY.split("\n\n")[1]))
    sizes = {run.font.size.pt for run in body.runs}
    assert sizes and all(13 <= size <= 14 for size in sizes)


def test_docx_header_is_a_borderless_two_column_table():
    document = Document(io.BytesIO(render_docx(guide())))
    header = document.tables[0]
    assert len(header.columns) == 2 and len(header.rows) == 1
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}

    left, right = header.rows[0].cells
    assert cell_text(left)[:3] == [
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI",
        "Số: 704/HD-TLĐ",
    ]
    assert not all_bold(paragraph_with(left, "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"))
    assert all_bold(paragraph_with(left, "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI"))
    # The short rule under the issuer: an empty paragraph with a bottom border.
    rules = [p for p in left.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
    assert len(rules) == 1 and rules[0].text == ""

    assert cell_text(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 05 tháng 3 năm 2026",
    ]
    assert all_bold(paragraph_with(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    assert all_bold(paragraph_with(right, "Độc lập - Tự do - Hạnh phúc"))
    dated = paragraph_with(right, "Lào Cai, ngày 05 tháng 3 năm 2026")
    assert all(run.italic for run in dated.runs)


def test_docx_type_name_subject_body_recipients_and_signature():
    document = Document(io.BytesIO(render_docx(guide(copies_note="PL.(30b)"))))
    heading = paragraph_with(document, "HƯỚNG DẪN")
    assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER and all_bold(heading)
    subject = paragraph_with(document, "Tổ chức đại hội công đoàn cơ sở nhiệm kỳ 2026 - 2031")
    assert subject.alignment == WD_ALIGN_PARAGRAPH.CENTER and all_bold(subject)
    texts = [p.text for p in document.paragraphs]
    assert texts.index("HƯỚNG DẪN") + 1 == texts.index(subject.text)

    first = paragraph_with(document, "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII;")
    assert first.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 10 <= first.paragraph_format.first_line_indent.mm <= 12.7
    assert "1. Đại hội được tổ chức trước ngày 30/6/2026." in texts

    closing = document.tables[-1]
    recipients, signature = closing.rows[0].cells
    assert cell_text(recipients) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, VP.", "PL.(30b)"]
    to = paragraph_with(recipients, "Nơi nhận:")
    assert all(run.bold and run.italic for run in to.runs)
    assert max(run.font.size.pt for p in recipients.paragraphs for run in p.runs) <= 12
    assert cell_text(signature) == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Nguyễn Văn Tâm"]
    assert all_bold(paragraph_with(signature, "Nguyễn Văn Tâm"))


def test_docx_cong_van_has_vv_under_the_number_and_no_type_heading():
    document = Document(io.BytesIO(render_docx(letter())))
    left = document.tables[0].rows[0].cells[0]
    lines = cell_text(left)
    assert lines[lines.index("Số: 123/LĐLĐ-VP") + 1] == "V/v tổ chức Tháng Công nhân năm 2026"
    texts = [p.text for p in document.paragraphs]
    assert "HƯỚNG DẪN" not in texts
    assert not any("Tháng Công nhân" in text for text in texts)  # only in the header


def test_docx_draft_keeps_blanks_for_number_and_date():
    document = Document(io.BytesIO(render_docx(guide(number_symbol="/HD-LĐLĐ", date=None))))
    left, right = document.tables[0].rows[0].cells
    number = next(t for t in cell_text(left) if t.startswith("Số:"))
    assert number.endswith("/HD-LĐLĐ") and "  " in number
    assert cell_text(right)[-1].startswith("Lào Cai, ngày ")
    assert "2026" not in cell_text(right)[-1]


def test_docx_secrecy_and_urgency_stamps_are_boxed_under_the_number():
    document = Document(io.BytesIO(render_docx(guide(urgency="hoả tốc", confidentiality="Mật"))))
    left = document.tables[0].rows[0].cells[0]
    lines = cell_text(left)
    assert lines[lines.index("Số: 704/HD-TLĐ") + 1 :] == ["MẬT", "HỎA TỐC"]
    stamp = paragraph_with(left, "HỎA TỐC")
    sides = {edge.tag for edge in stamp._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}")}
    assert sides == {qn(f"w:{side}") for side in ("top", "left", "bottom", "right")}


def test_docx_prints_decomposed_input_as_composed_letters():
    decomposed = unicodedata.normalize("NFD", LAO_CAI)
    document = Document(io.BytesIO(render_docx(guide(issuer_name=decomposed))))
    left = document.tables[0].rows[0].cells[0]
    assert "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI" in [p.text for p in left.paragraphs]


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_is_a4_with_the_nd30_header_and_embedded_font():
    reader, pages = pdf_pages(render_pdf(guide()))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width) == 595 and round(height) == 842
    text = pages[0]
    lines = [line.strip() for line in text.splitlines()]
    for expected in (
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI",
        "Số: 704/HD-TLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 05 tháng 3 năm 2026",
        "HƯỚNG DẪN",
        "Nơi nhận:",
        "- Như trên;",
        "TM. BAN THƯỜNG VỤ",
        "Nguyễn Văn Tâm",
    ):
        assert expected in lines, (expected, lines)
    assert "Ban Thường vụ Liên đoàn Lao động tỉnh hướng dẫn" in flat(text)
    fonts = reader.pages[0]["/Resources"]["/Font"].get_object()
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert names and all("SourceSansPro" in name for name in names), names
    assert reader.metadata.title == "Tổ chức đại hội công đoàn cơ sở nhiệm kỳ 2026 - 2031"


def test_pdf_text_lies_within_the_nd30_margins():
    reader = PdfReader(io.BytesIO(render_pdf(guide(urgency="Khẩn"))))
    positions: list[tuple[float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.append((x * MM_PER_PT, y * MM_PER_PT))

    reader.pages[0].extract_text(visitor_text=visit)
    assert positions
    leftmost = min(x for x, _ in positions)
    highest = max(y for _, y in positions)
    lowest = min(y for _, y in positions)
    assert 30 - 0.01 <= leftmost <= 35  # body paragraphs start at the left margin
    assert 297 - 30 <= highest <= 297 - 20  # first baseline just under the top margin
    assert lowest >= 20


def test_pdf_long_document_numbers_its_later_pages_at_the_top():
    body = "\n\n".join(
        f"{i}. Nội dung hướng dẫn thứ {i} về tổ chức đại hội. " * 6 for i in range(40)
    )
    _reader, pages = pdf_pages(render_pdf(guide(body=body)))
    assert len(pages) >= 3
    assert pages[0].splitlines()[0].strip() != "1"
    for number, text in enumerate(pages[1:], start=2):
        assert str(number) in [line.strip() for line in text.splitlines()[:2]], text[:80]
    assert "Nguyễn Văn Tâm" in pages[-1] and "Nơi nhận:" in pages[-1]


def test_pdf_cong_van_shows_vv_and_no_type_heading():
    _reader, pages = pdf_pages(render_pdf(letter()))
    lines = [line.strip() for line in pages[0].splitlines()]
    assert "Số: 123/LĐLĐ-VP" in lines
    number_and_subject = flat(pages[0]).split("Số: 123/LĐLĐ-VP ", 1)[1]
    assert number_and_subject.startswith("V/v tổ chức Tháng Công nhân năm 2026")
    assert "HƯỚNG DẪN" not in lines


def test_pdf_prints_markup_characters_of_the_text_literally():
    body = "Mức lương < 5 triệu đồng & phụ cấp <b>không</b> tính."
    _reader, pages = pdf_pages(render_pdf(guide(body=body, signer_name="Lê Thị <Hà>")))
    assert body in flat(pages[0])
    assert "Lê Thị <Hà>" in pages[0]


def test_pdf_stamps_and_draft_number():
    doc = guide(
        number_symbol="/HD-LĐLĐ", date=None, urgency="Thượng khẩn", confidentiality="Tối mật"
    )
    _reader, pages = pdf_pages(render_pdf(doc))
    lines = [line.strip() for line in pages[0].splitlines()]
    assert "TỐI MẬT" in lines and "THƯỢNG KHẨN" in lines
    assert any(line.startswith("Số:") and line.endswith("/HD-LĐLĐ") for line in lines)
    assert "704/HD-TLĐ" not in pages[0]


# --- registers -----------------------------------------------------------------------------------

START, END = date(2026, 1, 1), date(2026, 12, 31)


def outgoing_rows(count: int) -> Iterator[OutgoingRow]:
    for i in range(1, count + 1):
        yield OutgoingRow(
            number_symbol=f"{i:02d}/HD-LĐLĐ",
            date=date(2026, 1 + i % 12, 1 + i % 28),
            type_and_subject=f"Hướng dẫn số {i} về tổ chức đại hội công đoàn cơ sở",
            signer="Nguyễn Văn Tâm",
            recipients="Các công đoàn cơ sở trực thuộc",
            file_unit="Văn phòng",
            copies=3,
            sent_on=date(2026, 2, 1) if i % 2 else None,
        )


def incoming_rows(count: int) -> Iterator[IncomingRow]:
    symbols = ("704/HD-TLĐ", "03-ĐA/TU", "30/2020/NĐ-CP")
    for i in range(1, count + 1):
        yield IncomingRow(
            received_on=date(2026, 3, 1 + i % 28),
            incoming_number=i,
            issuer="Tỉnh ủy Lào Cai" if i % 2 else "Tổng Liên đoàn Lao động Việt Nam",
            number_symbol=symbols[i % 3],
            date=date(2026, 2, 1 + i % 28) if i % 5 else None,
            type_and_subject=f"Đề án số {i} về phát triển đoàn viên",
            assignee="Ban Tổ chức",
            passed_on=date(2026, 3, 2),
        )


def test_outgoing_register_xlsx_streams_rows_with_dated_cells():
    rows = list(outgoing_rows(250))
    rows[0].type_and_subject = '=HYPERLINK("http://x")'  # text from a user, not a formula
    rows[1].note = "ghi chú\x07 có ký tự điều khiển"
    data = outgoing_register_xlsx(LAO_CAI, START, END, iter(rows))
    ws = load_workbook(io.BytesIO(data)).active

    assert ws["A1"].value == "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI"
    assert ws["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI" and ws["A2"].font.b
    assert ws["A3"].value == "Từ ngày 01/01/2026 đến ngày 31/12/2026"
    assert "A2:J2" in {str(r) for r in ws.merged_cells.ranges}
    heading = [c.value for c in ws[5]]
    assert heading == list(OUTGOING_HEADINGS)
    assert all(c.font.b for c in ws[5])
    assert [c.value for c in ws[6]] == [f"({i})" for i in range(1, 11)]
    assert ws.freeze_panes == "A7"
    assert ws.print_title_rows == "$5:$6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["G"].width > 0

    assert ws.max_row - 6 == 250
    first = [c.value for c in ws[7]]
    assert first[0] == "01/HD-LĐLĐ"
    assert first[1] == datetime(2026, 2, 2) and ws["B7"].number_format == "dd/mm/yyyy"
    assert ws["H7"].value == datetime(2026, 2, 1) and ws["H7"].number_format == "dd/mm/yyyy"
    assert ws["H8"].value is None  # not sent yet
    assert first[6] == 3
    assert ws["C7"].data_type == "s" and ws["C7"].value == '=HYPERLINK("http://x")'
    assert ws["J8"].value == "ghi chú có ký tự điều khiển"


def test_incoming_register_xlsx_headings_and_rows():
    data = incoming_register_xlsx(LAO_CAI, START, END, incoming_rows(40))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert [c.value for c in ws[5]] == list(INCOMING_HEADINGS)
    assert ws.max_row - 6 == 40
    row = [c.value for c in ws[7]]
    assert row[0] == datetime(2026, 3, 2) and ws["A7"].number_format == "dd/mm/yyyy"
    assert row[1] == 1 and row[3] == "03-ĐA/TU"  # the symbol as written
    assert ws["E11"].value is None  # document 5 has no date
    assert {ws[f"D{r}"].value for r in range(7, 10)} == {"704/HD-TLĐ", "03-ĐA/TU", "30/2020/NĐ-CP"}


def test_outgoing_register_pdf_repeats_the_heading_on_every_page():
    reader, pages = pdf_pages(outgoing_register_pdf(LAO_CAI, START, END, outgoing_rows(90)))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)  # landscape A4
    assert len(pages) >= 3
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in pages[0]
    assert "Từ ngày 01/01/2026 đến ngày 31/12/2026" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "Số, ký hiệu văn bản" in flat(text), number
        assert "Tên loại và trích yếu nội dung văn bản" in flat(text), number
        assert f"Trang {number}" in text
    everything = flat(" ".join(pages))
    for i in range(1, 91):  # every row printed once, none lost at a page break
        assert everything.count(f"{i:02d}/HD-LĐLĐ") == 1, i
    assert "02/02/2026" in pages[0]


def test_incoming_register_pdf_headings_and_party_style_symbols():
    _reader, pages = pdf_pages(incoming_register_pdf(LAO_CAI, START, END, incoming_rows(70)))
    assert len(pages) >= 2
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in pages[0]
    for text in pages:
        for heading in ("Ngày đến", "Số đến", "Tác giả", "Tên loại và trích yếu nội dung"):
            assert heading in flat(text)
    everything = flat(" ".join(pages))
    assert "03-ĐA/TU" in everything and "30/2020/NĐ-CP" in everything
    assert "Tổng Liên đoàn Lao động Việt Nam" in everything


def test_register_pdf_with_no_rows_and_with_a_cell_longer_than_a_page():
    _reader, pages = pdf_pages(outgoing_register_pdf(LAO_CAI, START, END, []))
    assert len(pages) == 1 and "Số, ký hiệu văn bản" in flat(pages[0])
    huge = next(outgoing_rows(1))
    huge.type_and_subject = "Trích yếu rất dài của văn bản. " * 400
    _reader, pages = pdf_pages(outgoing_register_pdf(LAO_CAI, START, END, [huge]))
    assert "01/HD-LĐLĐ" in pages[0] and "…" in pages[0]


# --- handling slip -------------------------------------------------------------------------------


def test_handling_slip_shows_the_document_and_the_instruction():
    slip = HandlingSlip(
        unit_name=LAO_CAI,
        incoming_number=123,
        received_on=date(2026, 3, 6),
        issuer="Tổng Liên đoàn Lao động Việt Nam",
        number_symbol="704/HD-TLĐ",
        document_date=date(2026, 3, 5),
        subject="Hướng dẫn tổ chức đại hội công đoàn cơ sở",
        leader_instruction="Giao Ban Tổ chức nghiên cứu, tham mưu triển khai.",
        instruction_by="Nguyễn Văn Tâm",
        instruction_on=date(2026, 3, 6),
        assignee="Ban Tổ chức",
        deadline=date(2026, 3, 20),
        history=[
            (datetime(2026, 3, 6, 9, 30), "Văn thư", "Vào sổ văn bản đến"),
            (datetime(2026, 3, 6, 10, 15), "Nguyễn Văn Tâm", "Cho ý kiến chỉ đạo"),
        ],
    )
    reader, pages = pdf_pages(handling_slip_pdf(slip))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)
    text = flat(" ".join(pages))
    for expected in (
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI",
        "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN",
        "Số đến: 123",
        "704/HD-TLĐ",
        "05/03/2026",
        "Giao Ban Tổ chức nghiên cứu, tham mưu triển khai.",
        "Ngày 06 tháng 3 năm 2026",
        "Thời hạn giải quyết: 20/03/2026",
        "06/03/2026 10:15 Nguyễn Văn Tâm Cho ý kiến chỉ đạo",
    ):
        assert expected in text, expected
