"""What the documents app does when another app says something changed."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

from congdoan.documents.models import Document


def move_unit_paths(sender: Any, old_path: str, new_path: str, **kwargs: Any) -> None:
    """A unit moved (``org.signals.unit_moved``): its documents and those of its subtree get
    the new path, so the scope lexemes of their search vectors follow (search.py)."""
    Document.objects.filter(unit_path__startswith=old_path).update(
        unit_path=Concat(
            Value(new_path), Substr("unit_path", len(old_path) + 1), output_field=CharField()
        )
    )
