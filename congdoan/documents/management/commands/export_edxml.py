"""Write an issued outgoing document as an edXML package (QCVN 102:2016)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.accounts.models import User
from congdoan.documents import selectors, services
from congdoan.documents.models import Document


class Command(BaseCommand):
    help = "Write the issued document DOCUMENT_ID as an edXML package to -o FILE."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("document_id", type=int)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--user", help="Act as this user: only documents in their scope.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %s") % options["user"])
        try:
            if actor is not None:
                document = selectors.get_document(actor, options["document_id"])
            else:
                document = Document.objects.select_related("unit").get(pk=options["document_id"])
            data = services.export_edxml(actor, document)
        except (Document.DoesNotExist, Http404) as exc:
            raise CommandError(_("No document %s") % options["document_id"]) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            _("%(symbol)s written to %(file)s (%(size)s bytes)")
            % {"symbol": document.symbol, "file": options["output"], "size": len(data)}
        )
