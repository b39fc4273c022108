"""Organisation at national scale on PostgreSQL: load time and the latency of the tree queries.

What it builds
--------------
A national-size tree with real history, consistent with ``congdoan.org.models``:

* 1 confederation, 34 provincial federations, 700 upper-level units (district
  federations, sector unions, industrial-zone unions) spread over the provinces;
* ``--grassroots`` grassroots unions alive today (default 140,000), most under an
  upper-level unit, about 5% directly under their province;
* ``--events`` restructuring events (default 100,000), dated 2000–2024: 60% moves of a
  grassroots union to another upper-level unit of its province, 25% dissolutions of
  grassroots unions (these are extra units: the dissolved ones exist in history only),
  10% renames, and the rest establishments of new grassroots unions, one of which is the
  import event that created the starting tree (as ``congdoan.org.imports`` would).

Every event closes the unit's version on its date and opens the next one (a dissolution
only closes it), so versions of one unit are contiguous ``[valid_from, valid_to)`` periods,
there is one open version per live unit, and the last version gives the unit's current
parent and materialised path. Rows are generated deterministically (``random.Random(42)``)
and written with PostgreSQL ``COPY``; the services are not called per unit.

What it measures
----------------
After ``VACUUM ANALYZE``, each query ``--samples`` times (after a few unmeasured warm-up calls),
with ``time.perf_counter``, as p50 / p95 in milliseconds against the target of 50 ms p95:

* the current subtree listing of a random upper-level unit and of a random province
  (``selectors.subtree(unit).values_list("id", "code", "name")``);
* the subtree count of a random province (``selectors.subtree_count``);
* ``selectors.tree_as_of`` on random days in 2005–2024, by a user holding ADMIN at the
  confederation, as the org chart asks for it: the confederation one level deep (its first
  page), and one level under an opened province or upper-level unit; for information, two
  levels at once under a province and under the confederation (thousands of nodes);
* the scope check ``can(user, VIEW_ORG, path)`` of a user with a role at a random province,
  reading the user's roles from the database each time;
* ``selectors.national_tree_as_of(day)``, a few samples, against the target of 2 s each;
* 20 real ``services.move_unit`` calls effective today, for information.

Running it
----------
::

    .venv/bin/python benchmarks/org_scale.py \\
        [--database-url postgres://postgres@127.0.0.1:5432/congdoan_bench] \\
        [--grassroots 140000] [--events 100000] [--samples 200] [--keep] [--drop-existing]

The database is created when missing (through the ``postgres`` maintenance database) and
dropped at the end unless ``--keep``. An existing database is used only when it has no
units yet; ``--drop-existing`` drops and recreates it first. The script is a report, not a
test: it exits 0 when the run completes, whatever the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import secrets
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congdoan_bench"
POSTGRES_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}

QUERY_TARGET_MS = 50.0
NATIONAL_TARGET_S = 2.0
UPPER_UNITS = 700
DIRECT_SHARE = 0.05  # grassroots unions directly under their province
SERVICE_CALLS = 20
NATIONAL_SAMPLES = 5
WARMUP = 5

EVENTS_FROM = dt.date(2000, 1, 1)
EVENTS_TO = dt.date(2024, 12, 31)
PAST_FROM = dt.date(2005, 1, 1)
PAST_TO = dt.date(2024, 12, 31)
NOW = dt.datetime.now(dt.UTC)

# The 34 provinces and cities after the 2025 reorganisation; the weights shape their size.
PROVINCES: list[tuple[str, float]] = [
    ("Thành phố Hà Nội", 9.0),
    ("Thành phố Huế", 1.2),
    ("tỉnh Lai Châu", 0.5),
    ("tỉnh Điện Biên", 0.6),
    ("tỉnh Sơn La", 0.9),
    ("tỉnh Lạng Sơn", 0.8),
    ("tỉnh Quảng Ninh", 1.8),
    ("tỉnh Thanh Hóa", 2.8),
    ("tỉnh Nghệ An", 2.6),
    ("tỉnh Hà Tĩnh", 1.2),
    ("tỉnh Cao Bằng", 0.6),
    ("tỉnh Tuyên Quang", 1.1),
    ("tỉnh Lào Cai", 1.3),
    ("tỉnh Thái Nguyên", 1.6),
    ("tỉnh Phú Thọ", 2.6),
    ("tỉnh Bắc Ninh", 3.0),
    ("tỉnh Hưng Yên", 2.4),
    ("Thành phố Hải Phòng", 3.4),
    ("tỉnh Ninh Bình", 2.4),
    ("tỉnh Quảng Trị", 1.4),
    ("Thành phố Đà Nẵng", 2.4),
    ("tỉnh Quảng Ngãi", 1.5),
    ("tỉnh Gia Lai", 2.0),
    ("tỉnh Khánh Hòa", 1.6),
    ("tỉnh Lâm Đồng", 2.6),
    ("tỉnh Đắk Lắk", 2.0),
    ("Thành phố Hồ Chí Minh", 11.0),
    ("tỉnh Đồng Nai", 4.2),
    ("tỉnh Tây Ninh", 2.6),
    ("Thành phố Cần Thơ", 2.2),
    ("tỉnh Vĩnh Long", 2.2),
    ("tỉnh Đồng Tháp", 2.2),
    ("tỉnh Cà Mau", 1.4),
    ("tỉnh An Giang", 2.4),
]
SECTORS = ["Giáo dục", "Y tế", "Công Thương", "Xây dựng", "Nông nghiệp và Môi trường"]
SYLLABLES = ["An", "Bình", "Phú", "Tân", "Hòa", "Thạnh", "Long", "Mỹ", "Vĩnh", "Đông", "Tây",
             "Nam", "Bắc", "Xuân", "Hưng", "Thuận", "Phước", "Lộc", "Sơn", "Hải", "Thành", "Quang",
             "Trung", "Đức", "Nghĩa", "Hiệp", "Lợi", "Khánh", "Minh", "Thịnh", "Yên", "Cẩm", "Gia",
             "Hà", "Kim", "Ngọc", "Đại"]  # fmt: skip
ORGS = [
    "Công ty TNHH",
    "Công ty Cổ phần",
    "Trường Mầm non",
    "Trường Tiểu học",
    "Trường THCS",
    "Trường THPT",
    "Trạm Y tế phường",
    "Bệnh viện Đa khoa",
    "Ủy ban nhân dân xã",
    "Chi nhánh Ngân hàng",
    "Hợp tác xã",
    "Công ty May",
    "Công ty Điện tử",
]


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f} s] {message}", flush=True)


# --- the database -----------------------------------------------------------------------


def database_settings(url: str) -> dict[str, Any]:
    """The Django database settings of ``url``; exits with a message unless PostgreSQL."""
    import dj_database_url

    try:
        config = dj_database_url.parse(url)
    except ValueError as exc:
        sys.exit(f"org_scale: {url!r} is not a database URL: {exc}")
    if config.get("ENGINE") not in POSTGRES_ENGINES:
        sys.exit(
            f"org_scale: this benchmark needs PostgreSQL (it uses COPY and measures PostgreSQL "
            f"plans); {url!r} uses {config.get('ENGINE')}. "
            f"Pass --database-url postgres://USER@HOST:PORT/NAME."
        )
    if not config.get("NAME"):
        sys.exit("org_scale: the database URL names no database.")
    return config


def maintenance(config: dict[str, Any]) -> Any:
    """An autocommit connection to the ``postgres`` database of the same server."""
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )


def prepare_database(config: dict[str, Any], drop_existing: bool) -> bool:
    """Create the database when missing; True when this run created it (so may drop it)."""
    from psycopg import sql

    name = config["NAME"]
    with maintenance(config) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop_existing:
            log(f"dropping the existing database {name}")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if exists:
            log(f"using the existing database {name}")
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        log(f"created the database {name}")
        return True


def drop_database(config: dict[str, Any]) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with maintenance(config) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(config["NAME"])
            )
        )
    log(f"dropped the database {config['NAME']}")


def migrate_empty(config: dict[str, Any], script: str) -> float:
    """Migrate the benchmark database; stop if it already holds units. Returns the seconds."""
    from django.core.management import call_command

    from congdoan.org.models import Unit

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Unit.objects.exists():
        sys.exit(
            f"{script}: the database {config['NAME']} already has units; "
            "pass --drop-existing or another --database-url."
        )
    return time.perf_counter() - started


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "congdoan.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-" + secrets.token_urlsafe(40))
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


# --- the generated organisation ---------------------------------------------------------


@dataclass
class UnitSpec:
    """A unit as generated: its first state and the events that will touch it."""

    id: int
    code: str
    kind: str
    parent: int | None
    province: int  # the province id (the unit itself for a province, 0 for the root)
    valid_from: dt.date
    org: str  # for grassroots names: the kind of organisation and its place
    place: str
    name: str
    abbreviation: str
    address: str = ""
    phone: str = ""
    events: list[tuple[dt.date, str]] = field(default_factory=list)


@dataclass
class Tree:
    units: list[UnitSpec]
    province_ids: list[int]
    upper_ids: list[int]
    uppers_of: dict[int, list[int]]
    path_of: dict[int, str] = field(default_factory=dict)  # current paths, filled by history
    event_count: int = 0
    version_count: int = 0
    link_count: int = 0
    live_grassroots: list[int] = field(default_factory=list)


def place_name(rng: random.Random) -> str:
    first, second = rng.sample(SYLLABLES, 2)
    return f"{first} {second}"


def grassroots_name(org: str, place: str) -> str:
    return f"Công đoàn cơ sở {org} {place}"


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def event_mix(total: int) -> dict[str, int]:
    """Moves, dissolutions, renames and establishments; one establishment is the import."""
    moves = round(total * 0.60)
    dissolutions = round(total * 0.25)
    renames = round(total * 0.10)
    creates = max(total - moves - dissolutions - renames - 1, 0)
    return {"move": moves, "dissolve": dissolutions, "rename": renames, "create": creates}


def build_tree(rng: random.Random, grassroots: int, events: int) -> Tree:
    """The units of the starting tree and of later establishments, with their events' dates."""
    mix = event_mix(events)
    units: list[UnitSpec] = []
    root = UnitSpec(
        id=1,
        code="TLD",
        kind="confederation",
        parent=None,
        province=0,
        valid_from=dt.date(1929, 7, 28),
        org="",
        place="",
        name="Tổng Liên đoàn Lao động Việt Nam",
        abbreviation="TLĐ",
        address="Số 82 Trần Hưng Đạo, Hà Nội",
    )
    units.append(root)
    province_ids: list[int] = []
    weights: dict[int, float] = {}
    for index, (name, weight) in enumerate(PROVINCES, start=1):
        unit_id = len(units) + 1
        province_ids.append(unit_id)
        weights[unit_id] = weight
        units.append(
            UnitSpec(
                id=unit_id,
                code=f"P{index:02d}",
                kind="province",
                parent=1,
                province=unit_id,
                valid_from=random_day(rng, dt.date(1975, 1, 1), dt.date(1989, 12, 31)),
                org="",
                place=name,
                name=f"Liên đoàn Lao động {name}",
                abbreviation="LĐLĐ",
                address=f"Trụ sở LĐLĐ {name}",
            )
        )
    # Every province gets 8 upper-level units; the rest follow the provinces' weights.
    upper_count = dict.fromkeys(province_ids, 8)
    extra = max(UPPER_UNITS - 8 * len(province_ids), 0)
    for p in rng.choices(province_ids, weights=[weights[p] for p in province_ids], k=extra):
        upper_count[p] += 1
    uppers_of: dict[int, list[int]] = {p: [] for p in province_ids}
    upper_ids: list[int] = []
    upper_weight: list[float] = []
    for p in province_ids:
        province = units[p - 1]
        for n in range(upper_count[p]):
            unit_id = len(units) + 1
            if n == 0:
                kind, name = "industrial-zone", f"Công đoàn các Khu công nghiệp {province.place}"
                abbreviation = "CĐKCN"
            elif n <= len(SECTORS):
                sector = SECTORS[n - 1]
                kind, name = "sector", f"Công đoàn ngành {sector} {province.place}"
                abbreviation = "CĐN"
            else:
                kind, name = "district", f"Liên đoàn Lao động khu vực {place_name(rng)} {n}"
                abbreviation = "LĐLĐ"
            units.append(
                UnitSpec(
                    id=unit_id,
                    code=f"{province.code}-U{n + 1:03d}",
                    kind=kind,
                    parent=p,
                    province=p,
                    valid_from=random_day(rng, dt.date(1980, 1, 1), dt.date(1994, 12, 31)),
                    org="",
                    place="",
                    name=name,
                    abbreviation=abbreviation,
                    address=f"{place_name(rng)}, {province.place}",
                )
            )
            uppers_of[p].append(unit_id)
            upper_ids.append(unit_id)
            upper_weight.append(weights[p] / upper_count[p] * rng.uniform(0.4, 1.6))

    # Grassroots unions: the starting ones (alive today or dissolved later), then the new ones.
    starting = grassroots + mix["dissolve"] - mix["create"]
    direct = round(starting * DIRECT_SHARE)
    parents = rng.choices(upper_ids, weights=upper_weight, k=starting - direct)
    parents += rng.choices(province_ids, weights=[weights[p] for p in province_ids], k=direct)
    rng.shuffle(parents)
    first_grassroots = len(units) + 1
    for parent in parents:
        founded = random_day(rng, dt.date(1990, 1, 1), dt.date(1999, 12, 31))
        units.append(new_grassroots(rng, len(units) + 1, parent, units, founded))
    starting_ids = list(range(first_grassroots, len(units) + 1))
    for _ in range(mix["create"]):
        parent = rng.choices(upper_ids, weights=upper_weight, k=1)[0]
        unit = new_grassroots(rng, len(units) + 1, parent, units, EVENTS_FROM)
        unit.events.append((EVENTS_FROM, "create"))  # dated below, with its other events
        units.append(unit)
    grassroots_ids = list(range(first_grassroots, len(units) + 1))

    # Which events touch which grassroots union; their dates are drawn per unit below.
    for unit_id in rng.sample(starting_ids, mix["dissolve"]):
        units[unit_id - 1].events.append((EVENTS_TO, "dissolve"))
    for unit_id in rng.choices(grassroots_ids, k=mix["rename"]):
        units[unit_id - 1].events.append((EVENTS_TO, "rename"))
    for unit_id in rng.choices(grassroots_ids, k=mix["move"]):
        units[unit_id - 1].events.append((EVENTS_TO, "move"))
    for unit_id in grassroots_ids:
        unit = units[unit_id - 1]
        if unit.events:
            unit.events = dated(rng, unit.events)
            if unit.events[0][1] == "create":
                unit.valid_from = unit.events[0][0]
    return Tree(units, province_ids, upper_ids, uppers_of)


def new_grassroots(
    rng: random.Random, unit_id: int, parent: int, units: list[UnitSpec], founded: dt.date
) -> UnitSpec:
    parent_unit = units[parent - 1]
    org, place = rng.choice(ORGS), place_name(rng)
    return UnitSpec(
        id=unit_id,
        code=f"CS{unit_id:07d}",
        kind="grassroots",
        parent=parent,
        province=parent_unit.province,
        valid_from=founded,
        org=org,
        place=place,
        name=grassroots_name(org, place),
        abbreviation="CĐCS",
        address=f"{place}, {units[parent_unit.province - 1].place}",
        phone=f"0{rng.randint(200, 299)}{rng.randint(1000000, 9999999)}",
    )


def dated(rng: random.Random, events: list[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    """Distinct dates in 2000–2024 in order: an establishment first, a dissolution last."""
    kinds = [kind for _day, kind in events]
    first = [k for k in kinds if k == "create"]
    last = [k for k in kinds if k == "dissolve"]
    middle = [k for k in kinds if k not in ("create", "dissolve")]
    rng.shuffle(middle)
    days = sorted(rng.sample(range(EVENTS_FROM.toordinal(), EVENTS_TO.toordinal() + 1), len(kinds)))
    ordered = first + middle + last
    return [(dt.date.fromordinal(d), k) for d, k in zip(days, ordered, strict=True)]


# --- writing it -------------------------------------------------------------------------

UNIT_COLUMNS = (
    "id, code, name, name_folded, abbreviation, kind_id, parent_id, path, depth, valid_from, "
    "valid_to, address, phone, email, website, created_at, updated_at"
)
VERSION_COLUMNS = (
    "unit_id, valid_from, valid_to, name, abbreviation, kind_id, parent_id, event_id, closed_by_id"
)
EVENT_COLUMNS = (
    "id, kind, effective_date, legal_basis, note, summary, payload, reverses_id, scope_path, "
    "recorded_by_id, recorded_at"
)
LINK_COLUMNS = "event_id, unit_id, role"


def recorded_at(day: dt.date, serial: int) -> dt.datetime:
    """The day the event was recorded: a working morning shortly after it took effect."""
    return dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC) + dt.timedelta(
        days=serial % 5, seconds=serial % 3600
    )


def load(tree: Tree, rng: random.Random) -> None:
    """Write units, versions, events and their links with COPY, in one transaction."""
    from django.db import connection, transaction
    from django.utils.translation import gettext as _

    from congdoan.core.text import fold
    from congdoan.org.models import EventUnit, RestructuringEvent, UnitKind

    kind_id = dict(UnitKind.objects.values_list("code", "id"))
    units = tree.units
    # Plain strings for COPY (psycopg would dump an Enum by its name).
    Kind, Role = RestructuringEvent.Kind, EventUnit.Role

    # Event ids in date order (id 1 is the import that created the starting tree).
    dated_events = sorted(
        (day, unit.id, seq, kind) for unit in units for seq, (day, kind) in enumerate(unit.events)
    )
    event_id = {(unit_id, seq): n for n, (_d, unit_id, seq, _k) in enumerate(dated_events, 2)}
    event_rows: dict[int, tuple[Any, ...]] = {}
    links: list[tuple[int, int, str]] = []
    versions: list[tuple[Any, ...]] = []
    unit_rows: list[tuple[Any, ...]] = []
    starting = min(u.valid_from for u in units)

    path_of = tree.path_of
    for unit in units:  # parents precede children: ids grow down the starting tree
        parent, name, kind = unit.parent, unit.name, kind_id[unit.kind]
        base = path_of[unit.parent] if unit.parent else "/"
        path = f"{base}{unit.id}/"
        since, opened_by, valid_to = unit.valid_from, None, None
        if not unit.events or unit.events[0][1] != "create":
            opened_by = 1
            links.append((1, unit.id, Role.CREATED.value))
        for seq, (day, change) in enumerate(unit.events):
            eid = event_id[(unit.id, seq)]
            if change == "create":
                opened_by = eid
                links.append((eid, unit.id, Role.CREATED.value))
                summary = _("Established %(unit)s") % {"unit": name}
                scope, kind_value = path, Kind.CREATE.value
            else:
                versions.append(
                    (unit.id, since, day, name, unit.abbreviation, kind, parent, opened_by, eid)
                )
                since, opened_by = day, eid
                if change == "move":
                    choices = [u for u in tree.uppers_of[unit.province] if u != parent]
                    new_parent = rng.choice(choices)
                    summary = _("Moved %(unit)s under %(parent)s") % {
                        "unit": name,
                        "parent": units[new_parent - 1].name,
                    }
                    parent = new_parent
                    path = f"{path_of[parent]}{unit.id}/"
                    scope, kind_value = path_of[parent], Kind.MOVE.value
                    links.append((eid, unit.id, Role.MOVED.value))
                    links.append((eid, parent, Role.RECEIVER.value))
                elif change == "rename":
                    orgs = [o for o in ORGS if o != unit.org]
                    unit.org = rng.choice(orgs)
                    old, name = name, grassroots_name(unit.org, unit.place)
                    summary = _("Renamed %(old)s to %(new)s") % {"old": old, "new": name}
                    scope, kind_value = path, Kind.RENAME.value
                    links.append((eid, unit.id, Role.RENAMED.value))
                else:  # dissolve: no receiver, so the unit keeps its path under its last parent
                    valid_to = day
                    summary = _("Dissolved %(unit)s") % {"unit": name}
                    scope, kind_value = path, Kind.DISSOLVE.value
                    links.append((eid, unit.id, Role.ENDED.value))
            basis = (
                f"Quyết định số {eid % 997 + 1}/QĐ-LĐLĐ ngày {day:%d/%m/%Y} của Ban Thường vụ "
                f"{units[unit.province - 1].name}"
            )
            event_rows[eid] = (
                eid,
                kind_value,
                day,
                basis,
                "",
                summary[:500],
                "{}",
                None,
                scope,
                None,
                recorded_at(day, eid),
            )
        if valid_to is None:
            versions.append(
                (unit.id, since, None, name, unit.abbreviation, kind, parent, opened_by, None)
            )
            if unit.kind == "grassroots":
                tree.live_grassroots.append(unit.id)
        path_of[unit.id] = path
        unit_rows.append(
            (
                unit.id,
                unit.code,
                name,
                fold(name),
                unit.abbreviation,
                kind,
                parent,
                path,
                path.count("/") - 2,
                unit.valid_from,
                valid_to,
                unit.address,
                unit.phone,
                "",
                "",
                NOW,
                NOW,
            )
        )
    event_rows[1] = (
        1,
        Kind.CREATE.value,
        starting,
        _("Imported from file %(name)s") % {"name": "to-chuc-cong-doan-toan-quoc.xlsx"},
        "",
        _("Imported %(n)s units") % {"n": sum(1 for link in links if link[0] == 1)},
        "{}",
        None,
        "/",
        None,
        dt.datetime(1999, 12, 31, 2, 0, tzinfo=dt.UTC),
    )
    log(
        f"generated {len(unit_rows):,} units, {len(versions):,} versions, "
        f"{len(event_rows):,} events, {len(links):,} event links; writing with COPY"
    )
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor under Django's wrapper
        for table, columns, rows in (
            ("org_unit", UNIT_COLUMNS, unit_rows),
            ("org_restructuringevent", EVENT_COLUMNS, [event_rows[k] for k in sorted(event_rows)]),
            ("org_unitversion", VERSION_COLUMNS, versions),
            ("org_eventunit", LINK_COLUMNS, links),
        ):
            started = time.perf_counter()
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            log(f"  {table}: {len(rows):,} rows in {time.perf_counter() - started:.1f} s")
        log("  committing (the foreign keys are checked now)")
    with connection.cursor() as cursor:
        for table in ("org_unit", "org_restructuringevent", "org_unitversion", "org_eventunit"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 1)) FROM {table}"
            )
    tree.event_count, tree.version_count, tree.link_count = (
        len(event_rows),
        len(versions),
        len(links),
    )


def check_invariants() -> list[str]:
    """The history rules the app relies on, checked in SQL; returns what is broken."""
    from django.db import connection

    checks = {
        "a live unit without exactly one open version": """
            SELECT count(*) FROM org_unit u WHERE u.valid_to IS NULL AND (
                SELECT count(*) FROM org_unitversion v
                WHERE v.unit_id = u.id AND v.valid_to IS NULL) <> 1""",
        "an ended unit with an open version": """
            SELECT count(*) FROM org_unit u JOIN org_unitversion v ON v.unit_id = u.id
            WHERE u.valid_to IS NOT NULL AND v.valid_to IS NULL""",
        "versions of a unit not contiguous": """
            SELECT count(*) FROM (
                SELECT valid_from, lag(valid_to) OVER (PARTITION BY unit_id ORDER BY valid_from)
                    AS prev_to, row_number() OVER (PARTITION BY unit_id ORDER BY valid_from) AS n
                FROM org_unitversion) s WHERE n > 1 AND prev_to IS DISTINCT FROM valid_from""",
        "a unit's current parent or path not matching its last version": """
            SELECT count(*) FROM org_unit u JOIN org_unitversion v ON v.unit_id = u.id
            JOIN org_unit p ON p.id = u.parent_id
            WHERE v.valid_to IS NOT DISTINCT FROM u.valid_to
              AND (v.parent_id <> u.parent_id OR u.path <> p.path || u.id || '/')""",
        "an ended unit with live children": """
            SELECT count(*) FROM org_unit c JOIN org_unit p ON p.id = c.parent_id
            WHERE c.valid_to IS NULL AND p.valid_to IS NOT NULL""",
    }
    broken = []
    with connection.cursor() as cursor:
        for label, sql in checks.items():
            cursor.execute(sql)
            count = cursor.fetchone()[0]
            if count:
                broken.append(f"{label}: {count}")
    return broken


# --- measuring --------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    samples: list[float]  # seconds
    target: float | None  # seconds, for p95; None: for information
    unit: str = "ms"  # "s": a few long samples, each against the target
    note: str = ""

    def pct(self, p: float) -> float:
        ordered = sorted(self.samples)
        return ordered[max(math.ceil(p * len(ordered)) - 1, 0)]

    @property
    def verdict(self) -> str:
        if self.target is None:
            return "info"
        worst = max(self.samples) if self.unit == "s" else self.pct(0.95)
        return "PASS" if worst <= self.target else "MISS"


def measure(
    label: str,
    call: Callable[[Any], Any],
    args: Sequence[Any],
    target: float | None,
    before: Callable[[Any], None] | None = None,
    warmup: int = WARMUP,
) -> Result:
    """Time ``call(arg)`` for each arg; ``before(arg)`` runs untimed before each call."""
    for arg in args[:warmup]:
        if before:
            before(arg)
        call(arg)
    samples = []
    for arg in args:
        if before:
            before(arg)
        started = time.perf_counter()
        call(arg)
        samples.append(time.perf_counter() - started)
    result = Result(label, samples, target)
    log(f"  {label}: p50 {result.pct(0.5) * 1000:.1f} ms, p95 {result.pct(0.95) * 1000:.1f} ms")
    return result


def forget_roles(user: Any) -> None:
    """Drop the per-request cache of the user's roles, so the next check reads the database."""
    user._active_assignments = None


def run_measurements(tree: Tree, samples: int, rng: random.Random) -> list[Result]:
    from django.utils import timezone

    from congdoan.accounts.models import User
    from congdoan.accounts.permissions import VIEW_ORG, Role
    from congdoan.accounts.selectors import can
    from congdoan.accounts.services import grant_role
    from congdoan.org import selectors, services
    from congdoan.org.models import Unit

    results: list[Result] = []
    units = {u.pk: u for u in Unit.objects.filter(depth__lte=2)}
    root = units[1]
    provinces = [units[p] for p in tree.province_ids]
    uppers = [units[u] for u in tree.upper_ids]

    admin = User.objects.create_user(username="bench.admin", full_name="Quản trị đo tải")
    grant_role(None, user=admin, unit=root, role=Role.ADMIN)
    province_users = []
    for province in provinces:
        user = User.objects.create_user(username=f"bench.{province.code.lower()}")
        grant_role(None, user=user, unit=province, role=Role.SPECIALIST)
        province_users.append(user)

    # Real events at this size: move a grassroots union to another upper-level unit, today.
    log(f"timing {SERVICE_CALLS} real services.move_unit calls (effective today)")
    today = timezone.localdate()
    moves = []
    for unit_id in rng.sample(tree.live_grassroots, SERVICE_CALLS + WARMUP):
        unit = Unit.objects.get(pk=unit_id)
        province = int(unit.path.split("/")[2])
        target = rng.choice([u for u in tree.uppers_of[province] if u != unit.parent_id])
        moves.append((unit, units[target]))

    def move(pick: tuple[Unit, Unit]) -> None:
        services.move_unit(
            None,
            pick[0],
            pick[1],
            effective_date=today,
            legal_basis="Quyết định số 1/QĐ-LĐLĐ về điều chỉnh công đoàn cơ sở (đo tải)",
        )

    for pick in moves[:WARMUP]:  # each unit moves once: the warm-up moves other units
        move(pick)
    results.append(
        measure("event: services.move_unit (today)", move, moves[WARMUP:], None, warmup=0)
    )

    log(f"timing the queries, {samples} samples each after {WARMUP} warm-up calls")
    picks_upper = [rng.choice(uppers) for _ in range(samples)]
    results.append(
        measure(
            "subtree listing, upper-level unit",
            lambda u: list(selectors.subtree(u).values_list("id", "code", "name")),
            picks_upper,
            QUERY_TARGET_MS / 1000,
        )
    )
    picks_province = [rng.choice(provinces) for _ in range(samples)]
    results.append(
        measure(
            "subtree listing, province",
            lambda u: list(selectors.subtree(u).values_list("id", "code", "name")),
            picks_province,
            QUERY_TARGET_MS / 1000,
        )
    )
    results.append(
        measure(
            "subtree count, province",
            selectors.subtree_count,
            [rng.choice(provinces) for _ in range(samples)],
            QUERY_TARGET_MS / 1000,
        )
    )
    # What the org chart asks for: the confederation with its provinces on the first page,
    # then one level under each node that the reader opens (a province, an upper-level unit).
    results.append(
        measure(
            "tree_as_of(TLĐ, past day, depth 1): chart page",
            lambda day: selectors.tree_as_of(admin, root, day, max_depth=1),
            [random_day(rng, PAST_FROM, PAST_TO) for _ in range(samples)],
            QUERY_TARGET_MS / 1000,
            before=lambda _day: forget_roles(admin),
        )
    )
    opened = [
        (rng.choice(provinces + uppers), random_day(rng, PAST_FROM, PAST_TO))
        for _ in range(samples)
    ]
    results.append(
        measure(
            "tree_as_of(opened node, past day, depth 1)",
            lambda pick: selectors.tree_as_of(admin, pick[0], pick[1], max_depth=1),
            opened,
            QUERY_TARGET_MS / 1000,
            before=lambda _pick: forget_roles(admin),
        )
    )
    # Two levels at once: thousands of nodes (every grassroots union directly under a
    # province, or a province's whole upper level with its unions). Not what a page asks
    # for; reported for information (the API's ?depth= allows it).
    results.append(
        measure(
            "tree_as_of(province, past day, depth 2)",
            lambda pick: selectors.tree_as_of(admin, pick[0], pick[1], max_depth=2),
            [(rng.choice(provinces), random_day(rng, PAST_FROM, PAST_TO)) for _ in range(samples)],
            None,
            before=lambda _pick: forget_roles(admin),
        )
    )
    results.append(
        measure(
            "tree_as_of(TLĐ, past day, depth 2)",
            lambda day: selectors.tree_as_of(admin, root, day, max_depth=2),
            [random_day(rng, PAST_FROM, PAST_TO) for _ in range(max(20, samples // 10))],
            None,
            before=lambda _day: forget_roles(admin),
        )
    )
    paths = list(Unit.objects.filter(depth__gte=2).values_list("path", flat=True))
    checks = [(rng.choice(province_users), rng.choice(paths)) for _ in range(samples)]
    results.append(
        measure(
            "scope check can(VIEW_ORG), roles from DB",
            lambda pick: can(pick[0], VIEW_ORG, pick[1]),
            checks,
            QUERY_TARGET_MS / 1000,
            before=lambda pick: forget_roles(pick[0]),
        )
    )
    log(f"timing the national tree as of a past day, {NATIONAL_SAMPLES} samples")
    days = [random_day(rng, PAST_FROM, PAST_TO) for _ in range(NATIONAL_SAMPLES)]
    national = measure(
        "national_tree_as_of(past day)",
        selectors.national_tree_as_of,
        days,
        NATIONAL_TARGET_S,
        warmup=1,
    )
    national.unit = "s"
    national.note = "days " + ", ".join(f"{d:%d/%m/%Y}" for d in days)
    results.append(national)
    return results


# --- reporting --------------------------------------------------------------------------


def counts() -> dict[str, int]:
    from django.db import connection

    queries = {
        "units": "SELECT count(*) FROM org_unit",
        "  alive": "SELECT count(*) FROM org_unit WHERE valid_to IS NULL",
        "  grassroots alive": """SELECT count(*) FROM org_unit u JOIN org_unitkind k
            ON k.id = u.kind_id WHERE k.code = 'grassroots' AND u.valid_to IS NULL""",
        "  ended": "SELECT count(*) FROM org_unit WHERE valid_to IS NOT NULL",
        "unit versions": "SELECT count(*) FROM org_unitversion",
        "restructuring events": "SELECT count(*) FROM org_restructuringevent",
        "event links": "SELECT count(*) FROM org_eventunit",
        "largest province subtree": """SELECT max(n) FROM (SELECT count(*) AS n FROM org_unit
            WHERE depth >= 1 AND valid_to IS NULL GROUP BY split_part(path, '/', 3)) s""",
    }
    with connection.cursor() as cursor:
        out = {}
        for label, sql in queries.items():
            cursor.execute(sql)
            out[label] = cursor.fetchone()[0]
    return out


def report(
    tree_counts: dict[str, int], timings: dict[str, float], results: Iterable[Result]
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    line = "-" * 96
    print()
    print(line)
    print("Công Đoàn Số – organisation at national scale (PostgreSQL)")
    print(line)
    print(f"machine cores (os.cpu_count)     {os.cpu_count()}")
    print(f"PostgreSQL                       {server}")
    for label, value in tree_counts.items():
        print(f"{label:<33}{value:>10,}")
    for label, seconds in timings.items():
        print(f"{label:<33}{seconds:>10.1f} s")
    print(line)
    print(f"{'measurement':<52}{'n':>5}{'p50':>10}{'p95':>10}{'target':>11}{'':>2}{'result'}")
    for r in results:
        if r.unit == "s":
            each = ", ".join(f"{s:.2f}" for s in r.samples)
            target = f"<{r.target:.0f} s each" if r.target is not None else "—"
            print(
                f"{r.label:<52}{len(r.samples):>5}{r.pct(0.5):>9.2f}s{r.pct(0.95):>9.2f}s"
                f"{target:>13}  {r.verdict}"
            )
            print(f"    each sample: {each} s; {r.note}")
            continue
        target = f"<{r.target * 1000:.0f} ms p95" if r.target is not None else "—"
        print(
            f"{r.label:<52}{len(r.samples):>5}{r.pct(0.5) * 1000:>8.1f}ms"
            f"{r.pct(0.95) * 1000:>8.1f}ms{target:>13}  {r.verdict}"
        )
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--grassroots", type=int, default=140_000, help="alive today")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--drop-existing", action="store_true", help="drop the database first if it exists"
    )
    args = parser.parse_args(argv)
    if args.grassroots < 1000 or args.events < 100 or args.samples < 10:
        parser.error("use at least 1000 grassroots unions, 100 events and 10 samples")

    config = database_settings(args.database_url)
    started = time.perf_counter()
    created = prepare_database(config, args.drop_existing)
    setup_django(args.database_url)
    from django.db import connection

    try:
        timings: dict[str, float] = {}
        timings["migrate"] = migrate_empty(config, "org_scale")
        log(f"migrated in {timings['migrate']:.1f} s; generating the tree")
        rng = random.Random(42)
        t0 = time.perf_counter()
        tree = build_tree(rng, args.grassroots, args.events)
        load(tree, rng)
        timings["load (generate + COPY + commit)"] = time.perf_counter() - t0
        t1 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
        timings["VACUUM ANALYZE"] = time.perf_counter() - t1
        timings["load time total"] = time.perf_counter() - t0
        log(f"loaded and analysed in {timings['load time total']:.1f} s; checking invariants")
        broken = check_invariants()
        if broken:
            sys.exit("org_scale: the generated history is inconsistent: " + "; ".join(broken))
        tree_counts = counts()
        results = run_measurements(tree, args.samples, random.Random(7))
        timings["whole run"] = time.perf_counter() - started
        report(tree_counts, timings, results)
    finally:
        if created and not args.keep:
            drop_database(config)
        elif args.keep:
            log(f"kept the database {config['NAME']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
