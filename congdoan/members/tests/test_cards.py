"""Union cards: a real A4 PDF with Vietnamese names and a QR code pointing at the public check."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils.translation import gettext as _
from pypdf import PdfReader

from congdoan.members import services
from congdoan.members.cards import PER_PAGE, card_sheet
from congdoan.members.models import Member, Status

D = dt.date


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(unit, name: str, **extra) -> Member:
    data = {"full_name": name, "birth_date": D(1988, 8, 8), "sex": "F", "joined_on": D(2012, 1, 1)}
    data.update(extra)
    return services.create_member(None, unit, data)


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def test_card_sheet_is_a4_with_vietnamese_text(tree):
    members = [add(tree.lc_g1, f"Nguyễn Thị Hồng Nhung {chr(65 + i)}") for i in range(PER_PAGE + 1)]
    members = list(Member.objects.select_related("unit").order_by("id"))
    data = card_sheet(members, lambda m: f"https://example.org/the/{m.card_token}/")
    assert data.startswith(b"%PDF")
    reader, text = pdf_text(data)
    assert len(reader.pages) == 2
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width) == 595 and round(height) == 842  # A4 in points
    assert "CÔNG ĐOÀN VIỆT NAM" in text and "THẺ ĐOÀN VIÊN" in text
    assert "Nguyễn Thị Hồng Nhung A" in text
    assert "08/08/1988" in text and "01/01/2012" in text
    assert "Công đoàn cơ sở Trường THCS Bản Vược" in text.replace("\n", " ")
    fonts = reader.pages[0]["/Resources"]["/Font"].get_object()
    names = [str(font.get_object()["/BaseFont"]) for font in fonts.values()]
    assert any("SourceSansPro" in name for name in names), names  # embedded, not a base font


def test_cards_page_prints_the_ticked_members(tree, users):
    an = add(tree.lc_g1, "Nguyễn Văn An", sex="M", card_number="LC-0001")
    binh = add(tree.lc_g1, "Trần Thị Bình")
    other = add(tree.lc_g2, "Hoàng Văn Dũng", sex="M")  # outside the chair's union
    client = login(users.chair)
    response = client.post("/members/cards/", {"ids": [an.pk, binh.pk, other.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader, text = pdf_text(response.content)
    assert len(reader.pages) == 1
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text and "LC-0001" in text
    assert "Hoàng Văn Dũng" not in text


def test_cards_refused_when_nothing_printable(tree, users):
    other = add(tree.lc_g2, "Hoàng Văn Dũng", sex="M")
    gone = add(tree.lc_g1, "Lê Thị Đào")
    services.end_membership(None, gone, Status.DECEASED, day=D(2024, 1, 1))
    client = login(users.chair)
    for ids in ([], [other.pk], [gone.pk]):
        response = client.post("/members/cards/", {"ids": ids})
        assert response.status_code == 302, ids
        assert response["Location"].startswith("/members/")
    assert client.get("/members/cards/").status_code == 405


def test_cards_at_most_500(tree, users):
    client = login(users.lc_clerk)
    response = client.post("/members/cards/", {"ids": list(range(1, 502))})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert _("At most %(n)s cards can be printed at once.") % {"n": 500} in page


def test_cards_need_the_manage_right(tree, users):
    an = add(tree.lc_g1, "Nguyễn Văn An", sex="M")
    assert login(users.lc_specialist).post("/members/cards/", {"ids": [an.pk]}).status_code == 404


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools) to read the QR codes",
)
def test_qr_codes_scan_to_the_public_check(tree, users, tmp_path):
    an = add(tree.lc_g1, "Nguyễn Văn An", sex="M")
    binh = add(tree.lc_g1, "Trần Thị Bình")
    client = login(users.chair)
    response = client.post("/members/cards/", {"ids": [an.pk, binh.pk]})
    (tmp_path / "cards.pdf").write_bytes(response.content)
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-r", "200", "-png", str(tmp_path / "cards.pdf"), str(tmp_path / "page")],  # noqa: S607
        check=True,
    )
    scanned = subprocess.run(  # noqa: S603
        ["zbarimg", "-q", "--raw", *map(str, sorted(tmp_path.glob("page*.png")))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert sorted(scanned) == sorted(f"http://testserver/the/{m.card_token}/" for m in (an, binh))
    html = Client().get(scanned[0].removeprefix("http://testserver")).content.decode()
    assert "Nguyễn Văn An" in html or "Trần Thị Bình" in html
