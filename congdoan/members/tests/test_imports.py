"""Member import and export: all-or-nothing, every bad row named, round trips change nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation
from openpyxl import Workbook, load_workbook

from congdoan.conftest import BASIS, make_unit
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry
from congdoan.members import selectors, services
from congdoan.members.imports import (
    EXPORT_HEADERS,
    REQUIRED,
    apply_import,
    error_workbook,
    export_members,
    plan_import,
    template_workbook,
)
from congdoan.members.models import DuplicateFlag, Member, Membership
from congdoan.members.tests.conftest import assert_periods_carry_profiles, make_member
from congdoan.org import services as org_services

D = dt.date
HEADERS = [
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Số điện thoại",
    "Email",
    "Trình độ văn hóa",
    "Trình độ chuyên môn",
    "Nghề nghiệp",
    "Nơi làm việc",
    "Ngày vào Công đoàn",
    "Số thẻ đoàn viên",
    "Mã công đoàn cơ sở",
]


def person(name: str, birth: str, sex: str, seq: int, **extra: str) -> dict[str, str]:
    """One good row: the CCCD agrees with the year of birth and the sex."""
    year = int(birth[-4:])
    row = {
        "Họ và tên": name,
        "Ngày sinh": birth,
        "Giới tính": sex,
        "Số CCCD": make_cccd("010", "F" if sex == "Nữ" else "M", year, seq),
        "Dân tộc": "Tày",
        "Quê quán": "Bát Xát, Lào Cai",
        "Số điện thoại": "0912 345 6" + f"{seq % 100:02d}",
        "Email": f"dv{seq}@example.vn",
        "Trình độ văn hóa": "12/12",
        "Trình độ chuyên môn": "Đại học",
        "Nghề nghiệp": "Giáo viên",
        "Nơi làm việc": "Trường THCS Bản Vược",
        "Ngày vào Công đoàn": "01/09/2012",
        "Số thẻ đoàn viên": f"LC{seq:06d}",
    }
    row.update(extra)
    return row


GOOD = [
    person("Trần Văn Bình", "20/11/1985", "Nam", 11),
    person("Nguyễn Thị Ánh", "02/01/1990", "Nữ", 12),
    person("Lê Văn An", "15/06/1988", "Nam", 13),
]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tones = [m for m in decomposed if m in TONE_MARKS]
            base = "".join(m for m in decomposed if m not in TONE_MARKS)
            out += unicodedata.normalize("NFC", base).encode("cp1258")
            out += "".join(tones).encode("cp1258")
    return bytes(out)


def csv_file(rows: list[dict], headers: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    headers = headers or [h for h in HEADERS if any(h in r for r in rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    text = buffer.getvalue()
    if encoding == "cp1258":
        return to_cp1258(text)
    return text.encode(encoding)


def xlsx_file(rows: list[dict] | list[list], headers: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if rows and isinstance(rows[0], dict):
        headers = headers or [h for h in HEADERS if any(h in r for r in rows)]
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    else:
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_as(fmt: str, rows: list[dict], headers: list[str] | None = None) -> tuple[str, bytes]:
    if fmt == "xlsx":
        return "members.xlsx", xlsx_file(rows, headers)
    encoding = {"csv": "utf-8", "csv-bom": "utf-8-sig", "csv-cp1258": "cp1258"}[fmt]
    return "members.csv", csv_file(rows, headers, encoding)


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, the source language, whatever is translated later."""
    with translation.override("en"):
        yield


def errors_by_row(plan) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for error in plan.errors:
        found.setdefault(error.row, []).append((error.column, error.message))
    return found


# --- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "csv-bom", "csv-cp1258", "xlsx"])
def test_good_file_imports_every_member_with_a_membership(tree, users, fmt):
    name, data = file_as(fmt, GOOD)
    progress: list[tuple[int, int]] = []
    plan = plan_import(
        name,
        data,
        actor=users.chair,
        unit=tree.lc_g1,
        progress=lambda d, t: progress.append((d, t)),
    )
    assert plan.ok, plan.errors
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (3, 0, 0)
    assert plan.total_rows == 3
    assert progress[-1] == (3, 3)
    assert Member.objects.count() == 0  # the plan writes nothing
    counts = apply_import(plan, actor=users.chair, source_name=name)
    assert counts == {"created": 3, "updated": 0, "unchanged": 0, "flagged": 0}
    members = list(Member.objects.filter(unit=tree.lc_g1))
    # Vietnamese order: given name first (An < Ánh < Bình), not the family name.
    assert [m.full_name for m in members] == ["Lê Văn An", "Nguyễn Thị Ánh", "Trần Văn Bình"]
    anh = Member.objects.get(full_name="Nguyễn Thị Ánh")
    assert anh.birth_date == D(1990, 1, 2) and anh.sex == "F" and anh.ethnicity == "Tày"
    assert anh.phone == "0912345612" and anh.card_number == "LC000012"
    assert anh.name_folded == "nguyen thi anh"
    period = Membership.objects.get(member=anh)
    assert (period.unit, period.valid_from, period.valid_to) == (tree.lc_g1, D(2012, 9, 1), None)
    assert period.start == Membership.Start.IMPORTED
    assert period.recorded_by == users.chair
    entry = AuditEntry.objects.get(action=AuditEntry.Action.IMPORT)
    assert entry.actor == users.chair and entry.changes["created"] == [None, 3]
    assert name in entry.message


def test_union_column_sends_each_row_to_its_union(tree, users):
    rows = [
        {**GOOD[0], "Mã công đoàn cơ sở": "LCI-D1-G1"},
        {**GOOD[1], "Mã công đoàn cơ sở": "lci-d2-g1"},  # codes are read in any case
    ]
    plan = plan_import("m.csv", csv_file(rows), actor=users.lc_clerk, unit=tree.lc)
    assert plan.ok, plan.errors
    apply_import(plan, actor=users.lc_clerk, source_name="m.csv")
    assert Member.objects.get(full_name="Trần Văn Bình").unit == tree.lc_g1
    assert Member.objects.get(full_name="Nguyễn Thị Ánh").unit == tree.lc_g2


def test_headers_without_diacritics_in_another_order(tree):
    headers = ["so the doan vien", "gioi tinh", "ngay vao cong doan", "HO VA TEN", "ngay sinh"]
    body = "T-1,nữ,01/09/2012,Phạm Thị Thu,03/04/1991\n"
    data = (",".join(headers) + "\n" + body).encode()
    plan = plan_import("m.csv", data, actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    [planned] = plan.creates
    assert planned.full_name == "Phạm Thị Thu"
    assert planned.values["sex"] == "F" and planned.values["card_number"] == "T-1"


def test_excel_serial_numbers_real_dates_and_the_year_alone(tree):
    data = xlsx_file(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn"],
            ["Đỗ Văn Hùng", 32000, "Nam", dt.datetime(2010, 5, 1)],  # 32000 = 11/08/1987
            ["Hoàng Thị Lan", 1985, "Nữ", 2008],  # the year alone, as numbers
            ["Vũ Văn Nam", "1979", "Nam", "15/07/2005"],  # the year alone, as text
        ]
    )
    plan = plan_import("m.xlsx", data, actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    apply_import(plan, actor=None, source_name="m.xlsx")
    hung = Member.objects.get(full_name="Đỗ Văn Hùng")
    assert (hung.birth_date, hung.birth_year_only, hung.joined_on) == (
        D(1987, 8, 11),
        False,
        D(2010, 5, 1),
    )
    lan = Member.objects.get(full_name="Hoàng Thị Lan")
    assert (lan.birth_date, lan.birth_year_only, lan.joined_on) == (
        D(1985, 1, 1),
        True,
        D(2008, 1, 1),
    )
    nam = Member.objects.get(full_name="Vũ Văn Nam")
    assert (nam.birth_date, nam.birth_year_only) == (D(1979, 1, 1), True)


def test_numbers_typed_into_number_cells_keep_their_digits(tree):
    cccd = make_cccd("010", "M", 1985, 77)  # starts with 0: Excel drops it in a number cell
    data = xlsx_file(
        [
            ["Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Công đoàn", "Số CCCD",
             "Số điện thoại", "Số thẻ đoàn viên"],
            ["Đỗ Văn Hùng", "20/11/1985", "Nam", "01/09/2012", int(cccd), 912345678, 123456.0],
        ]
    )  # fmt: skip
    plan = plan_import("m.xlsx", data, actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    values = plan.creates[0].values
    assert (values["cccd"], values["phone"], values["card_number"]) == (
        cccd,
        "0912345678",
        "123456",
    )


# --- bad files: every row named, nothing written -------------------------------------------


def test_every_bad_row_is_reported_with_its_column_and_nothing_is_written(tree, users):
    other = make_member(tree.ht_g1, full_name="Hồ Thị Mai", card_number="HT-9")
    ended = make_unit("LCI-D1-G9", "Công đoàn cơ sở Xí nghiệp cũ", "grassroots", tree.lc_d1)
    org_services.dissolve_unit(None, ended, effective_date=D(2024, 1, 1), legal_basis=BASIS)
    bad_cccd_year = make_cccd("010", "M", 1970, 5)  # the row says 1985
    rows = [
        {**GOOD[0], "Họ và tên": ""},  # 2: name missing
        {**GOOD[1], "Số CCCD": "12345"},  # 3: not a CCCD
        {**GOOD[0], "Số CCCD": bad_cccd_year, "Số thẻ đoàn viên": ""},  # 4: birth year mismatch
        {**GOOD[1], "Ngày sinh": "31/02/1990", "Số CCCD": ""},  # 5: impossible date
        {**GOOD[1], "Ngày sinh": "01/01/2090", "Số CCCD": ""},  # 6: born in the future
        {**GOOD[2], "Ngày vào Công đoàn": "01/09/1999"},  # 7: joined at 11
        {**GOOD[2], "Mã công đoàn cơ sở": "NOPE"},  # 8: unknown union
        {**GOOD[2], "Mã công đoàn cơ sở": "LCI-D1"},  # 9: not a grassroots union
        {**GOOD[2], "Mã công đoàn cơ sở": "LCI-D1-G9"},  # 10: dissolved
        person("Mai Văn Tư", "01/01/1980", "Nam", 40),  # 11: first with its CCCD
        person("Mai Văn Năm", "01/01/1980", "Nam", 40),  # 12: same CCCD again
        person("Cao Văn Sáu", "01/01/1980", "Nam", 41, **{"Số thẻ đoàn viên": "X-1"}),  # 13
        person("Cao Văn Bảy", "01/01/1980", "Nam", 42, **{"Số thẻ đoàn viên": "X-1"}),  # 14
        {**GOOD[1], "Số CCCD": other.cccd, "Họ và tên": "Hồ Thị Mai",
         "Ngày sinh": "15/03/1990"},  # 15: CCCD of a member of another union
        {**GOOD[0], "Giới tính": ""},  # 16: sex missing
        {**GOOD[0], "Ngày vào Công đoàn": "01/01/2099"},  # 17: joined in the future
        {**GOOD[0], "Giới tính": "khác"},  # 18: not a sex
        person("Lý Văn Tám", "01/01/1980", "Nam", 43, **{"Số thẻ đoàn viên": "HT-9"}),  # 19
    ]  # fmt: skip
    good_cards = {g["Số thẻ đoàn viên"] for g in GOOD}
    for index, row in enumerate(rows):
        row.setdefault("Mã công đoàn cơ sở", "LCI-D1-G1")
        if row["Số thẻ đoàn viên"] in good_cards:
            row["Số thẻ đoàn viên"] = f"B-{index}"  # each row its own card
    before = Member.objects.count()
    plan = plan_import("bad.csv", csv_file(rows, HEADERS), actor=users.lc_clerk, unit=tree.lc)
    assert not plan.ok
    found = errors_by_row(plan)
    assert set(found) == set(range(2, 20)) - {11, 13}
    expect = {
        2: ("Họ và tên", "empty"),
        3: ("Số CCCD", "12 digits"),
        4: ("Số CCCD", "1970"),
        5: ("Ngày sinh", "31/02/1990"),
        6: ("Ngày sinh", "future"),
        7: ("Ngày vào Công đoàn", "minimum age is 15"),
        8: ("Mã công đoàn cơ sở", "NOPE"),
        9: ("Mã công đoàn cơ sở", "not a grassroots union"),
        10: ("Mã công đoàn cơ sở", "ended on 01/01/2024"),
        12: ("Số CCCD", "row 11"),
        14: ("Số thẻ đoàn viên", "row 13"),
        15: ("Số CCCD", "Hà Tĩnh"),
        16: ("Giới tính", "empty"),
        17: ("Ngày vào Công đoàn", "future"),
        18: ("Giới tính", "khác"),
        19: ("Số thẻ đoàn viên", "HT-9"),
    }
    for row, (column, words) in expect.items():
        assert any(c == column and words in m for c, m in found[row]), (row, found[row])
    assert any("transfer" in m for _c, m in found[15])
    assert Member.objects.count() == before
    with pytest.raises(ValueError):
        apply_import(plan, actor=users.lc_clerk, source_name="bad.csv")
    assert Member.objects.count() == before


def test_union_out_of_the_users_scope_is_refused(tree, users):
    rows = [{**GOOD[0], "Mã công đoàn cơ sở": "LCI-D2-G1"}]  # the chair manages LCI-D1-G1 only
    plan = plan_import("m.csv", csv_file(rows), actor=users.chair, unit=tree.lc)
    [error] = plan.errors
    assert (error.row, error.column) == (2, "Mã công đoàn cơ sở")
    assert "no right" in error.message
    plan = plan_import("m.csv", csv_file([GOOD[0]]), actor=users.ht_clerk, unit=tree.lc_g1)
    assert not plan.ok and "no right" in plan.errors[0].message
    assert Member.objects.count() == 0


def test_without_a_union_column_the_unit_must_be_a_grassroots_union(tree):
    plan = plan_import("m.csv", csv_file(GOOD), actor=None, unit=tree.lc_d1)
    [error] = plan.errors
    assert error.column == "Mã công đoàn cơ sở"
    assert "not a grassroots union" in error.message


def test_a_file_that_is_not_a_table_is_refused(tree):
    utf16 = "Họ và tên,Ngày sinh,Giới tính,Ngày vào Công đoàn\n".encode("utf-16")
    for name, data in [("m.csv", utf16), ("m.xlsx", b"not a workbook"), ("m.txt", b"abc")]:
        plan = plan_import(name, data, actor=None, unit=tree.lc_g1)
        assert not plan.ok and plan.errors[0].row == 0, name
    plan = plan_import("m.csv", "Họ và tên,Email\nA,b@c.vn\n".encode(), actor=None, unit=tree.lc_g1)
    missing = {e.column for e in plan.errors}
    assert missing == {"Ngày sinh", "Giới tính", "Ngày vào Công đoàn"}
    assert all("missing" in e.message for e in plan.errors)
    assert set(REQUIRED) == {"full_name", "birth_date", "sex", "joined_on"}


def test_the_error_workbook_marks_the_bad_rows(tree):
    rows = [GOOD[0], {**GOOD[1], "Ngày sinh": "31/02/1990"}, {**GOOD[2], "Giới tính": ""}]
    for name, data in [("m.csv", csv_file(rows)), ("m.xlsx", xlsx_file(rows))]:
        plan = plan_import(name, data, actor=None, unit=tree.lc_g1)
        assert [e.row for e in plan.errors] == [3, 4]
        sheet = load_workbook(io.BytesIO(error_workbook(name, data, plan.errors))).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        header = list(values[0])
        assert header[-1] == "Lỗi" and header[:-1] == [h for h in HEADERS if h in GOOD[0]]
        notes = [row[-1] for row in values[1:]]
        assert notes[0] is None
        assert "Ngày sinh" in notes[1] and "31/02/1990" in notes[1]
        assert "Giới tính" in notes[2] and "empty" in notes[2]
        assert values[2][0] == "Nguyễn Thị Ánh"  # the user's data is kept
        assert values[1][3] == GOOD[0]["Số CCCD"]  # as text, leading zero and all


# --- existing members: updates, unchanged, duplicates --------------------------------------


def test_preview_counts_creates_updates_and_unchanged(tree, users):
    kept = make_member(tree.lc_g1, full_name="Lê Thị Hồng", card_number="C-1")
    changed = make_member(tree.lc_g1, full_name="Võ Thị Cúc", birth_date=D(1992, 7, 7))
    exported = export_members(Member.objects.all(), "csv", personal=True).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(exported)))
    cuc = rows[[r["Họ và tên"] for r in rows].index("Võ Thị Cúc")]
    cuc["Nghề nghiệp"] = "Kế toán"
    cuc["Dân tộc"] = "Thái"
    rows.append({**GOOD[0], "Mã công đoàn cơ sở": "LCI-D1-G1"})
    plan = plan_import("m.csv", csv_file(rows, HEADERS), actor=users.chair, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (1, 1, 1)
    [update] = plan.updates
    assert update.member == changed
    assert update.changes == {"job": ["", "Kế toán"], "ethnicity": ["Kinh", "Thái"]}
    preview = update.preview()
    assert preview["action"] == "update"
    assert preview["changes"] == {"Nghề nghiệp": ["", "Kế toán"], "Dân tộc": ["Kinh", "Thái"]}
    counts = apply_import(plan, actor=users.chair, source_name="m.csv")
    assert counts["created"] == 1 and counts["updated"] == 1 and counts["unchanged"] == 1
    changed.refresh_from_db()
    kept_again = Member.objects.get(pk=kept.pk)
    assert changed.job == "Kế toán"
    assert kept_again.updated_at == kept.updated_at
    assert assert_periods_carry_profiles() == 3  # the new member's period too
    assert selectors.stats(tree.lc_g1, D(2020, 1, 1)).minorities == 2  # Cúc (Thái), the new (Tày)


def test_rows_without_identifiers_match_by_name_birth_date_and_union(tree):
    member = make_member(tree.lc_g1, full_name="Đinh Thị Yến", cccd="")
    row = {"Họ và tên": "đinh thị yến", "Ngày sinh": "15/03/1990", "Giới tính": "Nữ",
           "Ngày vào Công đoàn": "01/09/2012", "Nơi làm việc": "Trường THCS Bản Vược"}  # fmt: skip
    plan = plan_import("m.csv", csv_file([row]), actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    assert not plan.creates
    [update] = plan.updates
    assert update.member == member
    assert set(update.changes) == {"full_name", "workplace"}


def test_the_year_alone_does_not_overwrite_a_full_date(tree):
    member = make_member(tree.lc_g1, full_name="Đinh Thị Yến", card_number="Y-1")
    row = {"Họ và tên": "Đinh Thị Yến", "Ngày sinh": "1990", "Giới tính": "Nữ",
           "Ngày vào Công đoàn": "01/09/2012", "Số thẻ đoàn viên": "Y-1"}  # fmt: skip
    plan = plan_import("m.csv", csv_file([row]), actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    assert plan.unchanged == 1 and not plan.updates
    member.refresh_from_db()
    assert member.birth_date == D(1990, 3, 15)


def test_card_of_a_member_in_another_union_means_transfer(tree, users):
    other = make_member(tree.lc_g2, card_number="SP-7")
    row = {**GOOD[0], "Số thẻ đoàn viên": "SP-7", "Số CCCD": ""}
    plan = plan_import("m.csv", csv_file([row]), actor=users.lc_clerk, unit=tree.lc_g1)
    [error] = plan.errors
    assert error.column == "Số thẻ đoàn viên"
    assert other.unit.name in error.message and "transfer" in error.message


def test_joining_date_cannot_move_after_a_transfer(tree):
    member = make_member(tree.lc_g2, card_number="T-5")
    services.transfer_member(None, member, tree.lc_g1, day=D(2020, 1, 1))
    row = {"Họ và tên": member.full_name, "Ngày sinh": "15/03/1990", "Giới tính": "Nữ",
           "Ngày vào Công đoàn": "01/09/2013", "Số thẻ đoàn viên": "T-5"}  # fmt: skip
    plan = plan_import("m.csv", csv_file([row]), actor=None, unit=tree.lc_g1)
    [error] = plan.errors
    assert error.column == "Ngày vào Công đoàn" and "transfer" in error.message


def test_same_name_and_birth_date_in_another_union_is_flagged(tree, users):
    elsewhere = make_member(tree.lc_g2, full_name="Phạm Văn Cường", sex="M",
                            birth_date=D(1984, 2, 29))  # fmt: skip
    row = {"Họ và tên": "Phạm Văn Cường", "Ngày sinh": "29/02/1984", "Giới tính": "Nam",
           "Ngày vào Công đoàn": "01/05/2010"}  # fmt: skip
    plan = plan_import("m.csv", csv_file([row]), actor=users.lc_clerk, unit=tree.lc_g1)
    assert plan.ok, plan.errors  # a warning, not an error
    [warning] = plan.warnings
    assert warning.row == 2 and tree.lc_g2.name in warning.message
    counts = apply_import(plan, actor=users.lc_clerk, source_name="m.csv")
    assert counts["flagged"] == 1
    new = Member.objects.get(unit=tree.lc_g1)
    flag = DuplicateFlag.objects.get()
    assert {flag.member_id, flag.other_id} == {new.pk, elsewhere.pk}


def test_apply_checks_the_right_again(tree, users):
    plan = plan_import("m.csv", csv_file(GOOD), actor=None, unit=tree.lc_g1)
    assert plan.ok
    with pytest.raises(PermissionDenied):
        apply_import(plan, actor=users.ht_clerk, source_name="m.csv")
    assert Member.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing(tree):
    plan = plan_import("m.csv", csv_file(GOOD), actor=None, unit=tree.lc_g1)
    # Meanwhile someone records the same card number: the import fails as a whole.
    make_member(tree.lc_g2, card_number=GOOD[2]["Số thẻ đoàn viên"], cccd="")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        apply_import(plan, actor=None, source_name="m.csv")
    assert Member.objects.filter(unit=tree.lc_g1).count() == 0


# --- export and round trip -----------------------------------------------------------------


def _some_members(tree) -> list[Member]:
    return [
        make_member(tree.lc_g1, full_name="Lê Thị Hồng", card_number="C-1", phone="0987654321"),
        make_member(
            tree.lc_g1,
            full_name="Bùi Văn An",
            sex="M",
            birth_date=D(1979, 1, 1),
            birth_year_only=True,
            ethnicity="Mông",
            religion="Công giáo",
        ),
        make_member(tree.lc_g2, full_name="Nông Thị Ánh", cccd="", email="anh@example.vn"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("personal", [True, False])
def test_export_then_import_changes_nothing(tree, fmt, personal):
    _some_members(tree)
    data = export_members(Member.objects.all(), fmt, personal=personal)
    plan = plan_import(f"m.{fmt}", data, actor=None, unit=tree.lc)
    assert plan.ok, plan.errors
    assert (len(plan.creates), len(plan.updates), plan.unchanged) == (0, 0, 3)
    assert not plan.warnings


def test_export_rows_in_vietnamese_name_order_and_personal_columns(tree):
    _some_members(tree)
    personal = load_workbook(
        io.BytesIO(export_members(Member.objects.all(), "xlsx", personal=True))
    )
    rows = list(personal.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    assert [r[0] for r in rows[1:]] == ["Bùi Văn An", "Nông Thị Ánh", "Lê Thị Hồng"]
    an = dict(zip(rows[0], rows[1], strict=True))
    assert an["Ngày sinh"] == "1979" and an["Giới tính"] == "Nam"
    assert an["Mã công đoàn cơ sở"] == "LCI-D1-G1"
    hong = dict(zip(rows[0], rows[3], strict=True))
    assert hong["Ngày sinh"] == "15/03/1990" and hong["Số điện thoại"] == "0987654321"
    assert hong["Số CCCD"] == Member.objects.get(full_name="Lê Thị Hồng").cccd

    text = export_members(Member.objects.all(), "csv", personal=False).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert "Số CCCD" not in header and "Số điện thoại" not in header
    assert header == [h for h in EXPORT_HEADERS if h not in ("Số CCCD", "Số điện thoại")]
    assert "0987654321" not in text
    assert Member.objects.get(full_name="Lê Thị Hồng").cccd not in text


def test_the_template_explains_itself_and_imports_as_it_is(tree):
    data = template_workbook()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[1] == "Hướng dẫn"
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    guide = [r[0] for r in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert all(h in guide for h in EXPORT_HEADERS)
    plan = plan_import("mau.xlsx", data, actor=None, unit=tree.lc_g1)
    assert plan.ok, plan.errors
    assert [p.full_name for p in plan.creates] == ["Nguyễn Thị Hoa"]


# --- the two ways of writing on PostgreSQL --------------------------------------------------


@pytest.mark.parametrize("method", ["bulk", "copy"])
def test_copy_and_bulk_create_write_the_same(tree, users, method):
    if method == "copy" and connection.vendor != "postgresql":
        with pytest.raises(ValueError):
            apply_import(
                plan_import("m.csv", csv_file(GOOD), actor=None, unit=tree.lc_g1),
                actor=None,
                source_name="m.csv",
                method="copy",
            )
        pytest.skip("COPY is PostgreSQL's")
    elsewhere = make_member(tree.lc_g2, full_name="Lê Văn An", sex="M", birth_date=D(1988, 6, 15))
    plan = plan_import("m.csv", csv_file(GOOD), actor=users.lc_clerk, unit=tree.lc_g1)
    counts = apply_import(plan, actor=users.lc_clerk, source_name="m.csv", method=method)
    assert counts == {"created": 3, "updated": 0, "unchanged": 0, "flagged": 1}
    an = Member.objects.get(unit=tree.lc_g1, full_name="Lê Văn An")
    assert an.name_sort and an.name_folded == "le van an" and len(an.card_token) >= 16
    assert an.given_folded == "an"
    assert assert_periods_carry_profiles() == 4
    assert an.status == "active" and an.religion == "" and an.created_at is not None
    assert an.memberships.get().start == Membership.Start.IMPORTED
    assert DuplicateFlag.objects.filter(member_id=min(an.pk, elsewhere.pk)).exists()
    # Later members get fresh ids: the sequence moved past the pre-allocated ones.
    later = make_member(tree.lc_g1, full_name="Mới Văn Sau", sex="M")
    assert later.pk > an.pk
    assert Member.objects.filter(unit=tree.lc_g1).count() == 4
