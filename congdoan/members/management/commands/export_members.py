"""Export the members of a unit's subtree as CSV or XLSX, in the columns import_members reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.accounts.permissions import VIEW_MEMBERS, VIEW_PERSONAL
from congdoan.accounts.selectors import can
from congdoan.members import selectors, services
from congdoan.members.imports import export_members
from congdoan.members.models import Member, Status
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = (
        "Export the active members of the unions under --unit to a .csv or .xlsx file. "
        "CCCD and phone numbers only with --personal."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--unit", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument(
            "--personal",
            action="store_true",
            help="Include the CCCD and phone columns (personal data; the export is logged).",
        )
        parser.add_argument(
            "--all", action="store_true", help="Include members who left, died or moved away."
        )
        parser.add_argument("--user", help="Act as this user: only members in their scope.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s") % options["user"])
            if unit is not None and not can(actor, VIEW_MEMBERS, unit.path):
                unit = None  # out of scope looks like absent
        if unit is None:
            raise CommandError(_("No unit %s") % options["unit"])
        personal = options["personal"]
        if personal and actor is not None and not can(actor, VIEW_PERSONAL, unit.path):
            raise CommandError(
                _(
                    "%(user)s may not see the CCCD and phone numbers of members of %(unit)s; "
                    "export without --personal."
                )
                % {"user": actor.username, "unit": unit.name}
            )
        members = selectors.visible_members(actor) if actor is not None else Member.objects.all()
        members = members.filter(unit__path__startswith=unit.path)
        if not options["all"]:
            members = members.filter(status=Status.ACTIVE)
        count = members.count()
        data = export_members(members, options["format"], personal=personal)
        Path(options["output"]).write_bytes(data)
        services.record_export(actor, unit, count, personal, options["format"])
        self.stdout.write(
            _("Wrote %(n)s members to %(file)s") % {"n": count, "file": options["output"]}
        )
