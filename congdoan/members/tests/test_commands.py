"""The import and export commands, and the background tasks the import pages start."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from congdoan.core import jobs
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry, Job
from congdoan.members.models import Member
from congdoan.members.tasks import check_members_task, import_members_task
from congdoan.members.tests.conftest import make_member

HEADER = "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Ngày vào Công đoàn,Số thẻ đoàn viên\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def line(n: int, name: str = "Nguyễn Văn Khoa", birth_year: int = 1985) -> str:
    cccd = make_cccd("010", "M", birth_year, n)
    return f"{name},20/11/{birth_year},Nam,{cccd},01/09/2012,K-{n}\n"


GOOD = HEADER + line(1, "Nguyễn Văn Khoa") + line(2, "Trần Văn Long")
BAD = HEADER + line(1) + "Lê Văn Mạnh,31/02/1990,Nam,,01/09/2012,\n" + ",01/01/1980,Nam,,,\n"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- import_members ------------------------------------------------------------------------


def test_import_command_prints_the_counts(tree, tmp_path, capsys):
    path = write(tmp_path, "members.csv", GOOD)
    call_command("import_members", str(path), "--unit", "LCI-D1-G1")
    out = capsys.readouterr().out
    assert "Created 2" in out and "updated 0" in out
    assert Member.objects.filter(unit=tree.lc_g1).count() == 2
    # The same file again changes nothing.
    call_command("import_members", str(path), "--unit", "LCI-D1-G1")
    assert "unchanged 2" in capsys.readouterr().out
    assert Member.objects.count() == 2


def test_import_command_lists_each_bad_row_and_writes_nothing(tree, tmp_path, capsys):
    path = write(tmp_path, "bad.csv", BAD)
    with pytest.raises(CommandError) as failure:
        call_command("import_members", str(path), "--unit", "LCI-D1-G1")
    assert failure.value.returncode != 0  # manage.py exits with it
    assert "nothing was imported" in str(failure.value)
    err = capsys.readouterr().err.splitlines()
    assert any("row 3" in e and "Ngày sinh" in e and "31/02/1990" in e for e in err), err
    assert any("row 4" in e and "Họ và tên" in e and "empty" in e for e in err), err
    assert any("row 4" in e and "Ngày vào Công đoàn" in e for e in err), err
    assert Member.objects.count() == 0


def test_import_command_dry_run_and_user_scope(tree, users, tmp_path, capsys):
    path = write(tmp_path, "members.csv", GOOD)
    call_command("import_members", str(path), "--unit", "LCI-D1-G1", "--dry-run")
    assert "2 would be created" in capsys.readouterr().out
    assert Member.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--unit", "LCI-D1-G1", "--user", "ht.clerk")
    assert "no right" in capsys.readouterr().err
    call_command("import_members", str(path), "--unit", "LCI-D1-G1", "--user", "chair")
    assert AuditEntry.objects.get(action=AuditEntry.Action.IMPORT).actor == users.chair
    for args in (["--unit", "NOPE"], ["--unit", "LCI-D1-G1", "--user", "ghost"]):
        with pytest.raises(CommandError):
            call_command("import_members", str(path), *args)
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_members", str(tmp_path / "absent.csv"), "--unit", "LCI-D1-G1")


def test_import_command_shows_progress_for_a_big_file(tree, tmp_path, capsys):
    rows = [line(n, "Nguyễn Văn Khoa", 1970 + n % 20) for n in range(1, 2501)]
    path = write(tmp_path, "big.csv", HEADER + "".join(rows))
    call_command("import_members", str(path), "--unit", "LCI-D1-G1")
    err = capsys.readouterr().err.splitlines()
    checked = [e for e in err if e.startswith("checked")]
    written = [e for e in err if e.startswith("written")]
    assert 5 <= len(checked) <= 11 and checked[-1].endswith("(100%)"), checked
    assert written and written[-1].endswith("(100%)")
    assert Member.objects.count() == 2500


# --- export_members ------------------------------------------------------------------------


def test_export_command_scoped_to_the_user_with_personal_data_only_when_allowed(
    tree, users, tmp_path
):
    mine = make_member(tree.lc_g1, full_name="Lê Thị Hồng", phone="0987654321")
    make_member(tree.ht_g1, full_name="Hồ Thị Mai")
    out = tmp_path / "lc.xlsx"
    call_command("export_members", "--unit", "LCI", "--format", "xlsx", "-o", str(out),
                 "--personal", "--user", "lc.clerk")  # fmt: skip
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 2 and record["Họ và tên"] == "Lê Thị Hồng"
    assert record["Số CCCD"] == mine.cccd and record["Số điện thoại"] == "0987654321"
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == users.lc_clerk and entry.changes["personal_data"] == [None, True]

    with pytest.raises(CommandError, match="--personal"):
        call_command("export_members", "--unit", "LCI", "-o", str(out), "--personal",
                     "--user", "lc.specialist")  # fmt: skip
    csv_out = tmp_path / "lc.csv"
    call_command("export_members", "--unit", "LCI", "--format", "csv", "-o", str(csv_out),
                 "--user", "lc.specialist")  # fmt: skip
    text = csv_out.read_bytes().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert "Số CCCD" not in header and "Số điện thoại" not in header
    assert "Lê Thị Hồng" in text and mine.cccd not in text
    with pytest.raises(CommandError, match="No unit"):
        call_command("export_members", "--unit", "HTH", "-o", str(out), "--user", "lc.clerk")


# --- the tasks behind the import pages ------------------------------------------------------


def _stored(settings, tmp_path, text: str, name: str = "upload.csv") -> str:
    settings.MEDIA_ROOT = str(tmp_path)
    directory = tmp_path / "private" / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(text.encode("utf-8"))
    return name


def test_check_then_import_through_jobs(tree, users, settings, tmp_path):
    make_member(
        tree.lc_g1,
        full_name="Trần Văn Long",
        sex="M",
        birth_date=dt.date(1985, 11, 20),
        cccd=make_cccd("010", "M", 1985, 2),
        card_number="K-2",
    )
    stored = _stored(settings, tmp_path, GOOD)
    check = jobs.start("members.check_import", "check", owner=users.chair)
    check_members_task.call(str(check.pk), stored, "members.csv", users.chair.pk, "LCI-D1-G1")
    check.refresh_from_db()
    assert check.status == Job.Status.DONE, check.message
    result = check.result
    assert result["ok"] is True and result["unit"] == "LCI-D1-G1"
    counts = {"rows": 2, "create": 1, "update": 0, "unchanged": 1, "errors": 0, "warnings": 0}
    assert result["counts"] == counts
    assert [p["full_name"] for p in result["preview"]] == ["Nguyễn Văn Khoa"]
    assert result["preview"][0]["action"] == "create"
    assert (tmp_path / "private" / "imports" / stored).exists()  # kept for the import
    assert Member.objects.count() == 1

    job = jobs.start("members.import", "import", owner=users.chair)
    import_members_task.call(str(job.pk), stored, "members.csv", users.chair.pk, "LCI-D1-G1")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.percent == 100 and job.done == job.total
    assert job.result["created"] == 1 and job.result["unchanged"] == 1
    assert Member.objects.count() == 2
    assert not (tmp_path / "private" / "imports" / stored).exists()


def test_a_bad_file_checked_and_imported_through_jobs(tree, users, settings, tmp_path):
    stored = _stored(settings, tmp_path, BAD)
    check = jobs.start("members.check_import", "check", owner=users.chair)
    check_members_task.call(str(check.pk), stored, "bad.csv", users.chair.pk, "LCI-D1-G1")
    check.refresh_from_db()
    assert check.status == Job.Status.DONE
    assert check.result["ok"] is False
    errors = check.result["errors"]
    assert {"row": 3, "column": "Ngày sinh"}.items() <= errors[0].items()
    assert {e["row"] for e in errors} == {3, 4}
    annotated = tmp_path / "private" / "imports" / check.result["error_file"]
    sheet = load_workbook(annotated).worksheets[0]
    assert sheet.cell(row=1, column=7).value == "Lỗi"
    assert "31/02/1990" in sheet.cell(row=3, column=7).value

    job = jobs.start("members.import", "import", owner=users.chair)
    import_members_task.call(str(job.pk), stored, "bad.csv", users.chair.pk, "LCI-D1-G1")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "31/02/1990" in job.message
    assert job.result["errors"][0]["row"] == 3
    assert Member.objects.count() == 0
    assert not annotated.exists()
