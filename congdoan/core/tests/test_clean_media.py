"""``clean_media``: files left behind by a rolled-back upload are found and removed; files
that a row names, and files still being uploaded, never are."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.core.management import CommandError, call_command

from congdoan.documents import services
from congdoan.documents.services import Upload
from congdoan.documents.tests.fixtures.samples import text_pdf

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("clean_media", *args, stdout=out)
    return out.getvalue()


def age(path, hours: float) -> None:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))


def test_files_without_a_row_are_listed_then_removed(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.register_incoming(
        users.lc_clerk, tree.lc, {"subject": "Công văn có tệp", "issuer_name": "UBND tỉnh"}
    )
    kept = services.add_attachments(
        users.lc_clerk, document, [Upload("cong-van.pdf", text_pdf(["Công văn"]))]
    )[0]
    stored = tmp_path / kept.file.name
    left_behind = stored.parent / "0123456789abcdef.pdf"  # a rolled-back upload's file
    left_behind.write_bytes(text_pdf(["Bị bỏ lại"]))
    just_written = stored.parent / "fedcba9876543210.pdf"  # an upload still in progress
    just_written.write_bytes(b"%PDF-1.7 ...")
    for path in (stored, left_behind):
        age(path, 48)

    listing = run()
    assert left_behind.relative_to(tmp_path).as_posix() in listing
    assert kept.file.name not in listing and just_written.name not in listing
    assert "1 file(s) without a row" in listing
    assert left_behind.exists()  # listing removes nothing

    removed = run("--delete")
    assert "1 file(s) without a row removed" in removed
    assert not left_behind.exists()
    assert stored.exists() and just_written.exists()
    # With no age limit the upload "in progress" goes too; the row's file still stays.
    assert "1 file(s) without a row removed" in run("--older-than", "0", "--delete")
    assert not just_written.exists() and stored.exists()


def test_a_negative_age_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(CommandError, match="older-than"):
        run("--older-than", "-1")
