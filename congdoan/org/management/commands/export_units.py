"""Export a unit's subtree as CSV or XLSX, in the columns import_units reads."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congdoan.org.imports import export_units
from congdoan.org.models import Unit
from congdoan.org.selectors import subtree


class Command(BaseCommand):
    help = "Export the alive units under --unit CODE to a .csv or .xlsx file."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--unit", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"No unit {options['unit']}")
        data = export_units(subtree(unit), options["format"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"Wrote {options['output']}")
