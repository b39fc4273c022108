"""Unit import: all-or-nothing, every bad row reported; export reads back unchanged."""

import io
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from congdoan.org.imports import apply_import, export_units, plan_import
from congdoan.org.models import RestructuringEvent, Unit
from congdoan.org.selectors import subtree

HEADER = "Mã,Tên,Viết tắt,Loại,Mã cấp trên,Hiệu lực từ\n"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = decomposed[-1]
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258")
            out += tone.encode("cp1258")
    return bytes(out)


def csv_bytes(body: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    if encoding == "cp1258":
        return to_cp1258(header + body)
    return (header + body).encode(encoding)


def xlsx_bytes(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_good_csv_creates_units_with_history(tree):
    data = csv_bytes(
        "LCI-D3,Liên đoàn Lao động huyện Văn Bàn,LĐLĐ,district,LCI,01/01/1995\n"
        "LCI-D3-G1,Công đoàn cơ sở Trường THCS Khánh Yên,,grassroots,LCI-D3,15/03/2001\n"
    )
    plan = plan_import("units.csv", data)
    assert plan.ok, plan.errors
    event = apply_import(plan, source_name="units.csv")
    child = Unit.objects.get(code="LCI-D3-G1")
    assert child.parent.code == "LCI-D3"
    assert child.path.startswith(tree.lc.path)
    assert child.versions.count() == 1
    assert event.touched.count() == 2


def test_headers_without_diacritics_in_any_order_and_cp1258(tree):
    header = "ten,ma cap tren,ma,loai,hieu luc tu\n"
    body = "Công đoàn cơ sở Chi cục Thuế,LCI-D1,LCI-D1-G9,Công đoàn cơ sở,2001-03-15\n"
    plan = plan_import("u.csv", csv_bytes(body, header, "cp1258"))
    assert plan.ok, plan.errors
    assert plan.units[0].name == "Công đoàn cơ sở Chi cục Thuế"
    assert plan.units[0].kind.code == "grassroots"


def test_bad_file_reports_every_row_and_writes_nothing(tree):
    body = (
        "X1,Đơn vị một,,grassroots,NOPE,01/01/2000\n"  # unknown parent
        "LCI-D1,Trùng mã,,grassroots,LCI,01/01/2000\n"  # code already in the database
        "X2,,,grassroots,LCI,01/01/2000\n"  # empty name
        "X3,Đơn vị ba,,no-such-kind,LCI,01/01/2000\n"  # unknown kind
        "X4,Đơn vị bốn,,grassroots,LCI,31/02/2000\n"  # impossible date
        "X5,Vòng A,,grassroots,X6,01/01/2000\n"  # X5 and X6 make a cycle
        "X6,Vòng B,,grassroots,X5,01/01/2000\n"
        "X7,Lặp,,grassroots,LCI,01/01/2000\n"
        "X7,Lặp lại,,grassroots,LCI,01/01/2000\n"  # repeated code
    )
    before = Unit.objects.count()
    plan = plan_import("bad.csv", csv_bytes(body))
    assert not plan.ok
    by_row = {}
    for error in plan.errors:
        by_row.setdefault(error.row, []).append(error.message)
    assert set(by_row) == {2, 3, 4, 5, 6, 7, 8, 10}
    assert "NOPE" in by_row[2][0]
    assert "LCI-D1" in by_row[3][0]
    assert "31/02/2000" in by_row[6][0]
    assert any("X5" in m for m in by_row[7])
    assert "X7" in by_row[10][0] and "9" in by_row[10][0]  # names the first occurrence
    assert Unit.objects.count() == before
    with pytest.raises(ValueError):
        apply_import(plan)


def test_wrong_encoding_and_wrong_type_are_reported(tree):
    utf16 = HEADER.encode("utf-16") + "X,Tên,,grassroots,LCI,01/01/2000\n".encode("utf-16")
    plan = plan_import("u.csv", utf16)
    assert not plan.ok and plan.errors[0].row == 0
    plan = plan_import("u.xlsx", b"not a workbook")
    assert not plan.ok
    plan = plan_import("u.txt", b"abc")
    assert not plan.ok


def test_missing_required_column(tree):
    plan = plan_import("u.csv", b"code,name\nX,Y\n")
    assert not plan.ok
    assert {e.column for e in plan.errors} >= {"kind", "valid_from", "parent_code"}


def test_xlsx_with_real_dates(tree):
    import datetime as dt

    data = xlsx_bytes(
        [
            ["Mã", "Tên", "Viết tắt", "Loại", "Mã cấp trên", "Hiệu lực từ"],
            ["LCI-X", "Công đoàn cơ sở Điện lực Sa Pa", "", "grassroots", "LCI-D2",
             dt.datetime(2003, 5, 1)],
            ["LCI-Y", "Công đoàn cơ sở Bưu điện Sa Pa", "", "grassroots", "LCI-D2", 37800],
        ]
    )  # fmt: skip
    plan = plan_import("u.xlsx", data)
    assert plan.ok, plan.errors
    assert [u.valid_from for u in plan.units] == [dt.date(2003, 5, 1), dt.date(2003, 6, 28)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_changes_nothing(tree, fmt):
    exported = export_units(subtree(tree.lc), fmt)
    rows_before = sorted(
        subtree(tree.lc).values_list("code", "name", "abbreviation", "kind__code", "valid_from")
    )
    # Import the export into an empty registry under a fresh root: same rows come back.
    Unit.objects.filter(pk__in=[]).delete()
    plan = plan_import(f"u.{fmt}", exported)
    # Every code exists already: the import refuses each row and names it.
    assert len(plan.errors) == len(rows_before)
    from django.db import transaction

    with transaction.atomic():
        sid = transaction.savepoint()
        from congdoan.accounts.models import RoleAssignment
        from congdoan.core.models import AuditEntry
        from congdoan.org.models import EventUnit, Post, PostHolding, UnitVersion

        AuditEntry.objects.all().delete()
        RoleAssignment.objects.all().delete()
        EventUnit.objects.all().delete()
        PostHolding.objects.all().delete()
        Post.objects.all().delete()
        UnitVersion.objects.all().delete()
        Unit.objects.filter(parent__isnull=False).exclude(pk=tree.lc.parent_id).update(parent=None)
        Unit.objects.exclude(pk=tree.root.pk).delete()
        RestructuringEvent.objects.all().delete()
        # the province's parent (TLĐ) is still there, so the province row can attach to it
        plan = plan_import(f"u.{fmt}", exported)
        assert plan.ok, plan.errors
        apply_import(plan)
        rows_after = sorted(
            subtree(Unit.objects.get(code="LCI")).values_list(
                "code", "name", "abbreviation", "kind__code", "valid_from"
            )
        )
        assert rows_after == rows_before
        transaction.savepoint_rollback(sid)


def test_command_exit_status_and_row_report(tree, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("X1,Tên,,grassroots,NOPE,01/01/2000\n"))
    with pytest.raises(CommandError):
        call_command("import_units", str(bad))
    assert "NOPE" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes("X1,Tên,,grassroots,LCI,01/01/2000\n"))
    call_command("import_units", str(good))
    assert Unit.objects.filter(code="X1").exists()


def test_command_refuses_out_of_scope_user(tree, users, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes("X1,Tên,,grassroots,LCI,01/01/2000\n"))
    with pytest.raises(CommandError):
        call_command("import_units", str(good), "--user", "ht.clerk")
    assert not Unit.objects.filter(code="X1").exists()


def test_export_command_applies_the_user_scope(tree, users, tmp_path):
    out = tmp_path / "lc.xlsx"
    call_command("export_units", "--unit", "LCI", "--format", "xlsx", "-o", str(out),
                 "--user", "lc.clerk")  # fmt: skip
    from openpyxl import load_workbook

    sheet = load_workbook(out).worksheets[0]
    codes = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert codes == ["LCI", "LCI-D1", "LCI-D1-G1", "LCI-D2", "LCI-D2-G1", "LCI-VP"]
    with pytest.raises(CommandError):
        call_command("export_units", "--unit", "HTH", "-o", str(out), "--user", "lc.clerk")
