"""Importing members in a real browser: a file with one bad row, then the corrected file.

The workbook is made here with openpyxl and uploaded through the page, as a clerk would.
The background tasks run inline (the immediate backend) so no worker process is needed.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from congdoan.core.cccd import make_cccd

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNION = "HTH-VC-BHXH"
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc",
           "Ngày vào Công đoàn", "Số thẻ đoàn viên"]  # fmt: skip
PEOPLE = [
    ("Phan Thị Thu Hằng", dt.date(1988, 4, 12), "Nữ", make_cccd("042", "F", 1988, 731001),
     "Kinh", "15/03/2012", "HT-E2E-001"),
    ("Trần Đình Khôi", dt.date(1979, 11, 2), "Nam", make_cccd("042", "M", 1979, 731002),
     "Kinh", "01/09/2005", "HT-E2E-002"),
    ("Lê Văn Quyết", "1991", "Nam", make_cccd("042", "M", 1991, 731003),
     "Kinh", "20/05/2015", "HT-E2E-003"),
]  # fmt: skip


def workbook(rows: list[tuple]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def immediate_tasks(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def upload(page, name: str, data: bytes) -> None:  # type: ignore[no-untyped-def]
    page.goto("/members/import/")
    page.fill("input[name=unit_code]", UNION)
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": data,
            }
        ],
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_a_file_with_one_bad_row_imports_nothing_then_the_corrected_file_imports(
    login, immediate_tasks, artifacts: Path
):
    from congdoan.members.models import Member

    before = Member.objects.count()
    # Row 3 of the sheet (the second person): a CCCD that says born 1980, the sheet says 1979.
    bad = list(PEOPLE)
    bad[1] = (*bad[1][:3], make_cccd("042", "M", 1980, 731002), *bad[1][4:])
    page = login("admin")
    upload(page, "doan-vien-bhxh.xlsx", workbook(bad))

    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    first_error = errors.locator("tbody tr").first
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(first_error.locator("td").nth(0)).to_have_text("3")
    expect(first_error.locator("td").nth(1)).to_contain_text("CCCD")
    expect(first_error).to_contain_text("1980")
    expect(page.locator("#confirm-import")).to_have_count(0)
    assert Member.objects.count() == before
    page.screenshot(path=str(artifacts / "members-import-errors.png"), full_page=True)

    # The user's own file comes back with a column saying what is wrong on which row.
    with page.expect_download() as download:
        page.click("#error-workbook")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi"
    assert rows[1][-1] in (None, "")
    assert "1980" in rows[2][-1]
    assert rows[2][1] == "Trần Đình Khôi"

    upload(page, "doan-vien-bhxh-da-sua.xlsx", workbook(PEOPLE))
    expect(page.locator("#count-create")).to_have_text("3")
    expect(page.locator("#import-preview")).to_contain_text("Phan Thị Thu Hằng")
    assert Member.objects.count() == before
    with page.expect_navigation():
        page.click("#confirm-import")
    expect(page.locator("#import-done")).to_be_visible()
    assert Member.objects.count() == before + 3

    page.goto(f"/members/?unit={UNION}&q=tran dinh khoi")
    expect(page.locator("main")).to_contain_text("Trần Đình Khôi")
    quyet = Member.objects.get(card_number="HT-E2E-003")
    assert quyet.birth_date == dt.date(1991, 1, 1)
    assert quyet.birth_year_only
