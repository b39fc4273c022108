"""Register an edXML package (QCVN 102:2016) as an incoming document of a unit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.documents import services
from congdoan.org.models import Unit


class Command(BaseCommand):
    help = (
        "Register an edXML package as an incoming document of --unit (a recall package "
        "freezes the document it names; a status message is recorded on the document it "
        "concerns). Exit status 1 on a bad package; nothing is written."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")
        parser.add_argument("--unit", required=True)
        parser.add_argument("--user", help="Act as this user (their rights are checked).")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"], valid_to__isnull=True).first()
        if unit is None:
            raise CommandError(_("No live unit %s") % options["unit"])
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s") % options["user"])
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}") from exc
        try:
            received = services.receive_edxml(actor, unit, data)
        except ValidationError as exc:
            raise CommandError(f"{path}: " + "; ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        document = received.document
        if received.status is not None:
            self.stdout.write(
                _("Status message recorded on %(symbol)s: %(note)s")
                % {"symbol": document.symbol, "note": received.status.note}
            )
            return
        if document.is_recalled and document.incoming_number:
            self.stdout.write(
                _("Recalled: incoming number %(n)s, %(symbol)s")
                % {"n": document.incoming_number, "symbol": document.symbol}
            )
            return
        self.stdout.write(
            _("Registered as incoming number %(n)s: %(symbol)s — %(subject)s (id %(id)s)")
            % {
                "n": document.incoming_number,
                "symbol": document.symbol,
                "subject": document.subject,
                "id": document.pk,
            }
        )
