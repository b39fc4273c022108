"""Import and export of units (CSV and XLSX). Imports are all-or-nothing.

Columns: code, name, abbreviation, kind, parent code, valid from. Headers are
matched in English or Vietnamese, with or without diacritics, in any order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import MANAGE_ORG
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.models import AuditEntry
from congdoan.core.tabular import (
    RowError,
    TableError,
    parse_date,
    read_table,
    write_csv,
    write_xlsx,
)
from congdoan.core.text import fold, nfc
from congdoan.org.models import EventUnit, RestructuringEvent, Unit, UnitKind, UnitVersion

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "mã", "mã đơn vị"),
    "name": ("name", "tên", "tên đơn vị"),
    "abbreviation": ("abbreviation", "viết tắt", "tên viết tắt"),
    "kind": ("kind", "loại", "loại đơn vị", "cấp"),
    "parent_code": ("parent code", "parent", "mã cấp trên", "mã đơn vị cấp trên", "cấp trên"),
    "valid_from": ("valid from", "hiệu lực từ", "ngày thành lập", "từ ngày"),
}
REQUIRED = ("code", "name", "kind", "parent_code", "valid_from")
EXPORT_HEADERS = ["Mã", "Tên", "Viết tắt", "Loại", "Mã cấp trên", "Hiệu lực từ"]

BATCH = 2000


@dataclass
class PlannedUnit:
    row: int
    code: str
    name: str
    abbreviation: str
    kind: UnitKind
    parent_code: str
    valid_from: dt.date


@dataclass
class ImportPlan:
    units: list[PlannedUnit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _kind_lookup() -> dict[str, UnitKind]:
    lookup: dict[str, UnitKind] = {}
    for kind in UnitKind.objects.all():
        lookup[fold(kind.code)] = kind
        lookup[fold(kind.name)] = kind
    return lookup


def plan_import(filename: str, data: bytes, actor: Any = None) -> ImportPlan:
    """Read and check the whole file; nothing is written. Every bad row is reported."""
    plan = ImportPlan()
    try:
        table = read_table(filename, data, COLUMNS, REQUIRED)
    except TableError as exc:
        plan.errors = exc.errors
        return plan
    kinds = _kind_lookup()
    col = {name: _column_label(name) for name in COLUMNS}
    seen: dict[str, int] = {}
    rows: list[PlannedUnit] = []
    for number, values in table.rows:
        errors_before = len(plan.errors)
        code = nfc(str(values.get("code") or ""))
        name = nfc(str(values.get("name") or ""))
        parent_code = nfc(str(values.get("parent_code") or ""))
        if not code:
            plan.errors.append(RowError(number, col["code"], _("The code is empty.")))
        elif code in seen:
            plan.errors.append(
                RowError(
                    number,
                    col["code"],
                    _("Code “%(code)s” is repeated (first on row %(row)s).")
                    % {"code": code, "row": seen[code]},
                )
            )
        else:
            seen[code] = number
        if not name:
            plan.errors.append(RowError(number, col["name"], _("The name is empty.")))
        kind = kinds.get(fold(str(values.get("kind") or "")))
        if kind is None:
            plan.errors.append(
                RowError(
                    number,
                    col["kind"],
                    _("Unknown unit kind “%(kind)s”.") % {"kind": values.get("kind") or ""},
                )
            )
        try:
            valid_from = parse_date(values.get("valid_from"))
        except (ValueError, OverflowError):
            plan.errors.append(
                RowError(
                    number,
                    col["valid_from"],
                    _("“%(value)s” is not a date (use dd/mm/yyyy).")
                    % {"value": values.get("valid_from") or ""},
                )
            )
            valid_from = None
        if len(plan.errors) == errors_before:
            rows.append(
                PlannedUnit(
                    number,
                    code,
                    name,
                    nfc(str(values.get("abbreviation") or "")),
                    kind,
                    parent_code,
                    valid_from,
                )
            )
    _check_against_database(plan, rows, col, actor)
    if not plan.errors:
        plan.units = _topological(rows)
    return plan


def _column_label(name: str) -> str:
    return COLUMNS[name][1].capitalize() if len(COLUMNS[name]) > 1 else name


def _check_against_database(
    plan: ImportPlan, rows: list[PlannedUnit], col: dict[str, str], actor: Any
) -> None:
    codes = {r.code for r in rows}
    parent_codes = {r.parent_code for r in rows if r.parent_code and r.parent_code not in codes}
    existing = (
        set(Unit.objects.filter(code__in=list(codes)).values_list("code", flat=True))
        if codes
        else set()
    )
    parents = {u.code: u for u in Unit.objects.filter(code__in=list(parent_codes))}
    by_code = {r.code: r for r in rows}
    has_root = Unit.objects.filter(parent__isnull=True).exists()
    root_rows = [r for r in rows if not r.parent_code]
    allowed_root = None if has_root or not root_rows else root_rows[0]
    for r in rows:
        if r.code in existing:
            plan.errors.append(
                RowError(
                    r.row,
                    col["code"],
                    _("A unit with code “%(code)s” already exists.") % {"code": r.code},
                )
            )
        if not r.parent_code:
            if r is not allowed_root:
                plan.errors.append(
                    RowError(r.row, col["parent_code"], _("The parent code is empty."))
                )
            continue
        if r.parent_code in by_code:
            parent_row = by_code[r.parent_code]
            if parent_row.valid_from > r.valid_from:
                plan.errors.append(
                    RowError(
                        r.row,
                        col["valid_from"],
                        _("The parent “%(code)s” starts later than this unit.")
                        % {"code": r.parent_code},
                    )
                )
            continue
        parent = parents.get(r.parent_code)
        if parent is None:
            plan.errors.append(
                RowError(
                    r.row,
                    col["parent_code"],
                    _("Unknown parent unit “%(code)s”.") % {"code": r.parent_code},
                )
            )
        elif not parent.alive_on(r.valid_from):
            plan.errors.append(
                RowError(
                    r.row,
                    col["parent_code"],
                    _("The parent “%(code)s” is not alive on %(date)s.")
                    % {"code": r.parent_code, "date": r.valid_from.strftime("%d/%m/%Y")},
                )
            )
        elif actor is not None and not can(actor, MANAGE_ORG, parent.path):
            plan.errors.append(
                RowError(
                    r.row,
                    col["parent_code"],
                    _("You have no right to add units under “%(code)s”.") % {"code": r.parent_code},
                )
            )
    # Cycles among the file's own rows.
    for r in rows:
        seen: set[str] = set()
        current = r
        while current is not None and current.parent_code in by_code:
            if current.code in seen:
                plan.errors.append(
                    RowError(
                        r.row,
                        col["parent_code"],
                        _("Unit “%(code)s” is its own ancestor (a cycle).") % {"code": r.code},
                    )
                )
                break
            seen.add(current.code)
            current = by_code[current.parent_code]
    plan.errors.sort(key=lambda e: (e.row, e.column))


def _topological(rows: list[PlannedUnit]) -> list[PlannedUnit]:
    by_code = {r.code: r for r in rows}
    depth: dict[str, int] = {}

    def level(r: PlannedUnit) -> int:
        chain = []
        current = r
        while current.code not in depth and current.parent_code in by_code:
            chain.append(current)
            current = by_code[current.parent_code]
        base = depth.get(current.code, 0)
        if current.code not in depth:
            depth[current.code] = 0
        for item in reversed(chain):
            base += 1
            depth[item.code] = base
        return depth[r.code]

    return sorted(rows, key=lambda r: (level(r), r.row))


def apply_import(
    plan: ImportPlan,
    *,
    actor: Any = None,
    source_name: str = "",
    progress: Callable[[int, int], None] | None = None,
) -> RestructuringEvent:
    """Write a checked plan in one transaction: units, their first versions and one event."""
    if not plan.ok:
        raise ValueError("the plan has errors")
    if actor is not None:
        for unit in Unit.objects.filter(code__in={u.parent_code for u in plan.units}):
            if not can(actor, MANAGE_ORG, unit.path):
                raise PermissionDenied
    total = len(plan.units)
    with transaction.atomic():
        event = RestructuringEvent.objects.create(
            kind=RestructuringEvent.Kind.CREATE,
            effective_date=min(u.valid_from for u in plan.units),
            legal_basis=_("Imported from file %(name)s") % {"name": source_name or "?"},
            summary=_("Imported %(n)s units") % {"n": total},
            payload={"import": source_name, "count": total},
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        known: dict[str, Unit] = {
            u.code: u
            for u in Unit.objects.filter(code__in={p.parent_code for p in plan.units}).only(
                "id", "code", "path", "depth"
            )
        }
        done = 0
        for start in range(0, total, BATCH):
            batch = plan.units[start : start + BATCH]
            # Rows are sorted parents first, so a parent in this batch precedes its children;
            # create level by level within the batch to know the parent's path.
            pending = list(batch)
            while pending:
                ready = [p for p in pending if not p.parent_code or p.parent_code in known]
                created = Unit.objects.bulk_create(
                    [
                        Unit(
                            code=p.code,
                            name=p.name,
                            name_folded=fold(p.name),
                            abbreviation=p.abbreviation,
                            kind=p.kind,
                            parent=known.get(p.parent_code),
                            valid_from=p.valid_from,
                            path="/",
                        )
                        for p in ready
                    ]
                )
                for p, unit in zip(ready, created, strict=True):
                    parent = known.get(p.parent_code)
                    unit.path = (parent.path if parent else "/") + f"{unit.pk}/"
                    unit.depth = unit.path.count("/") - 2
                    known[p.code] = unit
                Unit.objects.bulk_update(created, ["path", "depth"])
                UnitVersion.objects.bulk_create(
                    [
                        UnitVersion(
                            unit=unit,
                            valid_from=unit.valid_from,
                            name=unit.name,
                            abbreviation=unit.abbreviation,
                            kind=unit.kind,
                            parent=unit.parent,
                            event=event,
                        )
                        for unit in created
                    ]
                )
                EventUnit.objects.bulk_create(
                    [EventUnit(event=event, unit=u, role=EventUnit.Role.CREATED) for u in created]
                )
                pending = [p for p in pending if p not in ready]
            done += len(batch)
            if progress:
                progress(done, total)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=event,
            scope_path="/",
            changes={"units": [None, total]},
            message=source_name,
        )
    return event


def export_rows(units: Any) -> list[list[Any]]:
    rows = []
    for unit in units.select_related("kind", "parent").order_by("depth", "code"):
        rows.append(
            [
                unit.code,
                unit.name,
                unit.abbreviation,
                unit.kind.code,
                unit.parent.code if unit.parent else "",
                unit.valid_from,
            ]
        )
    return rows


def export_units(units: Any, fmt: str) -> bytes:
    rows = export_rows(units)
    if fmt == "csv":
        return write_csv(EXPORT_HEADERS, rows)
    if fmt == "xlsx":
        return write_xlsx(EXPORT_HEADERS, rows, title="Đơn vị")
    raise ValueError(fmt)
