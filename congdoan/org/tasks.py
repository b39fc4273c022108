"""Background work of the organisation registry."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from congdoan.core import jobs


@task()
def import_units_task(job_id: str, stored: str, original_name: str, user_id: int) -> int:
    """Check the stored upload again (the tree may have changed) and import it, with progress."""
    from congdoan.accounts.models import User
    from congdoan.org import imports

    path = Path(settings.MEDIA_ROOT) / "private" / "imports" / Path(stored).name
    actor = User.objects.filter(pk=user_id).first()
    try:
        plan = imports.plan_import(original_name, path.read_bytes(), actor=actor)
        if not plan.ok:
            jobs.fail(
                job_id,
                "; ".join(str(e) for e in plan.errors[:20]),
                result={"errors": [str(e) for e in plan.errors]},
            )
            return 0
        jobs.progress(job_id, 0, total=len(plan.units))
        event = imports.apply_import(
            plan,
            actor=actor,
            source_name=original_name,
            progress=lambda done, total: jobs.progress(job_id, done, total),
        )
        jobs.finish(
            job_id,
            result={"count": len(plan.units), "url": reverse("org:unit_list")},
            message=event.summary,
        )
        return len(plan.units)
    except Exception as exc:
        jobs.fail(job_id, str(exc))
        raise
    finally:
        path.unlink(missing_ok=True)
