"""Progress reporting for long work, readable by pages (htmx polling) and commands."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from congdoan.core.models import Job


def start(kind: str, title: str, *, owner: Any = None, total: int = 0) -> Job:
    return Job.objects.create(
        kind=kind,
        title=title,
        owner=owner if getattr(owner, "pk", None) else None,
        total=total,
        status=Job.Status.PENDING,
    )


def progress(job_id: Any, done: int, total: int | None = None, message: str = "") -> None:
    """Record progress; written outside the work's own transaction by the caller's choice."""
    values: dict[str, Any] = {"done": done, "status": Job.Status.RUNNING}
    if total is not None:
        values["total"] = total
    if message:
        values["message"] = message
    Job.objects.filter(pk=job_id).update(**values)


def advance(job_id: Any, step: int = 1) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + step, status=Job.Status.RUNNING)


def finish(job_id: Any, *, result: dict | None = None, message: str = "") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, result=result or {}, message=message
    )


def fail(job_id: Any, message: str, result: dict | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, message=message, result=result or {}
    )
