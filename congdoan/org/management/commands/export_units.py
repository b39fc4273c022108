"""Export a unit's subtree as CSV or XLSX, in the columns import_units reads."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congdoan.accounts.models import User
from congdoan.accounts.permissions import VIEW_ORG
from congdoan.accounts.selectors import can
from congdoan.org.imports import export_units
from congdoan.org.models import Unit
from congdoan.org.selectors import subtree


class Command(BaseCommand):
    help = "Export the alive units under --unit CODE to a .csv or .xlsx file."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--unit", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--user", help="Act as this user: only units in their scope.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        unit = Unit.objects.filter(code=options["unit"]).first()
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']}")
            if unit is not None and not can(actor, VIEW_ORG, unit.path):
                unit = None  # out of scope looks like absent
        if unit is None:
            raise CommandError(f"No unit {options['unit']}")
        data = export_units(subtree(unit), options["format"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"Wrote {options['output']}")
