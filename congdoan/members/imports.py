"""Import and export of union members (CSV and XLSX). Imports are all-or-nothing.

Reading
-------
``plan_import`` reads the whole file and checks every row without writing anything; it
returns a ``MemberImportPlan`` listing the members to create, the members to update (with
what changes), how many rows change nothing, every bad row (row number as Excel shows
it, the column as the file names it, the reason) and the warnings (a possible duplicate:
the same name and date of birth in another union). ``apply_import`` writes a plan without
errors in one transaction.

Matching a row with a recorded member: by CCCD when the row has one, else by union card
number, else by the folded name, date of birth and union. A row whose CCCD or card
belongs to a member of another union is refused: that is the same person, to transfer.
An empty cell in an optional column keeps what is recorded (clearing a value is done in
the member's form); a year of birth alone does not overwrite a full date of that year.

Columns are matched with or without diacritics, in any order (``COLUMNS``); the export
writes exactly the import's headers, so exporting and importing again changes nothing.
The union column ("Mã công đoàn cơ sở") is optional: without it every row goes to the
unit the import runs under, which must then be a grassroots union.

Scale: lookups go by sets (CCCDs, card numbers, name and date of birth pairs), never one
query per row. On PostgreSQL new members are written with ``COPY``; elsewhere with
``bulk_create`` in batches.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.permissions import MANAGE_MEMBERS
from congdoan.accounts.selectors import can
from congdoan.core import audit
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry
from congdoan.core.tabular import (
    RowError,
    TableError,
    annotate_workbook,
    parse_date_or_year,
    read_table,
    write_csv,
    write_xlsx,
)
from congdoan.core.text import fold, name_sort_string, nfc
from congdoan.members.models import (
    PROFILE_FIELDS,
    DuplicateFlag,
    Member,
    Membership,
    Status,
    given_folded,
    reversed_words,
)
from congdoan.members.selectors import mask
from congdoan.members.services import MEMBER_FIELDS
from congdoan.members.validation import clean_cccd_text, clean_member, sex_label
from congdoan.org.models import Unit

Progress = Callable[[int, int], None]

# Canonical name (the Member field, or unit_code) → accepted headers. The first is the
# header the export and the template write.
COLUMNS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "họ tên", "full name", "name"),
    "birth_date": ("Ngày sinh", "ngày tháng năm sinh", "năm sinh", "date of birth", "birth date"),
    "sex": ("Giới tính", "sex", "gender"),
    "cccd": ("Số CCCD", "CCCD", "số căn cước", "số căn cước công dân", "căn cước công dân"),
    "ethnicity": ("Dân tộc", "ethnicity"),
    "religion": ("Tôn giáo", "religion"),
    "hometown": ("Quê quán", "hometown"),
    "phone": ("Số điện thoại", "điện thoại", "phone"),
    "email": ("Email", "e-mail", "thư điện tử"),
    "education": ("Trình độ văn hóa", "văn hóa", "education"),
    "qualification": ("Trình độ chuyên môn", "chuyên môn", "qualification"),
    "job": ("Nghề nghiệp", "công việc", "job"),
    "workplace": ("Nơi làm việc", "workplace"),
    "joined_on": (
        "Ngày vào Công đoàn",
        "ngày vào CĐ",
        "ngày kết nạp",
        "ngày gia nhập công đoàn",
        "joined on",
        "date joined",
    ),
    "card_number": ("Số thẻ đoàn viên", "số thẻ", "số thẻ ĐV", "card number"),
    "unit_code": ("Mã công đoàn cơ sở", "mã CĐCS", "mã công đoàn", "union code", "unit code"),
}
LABELS: dict[str, str] = {name: aliases[0] for name, aliases in COLUMNS.items()}
REQUIRED = ("full_name", "birth_date", "sex", "joined_on")
EXPORT_HEADERS: list[str] = [LABELS[name] for name in COLUMNS]
PERSONAL_COLUMNS = ("cccd", "phone")  # left out of an export without personal data
ERROR_HEADER = "Lỗi"
SHEET_TITLE = "Đoàn viên"

TEXT_FIELDS = (
    "full_name",
    "ethnicity",
    "religion",
    "hometown",
    "email",
    "education",
    "qualification",
    "job",
    "workplace",
    "card_number",
)
BATCH = 2000  # rows per bulk_create / bulk_update
COPY_BATCH = 20000  # rows per COPY statement (progress is reported between them)
LOOKUP_CHUNK = 2000  # values per IN (...) lookup
ARRAY_CHUNK = 200_000  # values per lookup on PostgreSQL (one array parameter)
PAIR_CHUNK = 400  # (name, birth date) pairs per lookup elsewhere
PROGRESS_EVERY = 5000  # rows between progress reports when checking big files


# --- the plan -----------------------------------------------------------------------------


@dataclass(slots=True)
class PlannedMember:
    """One row of the file that will create or change a member.

    ``values`` holds the member's clean field values as they will be after the import;
    ``member`` is the recorded member an update changes (None for a new member) and
    ``changes`` what changes, ``{field: [before, after]}``.
    """

    row: int
    unit: Unit
    values: dict[str, Any]
    member: Member | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    duplicates: list[int] = field(default_factory=list)  # possible duplicates: member ids
    duplicate_rows: list[int] = field(default_factory=list)  # ... earlier rows of the file

    @property
    def is_new(self) -> bool:
        return self.member is None

    @property
    def full_name(self) -> str:
        return self.values.get("full_name", "")

    @property
    def birth_date(self) -> dt.date | None:
        return self.values.get("birth_date")

    @property
    def card_number(self) -> str:
        return self.values.get("card_number", "")

    def birth_display(self) -> str:
        birth = self.birth_date
        if birth is None:
            return ""
        return str(birth.year) if self.values.get("birth_year_only") else f"{birth:%d/%m/%Y}"

    def preview(self) -> dict[str, Any]:
        """A JSON-friendly summary for the preview page (personal data masked)."""
        return {
            "row": self.row,
            "action": "create" if self.is_new else "update",
            "action_label": _("new") if self.is_new else _("update"),
            "full_name": self.full_name,
            "birth_date": self.birth_display(),
            "sex": sex_label(self.values.get("sex", "")),
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "card_number": self.card_number,
            "changes": {
                LABELS.get(name, name): [_display(name, old), _display(name, new)]
                for name, (old, new) in self.changes.items()
            },
        }


@dataclass
class MemberImportPlan:
    unit: Unit  # the unit the import runs under
    creates: list[PlannedMember] = field(default_factory=list)
    updates: list[PlannedMember] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    total_rows: int = 0  # data rows read (empty rows not counted)
    columns: list[str] = field(default_factory=list)  # canonical names found in the file

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def flagged(self) -> int:
        return sum(1 for p in self.creates if p.duplicates or p.duplicate_rows)


def _display(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in PERSONAL_COLUMNS:
        return mask(str(value))
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if name == "sex":
        return sex_label(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


@dataclass(slots=True)
class _Row:
    row: int
    clean: dict[str, Any]
    union: Unit
    folded: str  # the folded full name
    match: Member | _Known | None = None
    match_field: str = ""  # the column that found the match


class _Unions:
    """The unions the rows name, fetched at once; each checked once."""

    def __init__(self, root: Unit, actor: Any, today: dt.date, codes: Iterable[str]) -> None:
        self.root = root
        self.actor = actor
        self.today = today
        wanted = {c for code in codes for c in (code, code.upper())}
        self.by_code: dict[str, Unit] = {}
        for chunk in _chunks(sorted(wanted), LOOKUP_CHUNK):
            for unit in Unit.objects.filter(code__in=chunk).select_related("kind"):
                self.by_code[unit.code] = unit
        self.problems: dict[int, str | None] = {}

    def get(self, code: str) -> Unit | None:
        return self.by_code.get(code) or self.by_code.get(code.upper())

    def problem(self, unit: Unit) -> str | None:
        if unit.pk not in self.problems:
            self.problems[unit.pk] = union_problem(unit, self.root, self.actor, self.today)
        return self.problems[unit.pk]


def union_problem(unit: Unit, root: Unit, actor: Any, today: dt.date) -> str | None:
    """Why members cannot be imported into ``unit`` under ``root``, or None."""
    if not unit.path.startswith(root.path):
        return _("“%(code)s” is not under “%(root)s”.") % {"code": unit.code, "root": root.name}
    if not unit.kind.is_grassroots:
        return _("“%(unit)s” (%(code)s) is not a grassroots union.") % {
            "unit": unit.name,
            "code": unit.code,
        }
    if not unit.alive_on(today):
        if unit.valid_to is not None and unit.valid_to <= today:
            return _("“%(unit)s” (%(code)s) ended on %(date)s.") % {
                "unit": unit.name,
                "code": unit.code,
                "date": f"{unit.valid_to:%d/%m/%Y}",
            }
        return _("“%(unit)s” (%(code)s) does not exist yet.") % {
            "unit": unit.name,
            "code": unit.code,
        }
    if actor is not None and not can(actor, MANAGE_MEMBERS, unit.path):
        return _("You have no right to change the members of “%(unit)s” (%(code)s).") % {
            "unit": unit.name,
            "code": unit.code,
        }
    return None


class _Memo(dict):
    """A function's values per argument, computed once: names repeat a lot."""

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: str) -> str:
        value = self[key] = self.function(key)
        return value


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _text(value: Any) -> str:
    """A cell as text: numbers without a trailing .0, dates as dd/mm/yyyy."""
    if type(value) is str:  # read_table gave it in NFC, stripped
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_MAX_LENGTHS = {
    name: Member._meta.get_field(name).max_length
    for name in TEXT_FIELDS
    if name not in ("full_name", "card_number")  # clean_member checks these two itself
}


def plan_import(
    filename: str,
    data: bytes,
    *,
    actor: Any,
    unit: Unit,
    progress: Progress | None = None,
) -> MemberImportPlan:
    """Read and check the whole file; nothing is written. Every bad row is reported."""
    plan = MemberImportPlan(unit=unit)
    try:
        table = read_table(filename, data, COLUMNS, REQUIRED, labels=LABELS)
    except TableError as exc:
        plan.errors = list(exc.errors)
        return plan
    plan.columns = list(table.headers)
    plan.total_rows = total = len(table.rows)
    label = {name: table.labels.get(name) or LABELS[name] for name in COLUMNS}
    order = {label[name]: index for index, name in enumerate(table.headers)}
    today = timezone.localdate()
    present = set(table.headers)
    has_unit_column = "unit_code" in present
    unions = _Unions(
        unit,
        actor,
        today,
        {_text(values.get("unit_code")) for _n, values in table.rows} - {""}
        if has_unit_column
        else (),
    )
    default_problem = union_problem(unit, unit, actor, today)
    if not has_unit_column and default_problem:
        plan.errors.append(
            RowError(
                1,
                LABELS["unit_code"],
                _(
                    "The column “%(column)s” is missing, so every row would go to “%(unit)s”: "
                    "%(problem)s Add the column with each member's grassroots union code."
                )
                % {"column": LABELS["unit_code"], "unit": unit.name, "problem": default_problem},
            )
        )
        return plan

    every = max(1, min(PROGRESS_EVERY, total // 20))
    text_fields = [name for name in TEXT_FIELDS if name in present]
    folds = _Memo(fold)
    seen_cccd: dict[str, int] = {}
    seen_card: dict[str, int] = {}
    rows: list[_Row] = []
    errors = plan.errors
    for done, (number, values) in enumerate(table.rows, start=1):
        if progress is not None and done % every == 0:
            progress(done, total)
        bad: dict[str, str] = {}  # field → reason
        row_data: dict[str, Any] = {}
        for name in text_fields:
            text = _text(values.get(name))
            if text:
                row_data[name] = text
                limit = _MAX_LENGTHS.get(name)
                if limit and len(text) > limit:
                    bad[name] = _("Longer than %(n)s characters.") % {"n": limit}
        if "full_name" not in row_data:
            bad["full_name"] = _("The full name is empty.")
        else:
            row_data["full_name"] = " ".join(row_data["full_name"].split())
        raw = values.get("sex")
        if _blank(raw):
            bad["sex"] = _("The sex is empty (write “Nam” or “Nữ”).")
        else:
            row_data["sex"] = raw
        raw = values.get("birth_date")
        if _blank(raw):
            bad["birth_date"] = _("The date of birth is empty.")
        else:
            try:
                row_data["birth_date"], row_data["birth_year_only"] = parse_date_or_year(raw)
            except (ValueError, OverflowError):
                bad["birth_date"] = _not_a_date(raw)
        raw = values.get("joined_on")
        if _blank(raw):
            bad["joined_on"] = _("The date of joining the union is empty.")
        else:
            try:
                row_data["joined_on"], _year_only = parse_date_or_year(raw)
            except (ValueError, OverflowError):
                bad["joined_on"] = _not_a_date(raw)
        for name in ("cccd", "phone"):
            raw = values.get(name)
            if not _blank(raw):
                row_data[name] = raw
        clean: dict[str, Any] = {}
        try:
            clean = clean_member(row_data, today=today)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                bad.setdefault(name, " ".join(messages))
        # The same CCCD or card twice in the file.
        cccd = clean_cccd_text(values.get("cccd")) if "cccd" in present else ""
        if cccd:
            first = seen_cccd.setdefault(cccd, number)
            if first != number and "cccd" not in bad:
                bad["cccd"] = _("CCCD %(cccd)s is also on row %(row)s.") % {
                    "cccd": cccd,
                    "row": first,
                }
        card = row_data.get("card_number", "")
        if card:
            first = seen_card.setdefault(card, number)
            if first != number and "card_number" not in bad:
                bad["card_number"] = _("Card number %(card)s is also on row %(row)s.") % {
                    "card": card,
                    "row": first,
                }
        union = unit
        if has_unit_column:
            code = _text(values.get("unit_code"))
            if not code:
                if default_problem:
                    bad["unit_code"] = _("The union code is empty.")
            else:
                found = unions.get(code)
                if found is None:
                    bad["unit_code"] = _("No union has the code “%(code)s”.") % {"code": code}
                else:
                    union = found
                    problem = unions.problem(found)
                    if problem:
                        bad["unit_code"] = problem
        if bad:
            errors.extend(RowError(number, label[name], reason) for name, reason in bad.items())
            continue
        rows.append(_Row(number, clean, union, folds[clean["full_name"]]))
    _match(plan, rows, label)
    if progress is not None:
        progress(total, total)
    errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    plan.warnings.sort(key=lambda e: e.row)
    return plan


def _not_a_date(value: Any) -> str:
    return _("“%(value)s” is not a date (write dd/mm/yyyy, or the year alone).") % {
        "value": _text(value)
    }


def _members_by(field_name: str, values: set[str]) -> dict[str, Member]:
    """Members by CCCD or card number, for many values at once."""
    found: dict[str, Member] = {}
    postgres = connection.vendor == "postgresql"
    column = Member._meta.get_field(field_name).column
    for chunk in _chunks(sorted(values), ARRAY_CHUNK if postgres else LOOKUP_CHUNK):
        if postgres:
            # One array parameter instead of thousands of placeholders; "<> ''" matches the
            # partial unique index (… WHERE cccd <> '').
            condition = Q(
                pk__in=RawSQL(  # noqa: S611 - values are bound; names are ours
                    f"SELECT id FROM {Member._meta.db_table}"  # noqa: S608
                    f" WHERE {column} = ANY(%s::varchar[]) AND {column} <> ''",
                    (chunk,),
                )
            )
        else:
            condition = Q(**{f"{field_name}__in": chunk})
        for member in Member.objects.filter(condition).select_related("unit").order_by():
            found[getattr(member, field_name)] = member
    return found


@dataclass(frozen=True, slots=True)
class _Known:
    """A recorded member as the name and birth date search needs them (no full object)."""

    pk: int
    full_name: str
    name_folded: str
    birth_date: dt.date
    unit_id: int
    status: str
    cccd: str
    card_number: str
    unit_name: str
    unit_code: str


_KNOWN_FIELDS = (
    "pk",
    "full_name",
    "name_folded",
    "birth_date",
    "unit_id",
    "status",
    "cccd",
    "card_number",
    "unit__name",
    "unit__code",
)


def _members_by_pairs(pairs: set[tuple[str, dt.date]]) -> dict[tuple[str, dt.date], list[_Known]]:
    """Members by (folded name, date of birth), for many pairs at once."""
    found: dict[tuple[str, dt.date], list[_Known]] = defaultdict(list)
    ordered = sorted(pairs)
    if connection.vendor == "postgresql":
        table = Member._meta.db_table
        for chunk in _chunks(ordered, ARRAY_CHUNK):
            ids = RawSQL(  # noqa: S611 - values are bound; the table name is ours
                f"SELECT m.id FROM {table} m"  # noqa: S608
                " JOIN unnest(%s::varchar[], %s::date[]) AS k(n, d)"
                " ON m.name_folded = k.n AND m.birth_date = k.d",
                ([name for name, _d in chunk], [day for _n, day in chunk]),
            )
            for values in Member.objects.filter(pk__in=ids).order_by().values_list(*_KNOWN_FIELDS):
                known = _Known(*values)
                found[(known.name_folded, known.birth_date)].append(known)
        return found
    for chunk in _chunks(ordered, PAIR_CHUNK):
        wanted = set(chunk)
        candidates = (
            Member.objects.filter(
                name_folded__in={name for name, _d in chunk},
                birth_date__in={day for _n, day in chunk},
            )
            .order_by()
            .values_list(*_KNOWN_FIELDS)
        )
        for values in candidates:
            known = _Known(*values)
            key = (known.name_folded, known.birth_date)
            if key in wanted:
                found[key].append(known)
    return found


def _compatible(member: Member | _Known, clean: dict[str, Any]) -> bool:
    """A recorded member could be the row's person: no identifier says otherwise."""
    for name in ("cccd", "card_number"):
        mine, theirs = clean.get(name) or "", getattr(member, name)
        if mine and theirs and mine != theirs:
            return False
    return True


def _who(member: Member | _Known) -> dict[str, str]:
    if isinstance(member, _Known):
        return {"name": member.full_name, "unit": member.unit_name, "code": member.unit_code}
    return {"name": member.full_name, "unit": member.unit.name, "code": member.unit.code}


def _match(plan: MemberImportPlan, rows: list[_Row], label: dict[str, str]) -> None:
    """Find each row's recorded member, then sort the rows into creates, updates, unchanged."""
    errors = plan.errors
    by_cccd = _members_by("cccd", {r.clean["cccd"] for r in rows if r.clean.get("cccd")})
    by_card = _members_by(
        "card_number", {r.clean["card_number"] for r in rows if r.clean.get("card_number")}
    )
    bad_rows: set[int] = set()

    def refuse(r: _Row, name: str, message: str) -> None:
        errors.append(RowError(r.row, label[name], message))
        bad_rows.add(r.row)

    unmatched: list[_Row] = []
    for r in rows:
        cccd, card = r.clean.get("cccd") or "", r.clean.get("card_number") or ""
        holder_c = by_cccd.get(cccd) if cccd else None
        holder_k = by_card.get(card) if card else None
        if holder_k is not None and (
            (holder_c is not None and holder_c.pk != holder_k.pk)
            or (holder_c is None and not _compatible(holder_k, r.clean))
        ):
            refuse(
                r,
                "card_number",
                _("Card number %(card)s is held by another member: %(name)s of %(unit)s.")
                % {"card": card, **_who(holder_k)},
            )
            continue
        if holder_c is not None:
            r.match, r.match_field = holder_c, "cccd"
        elif holder_k is not None:
            r.match, r.match_field = holder_k, "card_number"
        else:
            unmatched.append(r)
    pairs = _members_by_pairs({(r.folded, r.clean["birth_date"]) for r in unmatched})
    for r in unmatched:
        key = (r.folded, r.clean["birth_date"])
        same_union = [
            m for m in pairs.get(key, ()) if m.unit_id == r.union.pk and _compatible(m, r.clean)
        ]
        if len(same_union) > 1:
            refuse(
                r,
                "full_name",
                _(
                    "%(n)s members of %(unit)s have this name and date of birth; give the CCCD "
                    "or the card number to say which one this row is."
                )
                % {"n": len(same_union), "unit": r.union.name},
            )
        elif same_union:
            r.match, r.match_field = same_union[0], "full_name"
    # The members found by name and birth date are updated: fetch them whole.
    wanted = [r.match.pk for r in unmatched if isinstance(r.match, _Known)]
    whole: dict[int, Member] = {}
    for chunk in _chunks(wanted, LOOKUP_CHUNK):
        whole.update(Member.objects.select_related("unit").in_bulk(chunk))
    for r in unmatched:
        if isinstance(r.match, _Known):
            r.match = whole[r.match.pk]

    matched_rows: dict[int, int] = {}  # member id → row
    first_create: dict[tuple[str, dt.date], tuple[int, Unit]] = {}
    joined_changes: list[PlannedMember] = []
    for r in rows:
        if r.row in bad_rows:
            continue
        member = r.match
        if member is None:
            _plan_create(plan, r, pairs, first_create, label, refuse)
            continue
        if member.pk in matched_rows:
            refuse(
                r,
                r.match_field,
                _("This is the same member as row %(row)s.") % {"row": matched_rows[member.pk]},
            )
            continue
        matched_rows[member.pk] = r.row
        if member.unit_id != r.union.pk:
            if r.match_field == "cccd":
                message = _(
                    "CCCD %(value)s is already recorded for %(name)s, a member of %(unit)s "
                    "(%(code)s): transfer that member instead of importing them again."
                )
            else:
                message = _(
                    "Card number %(value)s is already held by %(name)s, a member of %(unit)s "
                    "(%(code)s): transfer that member instead of importing them again."
                )
            refuse(r, r.match_field, message % {"value": r.clean[r.match_field], **_who(member)})
            continue
        planned = _plan_update(r, member, label, refuse)
        if planned is None:
            continue
        if planned.changes:
            plan.updates.append(planned)
            if "joined_on" in planned.changes:
                joined_changes.append(planned)
        else:
            plan.unchanged += 1
    _check_history(plan, joined_changes, label)


def _plan_create(
    plan: MemberImportPlan,
    r: _Row,
    pairs: dict[tuple[str, dt.date], list[_Known]],
    first_create: dict[tuple[str, dt.date], tuple[int, Unit]],
    label: dict[str, str],
    refuse: Callable[[_Row, str, str], None],
) -> None:
    clean = r.clean
    if clean["joined_on"] < r.union.valid_from:
        refuse(
            r,
            "joined_on",
            _("%(unit)s was founded on %(date)s, after this date of joining.")
            % {"unit": r.union.name, "date": f"{r.union.valid_from:%d/%m/%Y}"},
        )
        return
    planned = PlannedMember(r.row, r.union, {**clean, "name_folded": r.folded})
    key = (r.folded, clean["birth_date"])
    for other in pairs.get(key, ()):
        if other.status == Status.ACTIVE and other.unit_id != r.union.pk:
            planned.duplicates.append(other.pk)
            plan.warnings.append(
                RowError(
                    r.row,
                    label["full_name"],
                    _(
                        "%(name)s, born %(birth)s, is already a member of %(unit)s (%(code)s): "
                        "possibly the same person. The two will be flagged for review."
                    )
                    % {**_who(other), "birth": f"{other.birth_date:%d/%m/%Y}"},
                )
            )
    earlier = first_create.setdefault(key, (r.row, r.union))
    if earlier[0] != r.row and earlier[1].pk != r.union.pk:
        planned.duplicate_rows.append(earlier[0])
        plan.warnings.append(
            RowError(
                r.row,
                label["full_name"],
                _(
                    "Row %(row)s has the same name and date of birth in %(unit)s: possibly the "
                    "same person. The two will be flagged for review."
                )
                % {"row": earlier[0], "unit": earlier[1].name},
            )
        )
    plan.creates.append(planned)


def _plan_update(
    r: _Row,
    member: Member,
    label: dict[str, str],
    refuse: Callable[[_Row, str, str], None],
) -> PlannedMember | None:
    before = {name: getattr(member, name) for name in MEMBER_FIELDS}
    after = dict(before)
    after.update(r.clean)
    if (
        after.get("birth_year_only")
        and not before["birth_year_only"]
        and before["birth_date"].year == after["birth_date"].year
    ):
        # The file knows the year only: keep the full date on record.
        after["birth_date"], after["birth_year_only"] = before["birth_date"], False
    if after == before:
        return PlannedMember(r.row, r.union, after, member)
    try:
        after = clean_member(after)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            refuse(r, name if name in label else "full_name", " ".join(messages))
        return None
    changes = {
        name: [before[name], after[name]] for name in MEMBER_FIELDS if before[name] != after[name]
    }
    return PlannedMember(r.row, r.union, after, member, changes)


def _check_history(
    plan: MemberImportPlan, planned: list[PlannedMember], label: dict[str, str]
) -> None:
    """The date of joining opens the first period; it cannot move after a transfer."""
    if not planned:
        return
    periods: dict[int, dict[str, Any]] = {}
    ids = [p.member.pk for p in planned if p.member is not None]
    for chunk in _chunks(ids, LOOKUP_CHUNK):
        for row in (
            Membership.objects.filter(member_id__in=chunk)
            .values("member_id")
            .annotate(n=Count("id"), until=Max("valid_to"))
        ):
            periods[row["member_id"]] = row
    refused: set[int] = set()
    for p in planned:
        info = periods.get(p.member.pk, {"n": 0, "until": None})
        joined = p.values["joined_on"]
        message = ""
        if info["n"] > 1:
            message = _(
                "The date of joining cannot change after a transfer; correct the history first."
            )
        elif info["until"] is not None and joined > info["until"]:
            message = _("The membership ended on %(date)s, before this date of joining.") % {
                "date": f"{info['until']:%d/%m/%Y}"
            }
        if message:
            plan.errors.append(RowError(p.row, label["joined_on"], message))
            refused.add(p.row)
    if refused:
        plan.updates = [p for p in plan.updates if p.row not in refused]


# --- writing ------------------------------------------------------------------------------


def apply_import(
    plan: MemberImportPlan,
    *,
    actor: Any,
    source_name: str,
    progress: Progress | None = None,
    method: str = "auto",
) -> dict[str, int]:
    """Write a checked plan in one transaction: all of it or nothing.

    New members get their first membership period (started by the import, from their date
    of joining); updates change only what the plan says; possible duplicates are flagged;
    one audit entry records the import. ``method`` is "copy" (PostgreSQL ``COPY``),
    "bulk" (``bulk_create``) or "auto" (``COPY`` on PostgreSQL). Returns the counts
    ``created``, ``updated``, ``unchanged``, ``flagged``.
    """
    if not plan.ok:
        raise ValueError("the plan has errors")
    if method == "auto":
        method = "copy" if connection.vendor == "postgresql" else "bulk"
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL")
    if actor is not None:
        checked: set[int] = set()
        for planned in itertools.chain(plan.creates, plan.updates):
            if planned.unit.pk in checked:
                continue
            if not can(actor, MANAGE_MEMBERS, planned.unit.path):
                raise PermissionDenied(
                    _("You have no right to change the members of “%s”.") % planned.unit.name
                )
            checked.add(planned.unit.pk)
    total = len(plan.creates) + len(plan.updates)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    recorded_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        if method == "copy":
            new_ids = _copy_members(plan.creates, recorded_by, advance)
        else:
            new_ids = _bulk_create_members(plan.creates, recorded_by, advance)
        _apply_updates(plan.updates, advance)
        flagged = _flag(plan.creates, new_ids)
        counts = {
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": plan.unchanged,
            "flagged": flagged,
        }
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=plan.unit,
            scope_path=plan.unit.path,
            changes={
                **{name: [None, value] for name, value in counts.items()},
                "updated_members": {
                    str(p.member.pk): sorted(p.changes) for p in plan.updates[:1000] if p.member
                },
            },
            message=_("Members imported from %(name)s") % {"name": source_name or "?"},
        )
    return counts


def _new_member_fields(p: PlannedMember, sort_strings: _Memo) -> dict[str, Any]:
    values = dict(p.values)
    values["unit_id"] = p.unit.pk
    if "name_folded" not in values:
        values["name_folded"] = fold(values["full_name"])
    values["given_folded"] = given_folded(values["name_folded"])
    values["name_reversed"] = reversed_words(values["name_folded"])
    values["name_sort"] = sort_strings[values["full_name"]]
    return values


def _bulk_create_members(
    creates: list[PlannedMember], recorded_by: Any, advance: Callable[[int], None]
) -> list[int]:
    sort_strings = _Memo(name_sort_string)
    ids: list[int] = []
    for batch in _chunks(creates, BATCH):
        members = Member.objects.bulk_create(
            [Member(**_new_member_fields(p, sort_strings)) for p in batch]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    member_id=member.pk,
                    unit_id=member.unit_id,
                    valid_from=member.joined_on,
                    start=Membership.Start.IMPORTED,
                    recorded_by=recorded_by,
                    **member.profile(),
                )
                for member in members
            ]
        )
        ids.extend(member.pk for member in members)
        advance(len(batch))
    return ids


def _copy_layout(model: type, skip: set[str]) -> tuple[list[Any], dict[str, Any], list[Any]]:
    """A model's columns for COPY: the fields, their fixed defaults, the computed defaults."""
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    now = timezone.now()
    fixed: dict[str, Any] = {}
    computed = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed[f.attname] = now
        elif f.has_default() and callable(f.default):
            computed.append(f)
        else:  # the default, or what Django writes without one ("" for text, else NULL)
            fixed[f.attname] = f.get_default()
    return fields, fixed, computed


def _copy_members(
    creates: list[PlannedMember], recorded_by: Any, advance: Callable[[int], None]
) -> list[int]:
    """PostgreSQL: ids from the table's sequence, then members and their periods by COPY."""
    if not creates:
        return []
    member_table = Member._meta.db_table
    period_table = Membership._meta.db_table
    member_fields, member_fixed, member_computed = _copy_layout(Member, set())
    period_fields, period_fixed, _computed = _copy_layout(Membership, {"id"})
    quote = connection.ops.quote_name
    member_sql = (
        f"COPY {quote(member_table)} ({', '.join(quote(f.column) for f in member_fields)})"
        " FROM STDIN"
    )
    period_sql = (
        f"COPY {quote(period_table)} ({', '.join(quote(f.column) for f in period_fields)})"
        " FROM STDIN"
    )
    period_fixed.update(
        valid_to=None,
        start=Membership.Start.IMPORTED,
        recorded_by_id=recorded_by.pk if recorded_by is not None else None,
    )
    member_names = [f.attname for f in member_fields]
    period_names = [f.attname for f in period_fields]
    sort_strings = _Memo(name_sort_string)
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        wrapper.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [member_table, len(creates)],
        )
        ids = [row[0] for row in wrapper.fetchall()]
        cursor = wrapper.cursor  # psycopg's own cursor
        for start in range(0, len(creates), COPY_BATCH):
            batch = creates[start : start + COPY_BATCH]
            batch_ids = ids[start : start + COPY_BATCH]
            periods = []
            with cursor.copy(member_sql) as copy:
                for p, pk in zip(batch, batch_ids, strict=True):
                    values = dict(member_fixed)
                    values.update(_new_member_fields(p, sort_strings))
                    values["id"] = pk
                    for f in member_computed:
                        values[f.attname] = f.get_default()
                    copy.write_row([values[name] for name in member_names])
                    period = dict(period_fixed)
                    period.update(member_id=pk, unit_id=p.unit.pk, valid_from=values["joined_on"])
                    period.update((name, values[name]) for name in PROFILE_FIELDS)
                    periods.append([period[name] for name in period_names])
            with cursor.copy(period_sql) as copy:
                for period in periods:
                    copy.write_row(period)
            advance(len(batch))
    return ids


def _apply_updates(updates: list[PlannedMember], advance: Callable[[int], None]) -> None:
    now = timezone.now()
    for batch in _chunks(updates, BATCH):
        names: set[str] = set()
        members = []
        for p in batch:
            member = p.member
            assert member is not None
            for name, (_before, after) in p.changes.items():
                setattr(member, name, after)
            names.update(p.changes)
            if "full_name" in p.changes:
                member.name_folded = fold(member.full_name)
                member.given_folded = given_folded(member.name_folded)
                member.name_reversed = reversed_words(member.name_folded)
                member.name_sort = name_sort_string(member.full_name)
                names.update(("name_folded", "given_folded", "name_reversed", "name_sort"))
            member.updated_at = now
            members.append(member)
        Member.objects.bulk_update(members, [*sorted(names), "updated_at"])
        for p in batch:
            if "joined_on" in p.changes:  # only for a member with one period (checked)
                Membership.objects.filter(member_id=p.member.pk).update(
                    valid_from=p.values["joined_on"]
                )
        changed = [p.member.pk for p in batch if not p.changes.keys().isdisjoint(PROFILE_FIELDS)]
        if changed:  # the periods' copies of the changed figures, in one statement
            same_member = Member.objects.filter(pk=OuterRef("member_id"))
            Membership.objects.filter(member_id__in=changed).update(
                **{name: Subquery(same_member.values(name)[:1]) for name in PROFILE_FIELDS}
            )
        advance(len(batch))


def _flag(creates: list[PlannedMember], new_ids: list[int]) -> int:
    by_row = {p.row: pk for p, pk in zip(creates, new_ids, strict=True)}
    pairs: set[tuple[int, int]] = set()
    for p, pk in zip(creates, new_ids, strict=True):
        others = [*p.duplicates, *(by_row[row] for row in p.duplicate_rows if row in by_row)]
        for other in others:
            if other != pk:
                pairs.add((min(pk, other), max(pk, other)))
    DuplicateFlag.objects.bulk_create(
        [DuplicateFlag(member_id=low, other_id=high) for low, high in sorted(pairs)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(pairs)


# --- summaries, error workbook, template, export -------------------------------------------


def plan_summary(
    plan: MemberImportPlan, *, max_errors: int = 200, max_preview: int = 50
) -> dict[str, Any]:
    """The plan as JSON for a Job's result: counts, the first errors, warnings and a preview.

    Keys: ``ok``, ``unit`` (code), ``total_rows``, ``counts`` (rows, create, update,
    unchanged, errors, warnings), ``errors`` and ``warnings`` (``{"row", "column",
    "message"}``), ``creates`` and ``updates`` (first ``max_preview`` of each, see
    ``PlannedMember.preview``) and ``preview`` (the first ``max_preview`` of both, by row).
    """
    creates = [p.preview() for p in plan.creates[:max_preview]]
    updates = [p.preview() for p in plan.updates[:max_preview]]
    return {
        "ok": plan.ok,
        "unit": plan.unit.code,
        "total_rows": plan.total_rows,
        "counts": {
            "rows": plan.total_rows,
            "create": len(plan.creates),
            "update": len(plan.updates),
            "unchanged": plan.unchanged,
            "errors": len(plan.errors),
            "warnings": len(plan.warnings),
        },
        "errors": [_error_dict(e) for e in plan.errors[:max_errors]],
        "warnings": [_error_dict(e) for e in plan.warnings[:max_errors]],
        "creates": creates,
        "updates": updates,
        "preview": sorted(creates + updates, key=lambda p: p["row"])[:max_preview],
    }


def _error_dict(error: RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "message": error.message}


def error_workbook(filename: str, data: bytes, errors: list[RowError]) -> bytes:
    """The user's file as XLSX with a last column "Lỗi" saying what is wrong in each bad row."""
    notes: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        notes[error.row].append(
            f"{error.column}: {error.message}" if error.column else error.message
        )
    return annotate_workbook(filename, data, notes, header=ERROR_HEADER)


def template_workbook() -> bytes:
    """An XLSX to fill in: the headers and one example row, and a sheet "Hướng dẫn"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(EXPORT_HEADERS)
    example = {
        "full_name": "Nguyễn Thị Hoa",
        "birth_date": "15/03/1990",
        "sex": "Nữ",
        "cccd": make_cccd("010", "F", 1990, 1234),
        "ethnicity": "Kinh",
        "religion": "",
        "hometown": "Bát Xát, Lào Cai",
        "phone": "0912345678",
        "email": "hoa.nguyen@example.vn",
        "education": "12/12",
        "qualification": "Đại học Sư phạm",
        "job": "Giáo viên",
        "workplace": "Trường THCS Bản Vược",
        "joined_on": "01/09/2012",
        "card_number": "",
        "unit_code": "",
    }
    sheet.append([example[name] for name in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    text_columns = [list(COLUMNS).index(name) + 1 for name in (*PERSONAL_COLUMNS, "card_number")]
    for column in text_columns:  # keep the leading zeros Excel would drop from numbers
        for row in range(2, 1002):
            sheet.cell(row=row, column=column).number_format = "@"
    for index, header in enumerate(EXPORT_HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            14, len(header) + 4
        )
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet("Hướng dẫn")
    guide.append([_("Column"), _("Required"), _("How to write it")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    date_help = _(
        "A date as dd/mm/yyyy (for example 15/03/1990) or a date cell; the year alone "
        "(1990) when only the year is known."
    )
    notes = {
        "full_name": _("Family, middle and given names, as on the CCCD."),
        "birth_date": date_help,
        "sex": _("“Nam” or “Nữ”."),
        "cccd": _(
            "12 digits; they must agree with the year of birth and the sex. Type it as text "
            "so that Excel keeps the leading zero."
        ),
        "ethnicity": _("Empty means Kinh."),
        "religion": _("Empty when none."),
        "hometown": _("Commune or district, province."),
        "phone": _("10 digits starting with 0 (+84 is accepted)."),
        "email": _("One address."),
        "education": _("For example 12/12 or 9/12."),
        "qualification": _("For example Trung cấp, Cao đẳng, Đại học, Thạc sĩ."),
        "job": _("What the member does."),
        "workplace": _("The employer."),
        "joined_on": date_help
        + " "
        + _("The member must have been at least 15 years old, and not in the future."),
        "card_number": _("The union card number, if one was issued; unique."),
        "unit_code": _(
            "The code of the member's grassroots union. Leave the column out when every "
            "member belongs to the union you import into."
        ),
    }
    for name in COLUMNS:
        guide.append([LABELS[name], _("yes") if name in REQUIRED else "", notes[name]])
    guide.append([])
    for line in (
        _(
            "Headers may be written with or without diacritics, in any order; columns "
            "that are not needed can be left out."
        ),
        _(
            "A member already recorded is found by CCCD, else by card number, else by name, "
            "date of birth and union, and updated; an empty cell keeps what is recorded."
        ),
        _(
            "The whole file is checked before anything is written; if any row is wrong, "
            "nothing is imported and each wrong row is listed with its reason."
        ),
        _("Save a CSV as “CSV UTF-8”; Windows-1258 is accepted too."),
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 26
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_headers(*, personal: bool) -> list[str]:
    return [LABELS[name] for name in COLUMNS if personal or name not in PERSONAL_COLUMNS]


def export_rows(members: QuerySet[Member], *, personal: bool) -> Iterator[list[Any]]:
    """The members in Vietnamese name order, one list per member in ``export_headers`` order."""
    names = [name for name in COLUMNS if personal or name not in PERSONAL_COLUMNS]
    for member in (
        members.select_related("unit").order_by("name_sort", "id").iterator(chunk_size=BATCH)
    ):
        values = {
            "full_name": member.full_name,
            "birth_date": str(member.birth_date.year)
            if member.birth_year_only
            else f"{member.birth_date:%d/%m/%Y}",
            "sex": sex_label(member.sex),
            "cccd": member.cccd,
            "ethnicity": member.ethnicity,
            "religion": member.religion,
            "hometown": member.hometown,
            "phone": member.phone,
            "email": member.email,
            "education": member.education,
            "qualification": member.qualification,
            "job": member.job,
            "workplace": member.workplace,
            "joined_on": f"{member.joined_on:%d/%m/%Y}",
            "card_number": member.card_number,
            "unit_code": member.unit.code,
        }
        yield [values[name] for name in names]


def export_members(members: QuerySet[Member], fmt: str, *, personal: bool) -> bytes:
    """The members as CSV (UTF-8 with BOM) or XLSX, in the columns the import reads.

    Without ``personal`` the CCCD and phone columns are left out entirely.
    """
    headers = export_headers(personal=personal)
    rows = export_rows(members, personal=personal)
    if fmt == "csv":
        return write_csv(headers, rows)
    if fmt == "xlsx":
        return write_xlsx(headers, rows, title=SHEET_TITLE)
    raise ValueError(fmt)
