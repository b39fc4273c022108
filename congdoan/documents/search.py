"""Searching documents: metadata and attachment text, with or without diacritics, ranked.

Callers use ``search()`` only; the engine behind it is private and can change. Two folded
texts (no marks, đ→d, lower case) are kept by ``services.refresh_search_text``:
``search_title`` (number and symbol, type, issuer, subject, summary, signer) and
``search_text`` (the same with the text of the document and of its attachments).

Ranking is in two tiers: documents whose metadata holds every word of the query come first,
then those where only the text or an attachment does; within a tier, newest first. A
register's users look for a trích yếu first, and a common word ("công", "năm") matches most of
a million documents: reading each tier newest first lets PostgreSQL walk the
``document_newest`` index and stop after a page, instead of scoring every match.

* PostgreSQL: full-text search on two stored ``tsvector`` columns (``title_vector``,
  ``search_vector``; migrations 0002, 0004 and 0007, GIN-indexed, ``simple`` configuration
  since the text is already folded). Both also hold the ids of the document's unit and its
  ancestors as lexemes (``#1 #35 #812``, from ``unit_path``): a user whose scope is below the
  top of the tree gets ``& ('#35' | ...)`` in the query, so the index itself keeps the
  matches to their subtrees instead of PostgreSQL reading every match in the country and
  dropping the others (the scope filter of ``visible_documents`` still applies).
* Elsewhere (SQLite): every word must occur in the folded texts (a scan).

``search()`` returns a ``Results`` sequence that Django's paginator and the API's pagination
slice; its ``count()`` stops at ``COUNT_LIMIT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from congdoan.accounts.permissions import VIEW_DOCUMENTS
from congdoan.accounts.selectors import scope_for
from congdoan.core.text import fold
from congdoan.documents.models import Document
from congdoan.documents.selectors import visible_documents

MAX_QUERY_WORDS = 12
COUNT_LIMIT = 1000  # a count past this says "more than 1000"


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


def scope_lexemes(user: Any) -> str:
    """The subtrees of the user's documents as a tsquery of unit lexemes (``'#35' | '#40'``);
    empty when the scope reaches a top unit (every document is under it: nothing to narrow)
    or is empty (``visible_documents`` finds nothing anyway)."""
    paths = scope_for(user, VIEW_DOCUMENTS).prefixes
    if not paths or any(path.count("/") <= 2 for path in paths):
        return ""
    ids = sorted({path.rstrip("/").rpartition("/")[2] for path in paths})
    return " | ".join(f"'#{int(unit_id)}'" for unit_id in ids)


def _match(column: str, terms: list[str], scope: str = "") -> Q | RawSQL:
    """Every term in the folded text ``column`` (search_title or search_text); on PostgreSQL,
    within the subtrees of ``scope`` (``scope_lexemes``) when given."""
    if connection.vendor == "postgresql":
        vector = {"search_title": "title_vector", "search_text": "search_vector"}[column]
        query, params = "to_tsquery('simple', %s)", [" & ".join(terms)]
        if scope:
            query += " && %s::tsquery"
            params.append(f"({scope})")
        return RawSQL(  # noqa: S611 - the column is one of two names; the words are parameters
            f'"documents_document"."{vector}" @@ ({query})',
            params,
            output_field=BooleanField(),
        )
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{column}__contains": term})
    return condition


class Results:
    """Search results in rank order, sliced lazily (one or two queries a page)."""

    def __init__(self, documents: QuerySet[Document], terms: list[str], scope: str = "") -> None:
        self.documents = documents.select_related("unit")
        self.terms = terms
        newest = ("-created_at", "-id")
        if terms:
            self.tiers = [
                self.documents.filter(_match("search_title", terms, scope)).order_by(*newest),
                self.documents.filter(_match("search_text", terms, scope))
                .exclude(_match("search_title", terms))
                .order_by(*newest),
            ]
        else:
            self.tiers = [self.documents.order_by(*newest)]
        self._count: int | None = None

    def count(self) -> int:
        """How many match, up to COUNT_LIMIT (see ``more``)."""
        if self._count is None:
            total = 0
            for tier in self.tiers:
                total += tier.values("pk")[: COUNT_LIMIT + 1 - total].count()
                if total > COUNT_LIMIT:
                    break
            self._count = min(total, COUNT_LIMIT + 1)
        return min(self._count, COUNT_LIMIT)

    @property
    def more(self) -> bool:
        """Whether more than COUNT_LIMIT documents match (the count stops there)."""
        self.count()
        return bool(self._count and self._count > COUNT_LIMIT)

    def __len__(self) -> int:
        return self.count()

    def _slice(self, start: int, stop: int) -> list[Document]:
        found: list[Document] = []
        skip = start
        for rank, tier in enumerate(self.tiers):
            want = stop - start - len(found)
            if want <= 0:
                break
            rows = list(tier[skip : skip + want])
            if len(rows) < want and skip:
                # fewer than skipped + wanted here: the next tier starts after this one's end
                skip = max(0, skip - tier.values("pk")[: skip + want].count())
            else:
                skip = 0
            for row in rows:
                row.rank = float(len(self.tiers) - rank)
            found.extend(rows)
        return found

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            start = key.start or 0
            stop = key.stop if key.stop is not None else COUNT_LIMIT
            return self._slice(start, stop)
        rows = self._slice(key, key + 1)
        if not rows:
            raise IndexError(key)
        return rows[0]

    def __iter__(self) -> Iterator[Document]:
        return iter(self._slice(0, COUNT_LIMIT))


def search(user: Any, q: str = "", filters: Filters | None = None) -> Results:
    """Documents in the user's scope matching ``q`` and ``filters``, best first."""
    terms = words(q)
    scope = scope_lexemes(user) if terms and connection.vendor == "postgresql" else ""
    return Results(_filtered(user, filters or Filters()), terms, scope)
