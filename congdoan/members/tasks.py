"""Background work on members: checking an uploaded import file, then importing it.

The upload is stored under ``MEDIA_ROOT/private/imports/``. The check keeps it (the import
reads it again) and leaves beside it, when rows are wrong, the user's file with a column
"Lỗi" (``<stored>.errors.xlsx``); the import deletes both when it ends.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django_tasks import task

from congdoan.core import jobs
from congdoan.core.tabular import TableError


def import_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "private" / "imports"


def stored_path(stored: str) -> Path:
    """The stored upload (only its file name is used: no way out of the folder)."""
    return import_dir() / Path(stored).name


def error_file_path(stored: str) -> Path:
    path = stored_path(stored)
    return path.with_name(path.name + ".errors.xlsx")


def _context(user_id: int | None, unit_code: str) -> tuple[Any, Any]:
    from congdoan.accounts.models import User
    from congdoan.org.models import Unit

    actor = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    unit = Unit.objects.filter(code=unit_code).first()
    return actor, unit


@task()
def check_members_task(
    job_id: str, stored: str, original_name: str, user_id: int, unit_code: str
) -> dict[str, Any]:
    """Check every row of the stored upload and keep a summary in the job's result.

    The job ends DONE either way; ``result["ok"]`` says whether the file can be imported,
    ``result["errors"]`` lists the first bad rows (see ``imports.plan_summary``).
    """
    from congdoan.members import imports

    path = stored_path(stored)
    try:
        actor, unit = _context(user_id, unit_code)
        if unit is None or actor is None:
            jobs.fail(job_id, _("The union or the user no longer exists."))
            return {}
        data = path.read_bytes()
        plan = imports.plan_import(
            original_name,
            data,
            actor=actor,
            unit=unit,
            progress=lambda done, total: jobs.progress(job_id, done, total),
        )
        summary = imports.plan_summary(plan)
        summary["stored"] = path.name
        summary["name"] = original_name
        if plan.errors:
            # A file that cannot be read has file-level errors only: nothing to annotate.
            with contextlib.suppress(TableError):
                error_file_path(stored).write_bytes(
                    imports.error_workbook(original_name, data, plan.errors)
                )
                summary["error_file"] = error_file_path(stored).name
            message = _("%(n)s problem(s) found; nothing can be imported yet.") % {
                "n": len(plan.errors)
            }
        else:
            message = _("%(create)s new, %(update)s to update, %(unchanged)s unchanged.") % {
                "create": len(plan.creates),
                "update": len(plan.updates),
                "unchanged": plan.unchanged,
            }
        jobs.finish(job_id, result=summary, message=message)
        return summary
    except Exception as exc:
        jobs.fail(job_id, str(exc))
        raise


@task()
def import_members_task(
    job_id: str, stored: str, original_name: str, user_id: int, unit_code: str
) -> dict[str, int]:
    """Check the stored upload again (the data may have changed) and import it, with progress.

    Progress runs over twice the rows: the check, then the writing.
    """
    from congdoan.members import imports

    path = stored_path(stored)
    try:
        actor, unit = _context(user_id, unit_code)
        if unit is None or actor is None:
            jobs.fail(job_id, _("The union or the user no longer exists."))
            return {}
        rows = 0

        def checking(done: int, total: int) -> None:
            nonlocal rows
            rows = total
            jobs.progress(job_id, done, total * 2)

        plan = imports.plan_import(
            original_name, path.read_bytes(), actor=actor, unit=unit, progress=checking
        )
        if not plan.ok:
            summary = imports.plan_summary(plan)
            jobs.fail(
                job_id,
                _("%(n)s problem(s) found; nothing was imported.") % {"n": len(plan.errors)}
                + " "
                + "; ".join(str(e) for e in plan.errors[:20]),
                result=summary,
            )
            return {}
        rows = plan.total_rows

        def writing(done: int, total: int) -> None:
            jobs.progress(job_id, rows + (done * rows // total if total else rows), rows * 2)

        counts = imports.apply_import(
            plan, actor=actor, source_name=original_name, progress=writing
        )
        result: dict[str, Any] = {**counts, "unit": unit.code, "ok": True}
        with contextlib.suppress(NoReverseMatch):
            result["url"] = reverse("members:list") + f"?unit={unit.code}"
        jobs.progress(job_id, rows * 2, rows * 2)
        jobs.finish(
            job_id,
            result=result,
            message=_(
                "%(created)s new members, %(updated)s updated, %(unchanged)s unchanged, "
                "%(flagged)s possible duplicates to review."
            )
            % counts,
        )
        return counts
    except Exception as exc:
        jobs.fail(job_id, str(exc))
        raise
    finally:
        path.unlink(missing_ok=True)
        error_file_path(stored).unlink(missing_ok=True)
