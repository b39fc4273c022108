"""What the documents app does when another app says something changed."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from congdoan.documents.models import Document
from congdoan.org.models import Unit


def move_unit_paths(sender: Any, old_path: str, new_path: str, **kwargs: Any) -> None:
    """A unit moved (``org.signals.unit_moved``): the documents of its subtree take their
    units' new paths, so the scope lexemes of their search vectors follow (search.py).

    The documents are found through their units (the path index of ``org_unit``, then the
    documents' unit index), not by scanning every document's ``unit_path``: a restructuring
    that winds up a district federation moves each of its unions in turn."""
    units = Unit.objects.filter(path__startswith=new_path)
    Document.objects.filter(unit__in=units).update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )
