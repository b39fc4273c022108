"""Import units from a CSV or XLSX file: all rows or none."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congdoan.accounts.models import User
from congdoan.org.imports import apply_import, plan_import


class Command(BaseCommand):
    help = "Import units from FILE (.csv or .xlsx). Nothing is written if any row is wrong."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--user", help="Act as this user (their scope applies).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']}")
        plan = plan_import(path.name, path.read_bytes(), actor=actor)
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} problem(s); nothing was imported.")
        if options["dry_run"]:
            self.stdout.write(f"{len(plan.units)} units would be imported.")
            return

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"\r{done}/{total} ({done * 100 // total}%)", ending="")
            self.stdout.flush()

        apply_import(plan, actor=actor, source_name=path.name, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(plan.units)} units."))
