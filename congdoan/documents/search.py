"""Searching documents: metadata and attachment text, with or without diacritics, ranked.

Callers use ``search()`` only; the engine behind it is private and can change. Both engines
read ``Document.search_text``: the folded (no marks, đ→d, lower case) symbol, type, issuer,
subject, summary, signer, text and attachment text, kept by ``services.refresh_search_text``.

* PostgreSQL: full-text search on a stored ``tsvector`` column (``search_vector``, added by
  migration 0002 with a GIN index; the ``simple`` configuration, since the text is already
  folded), ranked with ``ts_rank_cd``, then by date.
* Elsewhere (SQLite): every word must occur in the folded text; newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from congdoan.core.text import fold
from congdoan.documents.models import Document
from congdoan.documents.selectors import visible_documents

MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class Filters:
    doc_type: str = ""
    issuer: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = ""
    direction: str = ""


def words(q: str) -> list[str]:
    """The folded words of a query, without operators, at most MAX_QUERY_WORDS."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in fold(q))
    return cleaned.split()[:MAX_QUERY_WORDS]


def _filtered(user: Any, filters: Filters) -> QuerySet[Document]:
    documents = visible_documents(user)
    if filters.doc_type:
        documents = documents.filter(doc_type=filters.doc_type)
    if filters.issuer:
        issuer = filters.issuer.strip()
        documents = documents.filter(
            Q(issuer_name__icontains=issuer) | Q(issuer_code__iexact=issuer)
        )
    date = Coalesce("issued_on", "received_on")
    if filters.start or filters.end:
        documents = documents.alias(doc_date=date)
        if filters.start:
            documents = documents.filter(doc_date__gte=filters.start)
        if filters.end:
            documents = documents.filter(doc_date__lte=filters.end)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.direction:
        documents = documents.filter(direction=filters.direction)
    return documents


def search(user: Any, q: str = "", filters: Filters | None = None) -> QuerySet[Document]:
    """Documents in the user's scope matching ``q`` and ``filters``, best first."""
    filters = filters or Filters()
    documents = _filtered(user, filters).select_related("unit")
    terms = words(q)
    if not terms:
        return documents.order_by("-created_at", "-id")
    if connection.vendor == "postgresql":
        return _postgres(documents, terms)
    return _fallback(documents, terms)


def _postgres(documents: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    query = " & ".join(terms)
    match = RawSQL(
        '"documents_document"."search_vector" @@ to_tsquery(\'simple\', %s)',
        [query],
        output_field=BooleanField(),
    )
    rank = RawSQL(
        'ts_rank_cd("documents_document"."search_vector", to_tsquery(\'simple\', %s))',
        [query],
        output_field=FloatField(),
    )
    return documents.filter(match).annotate(rank=rank).order_by("-rank", "-created_at", "-id")


def _fallback(documents: QuerySet[Document], terms: list[str]) -> QuerySet[Document]:
    for term in terms:
        documents = documents.filter(search_text__contains=term)
    return documents.annotate(rank=Value(0.0, output_field=FloatField())).order_by(
        "-created_at", "-id"
    )
