"""Import members from a CSV or XLSX file into a union: all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.members.imports import apply_import, plan_import
from congdoan.org.models import Unit

PROGRESS_MIN_ROWS = 2000  # smaller files are done before a progress line would help


class Command(BaseCommand):
    help = (
        "Import members from FILE (.csv or .xlsx) into the unions under --unit. Nothing is "
        "written if any row is wrong; every wrong row is listed on stderr."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument(
            "--unit",
            required=True,
            help="Code of the union imported into: a grassroots union, or any unit when the "
            "file has the column “Mã công đoàn cơ sở”.",
        )
        parser.add_argument("--user", help="Act as this user (their scope applies).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def _progress(self, what: str) -> Callable[[int, int], None]:
        last = -1

        def report(done: int, total: int) -> None:
            nonlocal last
            if total < PROGRESS_MIN_ROWS:
                return
            tenth = min(10, done * 10 // total)
            if tenth > last:
                last = tenth
                self.stderr.write(f"{what}: {done}/{total} ({tenth * 10}%)")

        return report

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %s") % path)
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s") % options["user"])
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("No unit %s") % options["unit"])
        plan = plan_import(
            path.name,
            path.read_bytes(),
            actor=actor,
            unit=unit,
            progress=self._progress(_("checked")),
        )
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(n)s problem(s) in %(file)s; nothing was imported.")
                % {"n": len(plan.errors), "file": path.name}
            )
        for warning in plan.warnings:
            self.stderr.write(_("warning: %s") % warning)
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "Checked %(rows)s rows: %(create)s would be created, %(update)s updated, "
                    "%(unchanged)s unchanged; %(warnings)s possible duplicates. Nothing written."
                )
                % {
                    "rows": plan.total_rows,
                    "create": len(plan.creates),
                    "update": len(plan.updates),
                    "unchanged": plan.unchanged,
                    "warnings": len(plan.warnings),
                }
            )
            return
        try:
            counts = apply_import(
                plan, actor=actor, source_name=path.name, progress=self._progress(_("written"))
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc) or _("Permission denied.")) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s; "
                    "%(flagged)s possible duplicates flagged for review."
                )
                % counts
            )
        )
