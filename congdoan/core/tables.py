"""Server-side tables with sorting and paging, rendered by components/table.html."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


@dataclass
class Column:
    key: str
    label: str
    order_by: str | None = None  # a field to sort on; None: not sortable


@dataclass
class HeaderCell:
    label: str
    url: str | None
    direction: str  # "asc", "desc" or ""


class Table:
    """Sort by ``?sort=key`` or ``?sort=-key`` and page by ``?page=N``, keeping other filters."""

    def __init__(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        columns: list[Column],
        *,
        default_sort: str = "",
        per_page: int = 50,
    ) -> None:
        self.request = request
        self.columns = columns
        sortable = {c.key: c.order_by for c in columns if c.order_by}
        sort = request.GET.get("sort", default_sort)
        key = sort.lstrip("-")
        self.sort = sort if key in sortable else default_sort
        if self.sort.lstrip("-") in sortable:
            field = sortable[self.sort.lstrip("-")]
            queryset = queryset.order_by(("-" if self.sort.startswith("-") else "") + field, "pk")
        self.paginator = Paginator(queryset, per_page)
        self.page: Page = self.paginator.get_page(request.GET.get("page"))

    def _url(self, **changes: Any) -> str:
        params = self.request.GET.copy()
        for key, value in changes.items():
            params[key] = value
        return "?" + params.urlencode()

    @property
    def headers(self) -> list[HeaderCell]:
        cells = []
        for column in self.columns:
            if not column.order_by:
                cells.append(HeaderCell(column.label, None, ""))
                continue
            direction = ""
            if self.sort == column.key:
                direction = "asc"
            elif self.sort == f"-{column.key}":
                direction = "desc"
            target = f"-{column.key}" if direction == "asc" else column.key
            cells.append(HeaderCell(column.label, self._url(sort=target, page=1), direction))
        return cells

    @property
    def previous_url(self) -> str | None:
        if self.page.has_previous():
            return self._url(page=self.page.previous_page_number())
        return None

    @property
    def next_url(self) -> str | None:
        return self._url(page=self.page.next_page_number()) if self.page.has_next() else None
