"""Union members at national scale on PostgreSQL: load, import throughput, search, statistics.

What it builds
--------------
The national organisation of ``benchmarks/org_scale.py`` (imported from it: 34 provinces,
700 upper-level units, ``--grassroots`` grassroots unions alive today, ``--events``
restructuring events), then ``--members`` union members (default 1,000,000; ``--national``
for 12,000,000) over the live grassroots unions, generated deterministically
(``random.Random(42)``) and written with PostgreSQL ``COPY`` into ``members_member`` and
``members_membership``:

* Vietnamese names (family, one or two middle names, given name; frequencies of the
  common family names), sex, dates of birth 1960–2006, ethnicity (Kinh mostly, minorities
  by region), religion, hometown, education, job and workplace from the union's employer;
* valid CCCD numbers (``congdoan.core.cccd.make_cccd``) that agree with the year of birth
  and sex and are unique; phone numbers for most; unique union card numbers and tokens;
* joined at 18 or later, not before their union was founded; about 8% transferred once
  between two unions of a province, about 6% have left (left, transferred out of the
  system, deceased), with the membership periods that go with it.

A random 8% of the live unions get no generated members: the import files go to them.
``--layout province`` (the default) writes each province's members together, as its
federation's import would; ``--layout random`` scatters them over the table.

What it measures
----------------
In this order:

* Import throughput, into the empty members table: an XLSX of ``--xlsx-rows`` (100,000)
  rows under one province, then a CSV of ``--csv-rows`` (1,000,000) rows under the
  confederation, in the format ``congdoan.members.imports`` reads, timed through
  ``plan_import`` + ``apply_import``, against a raw PostgreSQL ``COPY`` of the same member
  rows into a scratch table built ``LIKE members_member INCLUDING ALL`` (target: the CSV
  import within 3× of the COPY; for information also the COPY with the membership periods,
  and without the trigram index). ``--profile`` runs cProfile over a further import of
  50,000 rows and prints where the time goes. The members tables are then emptied.
* The load of ``--members`` members (above), then ``VACUUM ANALYZE``.
* The name search ``selectors.search_members(user, q)[:50]`` with and without diacritics
  (full names such as "Nguyễn Văn An" / "nguyen van an", a given name alone), by a user
  with a role at the confederation and by one at a province (target 50 ms p95); for
  information, a few samples with the trigram index dropped (in a rolled-back
  transaction).
* ``selectors.stats(unit, day)`` of a province and of the whole country, today and on a
  past day (target: a province under 200 ms p95; the country is for information).

Each measurement takes ``--samples`` samples after a few warm-up calls, or stops after
``--budget`` seconds (with at least 20 samples); the report gives the count taken. When a
measurement misses its target, the plan of its query (``EXPLAIN ANALYZE``) is printed after
the report (every plan with ``--explain``).

Running it
----------
::

    .venv/bin/python benchmarks/members_scale.py \\
        [--database-url postgres://postgres@127.0.0.1:5432/congdoan_members_bench] \\
        [--members 1000000 | --national] [--grassroots 140000] [--events N] \\
        [--xlsx-rows 100000] [--csv-rows 1000000] [--samples 200] [--budget 45] \\
        [--layout province|random] [--profile] [--explain] [--keep] [--drop-existing]
        [--reuse]

The database is created when missing and dropped at the end unless ``--keep``; an existing
database is used only when it has no units (``--drop-existing`` recreates it). With
``--reuse``, a database that already holds members (one kept by an earlier ``--keep`` run)
is measured again as it is: it is migrated (so new indexes of this checkout apply), the
load and the imports are skipped, and only the search and the statistics run, with the
same users and the same sampled names as the run that loaded it; it is never dropped.
Without members in it, ``--reuse`` changes nothing. The script is a report, not a test: it
exits 0 when the run completes, whatever the figures.
"""

from __future__ import annotations

import argparse
import base64
import bisect
import cProfile
import datetime as dt
import io
import itertools
import os
import pstats
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import org_scale  # the tree builder, the database helpers and the measuring
from org_scale import WARMUP, Result, log, random_day

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/congdoan_members_bench"
NATIONAL_MEMBERS = 12_000_000
SEARCH_TARGET_MS = 50.0
PROVINCE_STATS_TARGET_MS = 200.0
IMPORT_RATIO_TARGET = 3.0
NO_INDEX_SAMPLES = 5  # the search without the trigram index: slow, a few samples
COUNTRY_SAMPLES = 10
MIN_SAMPLES = 20  # a measurement stops after its time budget, but not before these
RESERVED_SHARE = 0.08  # live unions kept without members, for the import files
TRANSFERRED_SHARE = 0.08
ENDED_SHARE = 0.06
CHUNK = 100_000  # members generated and copied per batch
PROFILE_ROWS = 50_000

# --- names and people ---------------------------------------------------------------------

FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0),
    ("Huỳnh", 2.1), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6),
    ("Trương", 0.6), ("Mai", 0.4), ("Đào", 0.4), ("Lương", 0.4), ("Cao", 0.3), ("Tạ", 0.2),
    ("Lâm", 0.3), ("Trịnh", 0.4), ("Quách", 0.1), ("Hà", 0.3), ("Tô", 0.1), ("Kiều", 0.1),
]  # fmt: skip
MIDDLE_MALE: list[tuple[str, float]] = [
    ("Văn", 40.0), ("Hữu", 6.0), ("Đức", 8.0), ("Minh", 8.0), ("Quốc", 5.0), ("Thanh", 5.0),
    ("Công", 4.0), ("Xuân", 3.0), ("Đình", 4.0), ("Quang", 4.0), ("Ngọc", 3.0), ("Trọng", 3.0),
    ("Hoàng", 2.0), ("Anh", 2.0), ("Tiến", 1.5), ("Bá", 1.0), ("Duy", 2.0), ("Thế", 2.0),
]  # fmt: skip
MIDDLE_FEMALE: list[tuple[str, float]] = [
    ("Thị", 45.0), ("Ngọc", 7.0), ("Thu", 6.0), ("Thanh", 6.0), ("Minh", 4.0), ("Kim", 4.0),
    ("Phương", 3.0), ("Thúy", 3.0), ("Hồng", 4.0), ("Bảo", 2.0), ("Mai", 2.0), ("Khánh", 2.0),
    ("Diệu", 1.0), ("Hoài", 1.5), ("Bích", 1.5), ("Mỹ", 2.0), ("Quỳnh", 1.5),
]  # fmt: skip
SECOND_MIDDLE = ["Minh", "Thanh", "Ngọc", "Thu", "Hoàng", "Quang", "Hải", "Bảo", "Xuân"]
# Given names roughly from the most common down; they follow a Zipf-like law below.
GIVEN_MALE = [
    "Anh", "Minh", "Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Sơn", "Thành", "Hoàng",
    "Quang", "Huy", "Cường", "Trung", "Tùng", "Thắng", "Bình", "Hiếu", "Khánh", "Đạt", "Duy",
    "Phong", "Vinh", "Việt", "Hưng", "Lâm", "Toàn", "Tâm", "Phúc", "Kiên", "Nghĩa", "Tài",
    "Quân", "Khoa", "An", "Lộc", "Hậu", "Trí", "Hòa", "Thịnh", "Đông", "Giang", "Hiển",
    "Khải", "Lực", "Mạnh", "Nhân", "Phát", "Quý", "Tiến", "Thông", "Trường", "Tú", "Bảo", "Vũ",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Linh", "Trang", "Hương", "Hà", "Ngọc", "Thảo", "Hằng", "Huyền", "Lan", "Phương",
    "Mai", "Hoa", "Thủy", "Nhung", "Dung", "Hạnh", "Hiền", "Giang", "Yến", "Loan", "Vân", "Thu",
    "Nga", "Quỳnh", "Hồng", "Tâm", "Ngân", "Chi", "Uyên", "Trinh", "Tuyết", "Oanh", "Liên",
    "My", "Châu", "Quyên", "Xuân", "Hậu", "Lụa", "Diệp", "Hiên", "Khuê", "Lệ", "Ly", "Nhi",
    "Như", "Thơ", "Thư", "Vy", "An", "Duyên", "Hảo", "Huệ", "Thắm",
]  # fmt: skip

# Old CCCD province codes of each of the 34 provinces of org_scale.PROVINCES (same order).
CCCD_CODES: list[list[str]] = [
    ["001"], ["046"], ["012"], ["011"], ["014"], ["020"], ["022"], ["038"], ["040"], ["042"],
    ["004"], ["008", "002"], ["010", "015"], ["019", "006"], ["025", "026", "017"],
    ["027", "024"], ["033", "034"], ["031", "030"], ["037", "035", "036"], ["045", "044"],
    ["048", "049"], ["051", "062"], ["064", "052"], ["056", "058"], ["068", "067", "060"],
    ["066", "054"], ["079", "074", "077"], ["075", "070"], ["072", "080"],
    ["092", "093", "094"], ["086", "083", "084"], ["087", "082"], ["096", "095"],
    ["089", "091"],
]  # fmt: skip
# The share of ethnic minorities among members, and which ones, by region.
NORTH_HIGHLANDS = (["Tày", "Thái", "Mường", "Nùng", "H'Mông", "Dao", "Sán Chay", "Giáy"], 0.55)
CENTRAL_HIGHLANDS = (["Gia Rai", "Ê Đê", "Ba Na", "Cơ Ho", "Mạ", "Xơ Đăng", "Tày", "Nùng"], 0.25)
NORTH_MIDLANDS = (["Mường", "Tày", "Nùng", "Sán Dìu", "Dao"], 0.15)
MEKONG = (["Khmer", "Hoa", "Chăm"], 0.08)
SOUTH_CITIES = (["Hoa", "Khmer", "Chăm", "Tày", "Nùng"], 0.04)
ELSEWHERE = (["Mường", "Thái", "Hoa", "Tày", "Chăm"], 0.02)
MINORITIES: dict[str, tuple[list[str], float]] = {
    "tỉnh Lai Châu": NORTH_HIGHLANDS, "tỉnh Điện Biên": NORTH_HIGHLANDS,
    "tỉnh Sơn La": NORTH_HIGHLANDS, "tỉnh Lạng Sơn": NORTH_HIGHLANDS,
    "tỉnh Cao Bằng": NORTH_HIGHLANDS, "tỉnh Tuyên Quang": NORTH_HIGHLANDS,
    "tỉnh Lào Cai": NORTH_HIGHLANDS, "tỉnh Gia Lai": CENTRAL_HIGHLANDS,
    "tỉnh Đắk Lắk": CENTRAL_HIGHLANDS, "tỉnh Lâm Đồng": CENTRAL_HIGHLANDS,
    "tỉnh Thái Nguyên": NORTH_MIDLANDS, "tỉnh Phú Thọ": NORTH_MIDLANDS,
    "tỉnh Thanh Hóa": NORTH_MIDLANDS, "tỉnh Nghệ An": NORTH_MIDLANDS,
    "tỉnh An Giang": MEKONG, "tỉnh Cà Mau": MEKONG, "Thành phố Cần Thơ": MEKONG,
    "tỉnh Vĩnh Long": MEKONG, "Thành phố Hồ Chí Minh": SOUTH_CITIES,
    "tỉnh Đồng Nai": SOUTH_CITIES,
}  # fmt: skip
RELIGIONS: list[tuple[str, float]] = [
    ("", 78.0), ("Không", 4.0), ("Phật giáo", 10.0), ("Công giáo", 6.0), ("Tin Lành", 0.8),
    ("Cao Đài", 0.7), ("Phật giáo Hòa Hảo", 0.5),
]  # fmt: skip
QUALIFICATIONS: list[tuple[str, float]] = [
    ("", 25.0), ("Sơ cấp", 8.0), ("Trung cấp", 17.0), ("Cao đẳng", 14.0), ("Đại học", 30.0),
    ("Thạc sĩ", 5.0), ("Tiến sĩ", 1.0),
]  # fmt: skip
JOBS: dict[str, list[str]] = {
    "Công ty TNHH": ["Công nhân", "Kỹ thuật viên", "Nhân viên kinh doanh", "Kế toán"],
    "Công ty Cổ phần": ["Công nhân", "Kỹ sư", "Nhân viên văn phòng", "Kế toán"],
    "Trường Mầm non": ["Giáo viên mầm non", "Cô nuôi", "Kế toán"],
    "Trường Tiểu học": ["Giáo viên", "Nhân viên thư viện", "Kế toán"],
    "Trường THCS": ["Giáo viên", "Nhân viên thiết bị", "Kế toán"],
    "Trường THPT": ["Giáo viên", "Nhân viên văn thư", "Kế toán"],
    "Trạm Y tế phường": ["Y sĩ", "Điều dưỡng", "Dược sĩ"],
    "Bệnh viện Đa khoa": ["Bác sĩ", "Điều dưỡng", "Kỹ thuật viên xét nghiệm", "Hộ lý"],
    "Ủy ban nhân dân xã": ["Công chức", "Viên chức", "Cán bộ không chuyên trách"],
    "Chi nhánh Ngân hàng": ["Giao dịch viên", "Chuyên viên tín dụng", "Kiểm soát viên"],
    "Hợp tác xã": ["Xã viên", "Kế toán", "Lao động"],
    "Công ty May": ["Công nhân may", "Tổ trưởng sản xuất", "Nhân viên kiểm hàng"],
    "Công ty Điện tử": ["Công nhân lắp ráp", "Kỹ thuật viên", "Nhân viên QC"],
}
ENDINGS = [  # (status, membership end, reason, weight)
    ("left", "left", "Nghỉ việc", 0.70),
    ("transferred", "transferred", "Chuyển công tác ra ngoài hệ thống công đoàn", 0.25),
    ("deceased", "deceased", "Từ trần", 0.05),
]

MEMBER_COLUMNS = (
    "full_name, name_folded, name_sort, birth_date, birth_year_only, sex, ethnicity, religion, "
    "hometown, cccd, phone, email, education, qualification, job, workplace, joined_on, "
    "card_number, card_token, unit_id, status, status_date, status_reason, created_at, "
    "updated_at, given_folded, name_reversed"
)
MEMBERSHIP_COLUMNS = (
    'member_id, unit_id, valid_from, valid_to, start, "end", event_id, note, recorded_by_id, '
    "recorded_at, sex, birth_date, ethnicity, joined_on"
)
# Positions in a member row (MEMBER_COLUMNS order).
NAME, BIRTH, YEAR_ONLY, SEX, ETHNICITY, RELIGION, HOMETOWN, CCCD, PHONE, EMAIL = (
    0, 3, 4, 5, 6, 7, 8, 9, 10, 11
)  # fmt: skip
EDUCATION, QUALIFICATION, JOB, WORKPLACE, JOINED, CARD, UNIT = 12, 13, 14, 15, 16, 17, 19


def profile(row: list[Any]) -> tuple[Any, ...]:
    """The member's figures each membership period carries (``PROFILE_FIELDS``)."""
    return row[SEX], row[BIRTH], row[ETHNICITY], row[JOINED]


def cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


@dataclass
class Union:
    """A live grassroots union as the member generator needs it."""

    id: int
    code: str
    province_index: int  # 0..33, into org_scale.PROVINCES
    founded: dt.date
    org: str
    workplace: str


class People:
    """Deterministic members: unique CCCDs, card numbers and tokens across every call."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        from congdoan.core.cccd import PROVINCES as CCCD_PROVINCES
        from congdoan.core.text import fold, name_sort_string

        self.rng = rng
        self.today = today
        self.fold = fold
        self.name_sort_string = name_sort_string
        self.cccd_province = CCCD_PROVINCES
        self.all_codes = sorted(CCCD_PROVINCES)
        self.sequence: dict[tuple[str, str, int], int] = {}
        self.card_serial = 0
        self.names: dict[str, tuple[str, str]] = {}  # full name -> (folded, sort string)
        self.family = [n for n, _w in FAMILY_NAMES]
        self.family_cum = cumulative([w for _n, w in FAMILY_NAMES])
        self.middle = {
            "M": ([n for n, _w in MIDDLE_MALE], cumulative([w for _n, w in MIDDLE_MALE])),
            "F": ([n for n, _w in MIDDLE_FEMALE], cumulative([w for _n, w in MIDDLE_FEMALE])),
        }
        # Given names follow a Zipf-like law: a few are very common.
        self.given = {
            "M": (GIVEN_MALE, cumulative([1 / (i + 3) ** 0.7 for i in range(len(GIVEN_MALE))])),
            "F": (
                GIVEN_FEMALE,
                cumulative([1 / (i + 3) ** 0.7 for i in range(len(GIVEN_FEMALE))]),
            ),
        }
        self.religion = ([n for n, _w in RELIGIONS], cumulative([w for _n, w in RELIGIONS]))
        self.qualification = (
            [n for n, _w in QUALIFICATIONS],
            cumulative([w for _n, w in QUALIFICATIONS]),
        )
        self.now = dt.datetime.now(dt.UTC)

    def pick(self, table: tuple[list[str], list[float]]) -> str:
        values, cum = table
        return values[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def full_name(self, sex: str) -> str:
        rng = self.rng
        family = self.family[bisect.bisect(self.family_cum, rng.random() * self.family_cum[-1])]
        middle = self.pick(self.middle[sex])
        if rng.random() < 0.12:
            second = rng.choice(SECOND_MIDDLE)
            if second != middle:
                middle = f"{middle} {second}"
        given = self.pick(self.given[sex])
        if given in middle.split():
            given = self.pick(self.given[sex])
        return f"{family} {middle} {given}"

    def cccd(self, province_code: str, sex: str, year: int) -> str:
        from congdoan.core.cccd import make_cccd

        key = (province_code, sex, year)
        current = self.sequence.get(key)
        if current is None:
            current = self.rng.randint(0, 100_000)
        current += self.rng.randint(1, 40)
        if current >= 1_000_000:  # never at these sizes: buckets hold a few thousand people
            raise RuntimeError(f"CCCD sequence exhausted for {key}")
        self.sequence[key] = current
        return make_cccd(province_code, sex, year, current)

    def member(self, union: Union, since: dt.date | None = None) -> list[Any]:
        """One current member of ``union`` as a row in MEMBER_COLUMNS order (a list)."""
        rng = self.rng
        sex = "F" if rng.random() < 0.52 else "M"
        full_name = self.full_name(sex)
        cached = self.names.get(full_name)
        if cached is None:
            cached = self.names[full_name] = (
                self.fold(full_name),
                self.name_sort_string(full_name),
            )
        year = min(int(rng.triangular(1960, 2007, 1987)), 2006)
        year_only = rng.random() < 0.01
        if year_only:
            birth = dt.date(year, 1, 1)
        else:
            birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        adult = (
            birth.replace(year=birth.year + 18)
            if (birth.month, birth.day) != (2, 29)
            else (dt.date(birth.year + 18, 3, 1))
        )
        earliest = max(adult, union.founded, since or union.founded)
        joined = random_day(rng, earliest, self.today) if earliest < self.today else self.today
        province_name = org_scale.PROVINCES[union.province_index][0]
        if rng.random() < 0.85:
            code = rng.choice(CCCD_CODES[union.province_index])
        else:
            code = rng.choice(self.all_codes)
        kinds, share = MINORITIES.get(province_name, ELSEWHERE)
        ethnicity = rng.choice(kinds) if rng.random() < share else "Kinh"
        phone = ""
        if rng.random() < 0.75:
            phone = f"0{rng.choice('35789')}{rng.randrange(100_000_000):08d}"
        self.card_serial += 1
        token = base64.urlsafe_b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode()
        email = ""
        if rng.random() < 0.2:
            email = f"{cached[0].split()[-1]}.{self.card_serial}@gmail.com"
        return [
            full_name,
            cached[0],
            cached[1],
            birth,
            year_only,
            sex,
            ethnicity,
            self.pick(self.religion),
            self.cccd_province[code],
            self.cccd(code, sex, year),
            phone,
            email,
            "12/12" if rng.random() < 0.9 else "9/12",
            self.pick(self.qualification),
            rng.choice(JOBS.get(union.org, ["Nhân viên"])),
            union.workplace,
            joined,
            f"{self.card_serial:010d}",
            token,
            union.id,
            "active",
            None,
            "",
            self.now,
            self.now,
            cached[0].rsplit(" ", 1)[-1],
            " ".join(reversed(cached[0].split())),
        ]


# --- the generated members ------------------------------------------------------------------


@dataclass
class Population:
    unions: list[Union]  # live grassroots unions that got generated members
    reserved: list[Union]  # live grassroots unions kept empty for the import files
    by_province: dict[int, list[Union]]
    members: int = 0
    memberships: int = 0
    transferred: int = 0
    ended: int = 0
    name_pool: list[str] = field(default_factory=list)  # sampled full names, for searches


def live_unions(tree: org_scale.Tree) -> list[Union]:
    from congdoan.org.models import Unit

    province_index = {pid: i for i, pid in enumerate(tree.province_ids)}
    founded = dict(Unit.objects.filter(pk__in=tree.live_grassroots).values_list("pk", "valid_from"))
    unions = []
    for unit_id in tree.live_grassroots:
        spec = tree.units[unit_id - 1]
        unions.append(
            Union(
                id=unit_id,
                code=spec.code,
                province_index=province_index[spec.province],
                founded=founded[unit_id],
                org=spec.org,
                workplace=f"{spec.org} {spec.place}",
            )
        )
    return unions


def plan_population(tree: org_scale.Tree, rng: random.Random) -> Population:
    unions = live_unions(tree)
    rng.shuffle(unions)
    cut = round(len(unions) * RESERVED_SHARE)
    reserved, populated = sorted(unions[:cut], key=lambda u: u.id), unions[cut:]
    by_province: dict[int, list[Union]] = {}
    for union in populated:
        by_province.setdefault(union.province_index, []).append(union)
    return Population(populated, reserved, by_province)


def generate(
    population: Population, people: People, total: int, rng: random.Random, layout: str
) -> Iterator[tuple[list[list[Any]], list[tuple[Any, ...]]]]:
    """Members and their membership periods, ``CHUNK`` members at a time, ids from 1."""
    unions = population.unions
    sizes = cumulative([rng.lognormvariate(0, 0.9) for _ in unions])
    picks = [bisect.bisect(sizes, rng.random() * sizes[-1]) for _ in range(total)]
    if layout == "province":  # each province's members together, as its import wrote them
        rank = list(range(len(org_scale.PROVINCES)))
        rng.shuffle(rank)
        picks.sort(key=lambda i: rank[unions[i].province_index])
    today = people.today
    member_id = 0
    recorded = people.now
    pool_every = max(total // 5000, 1)
    while member_id < total:
        members: list[list[Any]] = []
        periods: list[tuple[Any, ...]] = []
        for _ in range(min(CHUNK, total - member_id)):
            union = unions[picks[member_id]]
            member_id += 1
            draw = rng.random()
            previous = None
            if draw < TRANSFERRED_SHARE:
                others = population.by_province[union.province_index]
                previous = others[rng.randrange(len(others))]
                if previous is union:
                    previous = None
            row = people.member(previous or union)
            joined = row[JOINED]
            since = joined
            if previous is not None:
                earliest = max(joined + dt.timedelta(days=180), union.founded)
                if earliest < today - dt.timedelta(days=30):
                    moved = random_day(rng, earliest, today - dt.timedelta(days=1))
                    periods.append(
                        (member_id, previous.id, joined, moved, "joined", "transfer", None, "",
                         None, recorded, *profile(row))
                    )  # fmt: skip
                    since = moved
                    row[UNIT] = union.id
                    row[WORKPLACE] = union.workplace
                    population.transferred += 1
            start = "transfer" if since != joined else "joined"
            valid_to, end = None, ""
            if TRANSFERRED_SHARE <= draw < TRANSFERRED_SHARE + ENDED_SHARE and since < today:
                status, end, reason, _w = rng.choices(ENDINGS, weights=[e[3] for e in ENDINGS])[0]
                if rng.random() < 0.3:  # a good share left this year: "left this year" counts
                    first = max(since + dt.timedelta(days=1), dt.date(today.year, 1, 1))
                else:
                    first = since + dt.timedelta(days=1)
                valid_to = random_day(rng, min(first, today), today)
                row[20], row[21], row[22] = status, valid_to, reason
                population.ended += 1
            periods.append(
                (member_id, row[UNIT], since, valid_to, start, end, None, "", None, recorded,
                 *profile(row))
            )  # fmt: skip
            if member_id % pool_every == 0:
                population.name_pool.append(row[NAME])
            members.append([member_id, *row])
        population.members += len(members)
        population.memberships += len(periods)
        yield members, periods


def secondary_indexes(tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, definition) of the plain (not unique, not primary key) indexes of ``tables``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname
               JOIN pg_index x ON x.indexrelid = c.oid
               WHERE i.tablename = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary""",
            [list(tables)],
        )
        return cursor.fetchall()


def load_members(
    population: Population, people: People, total: int, rng: random.Random, layout: str
) -> None:
    """COPY members and memberships in one transaction; plain indexes are rebuilt after."""
    from django.db import connection, transaction

    tables = ("members_member", "members_membership")
    indexes = secondary_indexes(tables)
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        log(f"  dropped {len(indexes)} plain indexes for the load; generating and copying")
        for members, periods in generate(population, people, total, rng, layout):
            with cursor.copy(f"COPY members_member (id, {MEMBER_COLUMNS}) FROM STDIN") as copy:
                for row in members:
                    copy.write_row(row)
            with cursor.copy(f"COPY members_membership ({MEMBERSHIP_COLUMNS}) FROM STDIN") as copy:
                for period in periods:
                    copy.write_row(period)
            log(f"  {population.members:,} members, {population.memberships:,} periods")
        started = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now
        log(f"  foreign keys checked in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  rebuilt {len(indexes)} indexes in {time.perf_counter() - started:.1f} s")
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 1)) FROM {table}"
            )
        log("  committing")


# --- the import files -------------------------------------------------------------------------

FILE_HEADERS = [
    "Mã công đoàn cơ sở",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Tôn giáo",
    "Quê quán",
    "Số CCCD",
    "Số điện thoại",
    "Email",
    "Trình độ văn hóa",
    "Trình độ chuyên môn",
    "Nghề nghiệp",
    "Nơi làm việc",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
]


def file_row(row: list[Any], code: str) -> list[Any]:
    """A member row as the import file writes it (Vietnamese headers, dd/mm/yyyy dates)."""
    birth = str(row[BIRTH].year) if row[YEAR_ONLY] else row[BIRTH].strftime("%d/%m/%Y")
    return [
        code,
        row[NAME],
        birth,
        "Nữ" if row[SEX] == "F" else "Nam",
        row[ETHNICITY],
        row[RELIGION],
        row[HOMETOWN],
        row[CCCD],
        row[PHONE],
        row[EMAIL],
        row[EDUCATION],
        row[QUALIFICATION],
        row[JOB],
        row[WORKPLACE],
        row[JOINED].strftime("%d/%m/%Y"),
        row[CARD],
    ]


@dataclass
class ImportFile:
    label: str
    name: str
    data: bytes
    unit: Any  # the org Unit the import runs under
    rows: list[list[Any]]  # the member rows, in MEMBER_COLUMNS order, for the raw COPY


def make_file(
    label: str, name: str, unions: list[Union], count: int, people: People, unit: Any
) -> ImportFile:
    from congdoan.core.tabular import write_csv, write_xlsx

    rng = people.rng
    rows: list[list[Any]] = []
    lines: list[list[Any]] = []
    for _ in range(count):
        union = unions[rng.randrange(len(unions))]
        row = people.member(union)
        rows.append(row)
        lines.append(file_row(row, union.code))
    if name.endswith(".xlsx"):
        data = write_xlsx(FILE_HEADERS, lines, title="Đoàn viên")
    else:
        data = write_csv(FILE_HEADERS, lines)
    return ImportFile(label, name, data, unit, rows)


@dataclass
class ImportResult:
    label: str
    rows: int
    size: int  # bytes
    plan_s: float
    apply_s: float
    copy_s: float  # raw COPY of the member rows
    copy_both_s: float  # raw COPY of the member rows and their membership periods
    copy_plain_s: float  # raw COPY of the member rows without the trigram index
    imported: int
    errors: list[str]

    @property
    def total_s(self) -> float:
        return self.plan_s + self.apply_s

    @property
    def ratio(self) -> float:
        return self.total_s / self.copy_s if self.copy_s else float("inf")


def raw_copy(rows: list[list[Any]], today: dt.date) -> tuple[float, float, float]:
    """Seconds to COPY ``rows`` into a scratch copy of members_member, then with their
    periods, then into the scratch copy without its trigram index."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        for table in ("members_member", "members_membership"):
            cursor.execute(f"DROP TABLE IF EXISTS bench_{table}")
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as wrapper,
        wrapper.cursor.copy(f"COPY bench_members_member ({MEMBER_COLUMNS}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    members_s = time.perf_counter() - started
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as wrapper,
        wrapper.cursor.copy(
            f"COPY bench_members_membership ({MEMBERSHIP_COLUMNS}) FROM STDIN"
        ) as copy,
    ):
        for n, row in enumerate(rows, start=1):
            copy.write_row(
                (n, row[UNIT], row[JOINED], None, "imported", "", None, "", None, now,
                 *profile(row))
            )  # fmt: skip
    periods_s = time.perf_counter() - started
    with connection.cursor() as cursor:  # the same without the trigram index, for information
        cursor.execute("TRUNCATE bench_members_member")
        for name, definition in secondary_indexes(("bench_members_member",)):
            if "gin_trgm_ops" in definition:
                cursor.execute(f"DROP INDEX {name}")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as wrapper,
        wrapper.cursor.copy(f"COPY bench_members_member ({MEMBER_COLUMNS}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
    plain_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("members_member", "members_membership"):
            cursor.execute(f"DROP TABLE bench_{table}")
    return members_s, members_s + periods_s, plain_s


def run_import(file: ImportFile, actor: Any, today: dt.date) -> ImportResult:
    from django.db import connection

    from congdoan.members import imports
    from congdoan.members.models import Member

    before = Member.objects.count()
    log(f"{file.label}: plan_import of {file.name} ({len(file.data) / 1e6:.1f} MB)")
    started = time.perf_counter()
    plan = imports.plan_import(file.name, file.data, actor=actor, unit=file.unit)
    plan_s = time.perf_counter() - started
    errors = [str(e) for e in getattr(plan, "errors", [])]
    log(f"  planned in {plan_s:.1f} s; ok={plan.ok}, {len(errors)} errors {errors[:3]}")
    apply_s = 0.0
    if plan.ok:
        started = time.perf_counter()
        imports.apply_import(plan, actor=actor, source_name=file.name)
        apply_s = time.perf_counter() - started
        log(f"  applied in {apply_s:.1f} s")
    imported = Member.objects.count() - before
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")
        cursor.execute("ANALYZE members_membership")
    copy_s, copy_both_s, plain_s = raw_copy(file.rows, today)
    log(
        f"  raw COPY of the same member rows: {copy_s:.1f} s ({copy_both_s:.1f} s with periods, "
        f"{plain_s:.1f} s without the trigram index)"
    )
    return ImportResult(
        file.label,
        len(file.rows),
        len(file.data),
        plan_s,
        apply_s,
        copy_s,
        copy_both_s,
        plain_s,
        imported,
        errors,
    )


def profile_import(file: ImportFile, actor: Any, top: int = 30) -> str:
    """cProfile of plan_import + apply_import of ``file``: the functions taking the time."""
    from congdoan.members import imports

    profiler = cProfile.Profile()
    profiler.enable()
    plan = imports.plan_import(file.name, file.data, actor=actor, unit=file.unit)
    if plan.ok:
        imports.apply_import(plan, actor=actor, source_name=file.name)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --- search and statistics ----------------------------------------------------------------------


def forget_roles(user: Any) -> None:
    user._active_assignments = None


def explain(call: Callable[[], Any]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of every query ``call`` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            plans.append(f"{sql}\n{plan}")
    return "\n\n".join(plans)


@dataclass
class Measured:
    results: list[Result]
    plans: dict[str, str]  # label -> EXPLAIN ANALYZE output


@dataclass
class Users:
    root: Any  # the confederation
    provinces: list[Any]
    admin: Any  # ADMIN at the confederation
    province_users: list[Any]  # SPECIALIST at each province


def make_users(province_ids: list[int]) -> Users:
    """An ADMIN at the confederation, a SPECIALIST at each province; a reused database's
    users (made by the run that loaded it) are taken as they are."""
    from congdoan.accounts.models import User
    from congdoan.accounts.permissions import Role
    from congdoan.accounts.services import grant_role
    from congdoan.org.models import Unit

    def user(username: str, unit: Any, role: str, **extra: Any) -> Any:
        found = User.objects.filter(username=username).first()
        if found is not None:
            return found
        made = User.objects.create_user(username=username, **extra)
        grant_role(None, user=made, unit=unit, role=role)
        return made

    units = {u.pk: u for u in Unit.objects.filter(depth__lte=1)}
    root = units[1]
    provinces = [units[p] for p in province_ids]
    admin = user("bench.admin", root, Role.ADMIN, full_name="Quản trị đo tải")
    province_users = [
        user(f"bench.{province.code.lower()}", province, Role.SPECIALIST) for province in provinces
    ]
    return Users(root, provinces, admin, province_users)


# --- a reused database ------------------------------------------------------------------------


def holds_members() -> bool:
    """Whether the database is migrated and already holds members (for ``--reuse``)."""
    from django.db import connection

    if "members_member" not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM members_member)")
        return bool(cursor.fetchone()[0])


def loaded_provinces() -> list[int]:
    """The ids of the live provinces of a loaded tree, in org_scale.PROVINCES order (the
    order the tree builder wrote them)."""
    from congdoan.org.models import Unit

    return list(
        Unit.objects.filter(depth=1, valid_to__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def loaded_population() -> Population:
    """The loaded members as the measurements need them: the pool of sampled full names,
    the same members the load put into it (every total/5000-th generated id)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM members_member")
        total = cursor.fetchone()[0]
        every = max(total // 5000, 1)
        cursor.execute(
            "SELECT full_name FROM members_member WHERE id %% %s = 0 ORDER BY id", [every]
        )
        pool = [row[0] for row in cursor.fetchall()]
    return Population([], [], {}, members=total, name_pool=pool)


def timed(
    label: str,
    call: Callable[[Any], Any],
    args: Sequence[Any],
    target: float | None,
    budget: float,
    before: Callable[[Any], None] | None = None,
    warmup: int = WARMUP,
) -> Result:
    """org_scale.measure, stopping after ``budget`` seconds (with at least MIN_SAMPLES)."""
    for arg in args[:warmup]:
        if before:
            before(arg)
        call(arg)
    samples: list[float] = []
    started = time.perf_counter()
    for arg in args:
        if len(samples) >= MIN_SAMPLES and time.perf_counter() - started > budget:
            break
        if before:
            before(arg)
        begin = time.perf_counter()
        call(arg)
        samples.append(time.perf_counter() - begin)
    result = Result(label, samples, target)
    cut = (
        f" (stopped after {len(samples)} of {len(args)}: time budget)"
        if len(samples) < len(args)
        else ""
    )
    log(
        f"  {label}: p50 {result.pct(0.5) * 1000:.1f} ms, p95 {result.pct(0.95) * 1000:.1f} ms"
        + cut
    )
    return result


def run_measurements(
    people_users: Users, population: Population, samples: int, rng: random.Random,
    today: dt.date, always_explain: bool, budget: float,
) -> Measured:  # fmt: skip
    from django.db import DatabaseError, connection, transaction

    from congdoan.core.text import fold
    from congdoan.members import selectors

    root, provinces = people_users.root, people_users.provinces
    admin, province_users = people_users.admin, people_users.province_users

    results: list[Result] = []
    plans: dict[str, str] = {}
    pool = population.name_pool
    full_names = ["Nguyễn Văn An"] + [rng.choice(pool) for _ in range(samples - 1)]
    folded = [fold(name) for name in full_names]
    given = [rng.choice(pool).split()[-1] for _ in range(samples)]

    def search(pick: tuple[Any, str]) -> list[Any]:
        return list(selectors.search_members(pick[0], pick[1])[:50])

    searches = [
        ("search full name, diacritics, TLĐ user", admin, full_names),
        ("search full name, no diacritics, TLĐ user", admin, folded),
        ("search given name alone, TLĐ user", admin, given),
    ]
    users = [rng.choice(province_users) for _ in range(samples)]
    searches += [
        ("search full name, diacritics, province user", users, full_names),
        ("search full name, no diacritics, province user", users, folded),
        ("search given name alone, province user", users, given),
    ]
    log(f"timing the name search, {samples} samples each")
    for label, who, queries in searches:
        picks = [(who[i] if isinstance(who, list) else who, q) for i, q in enumerate(queries)]
        result = timed(
            label,
            search,
            picks,
            SEARCH_TARGET_MS / 1000,
            budget,
            before=lambda pick: forget_roles(pick[0]),
        )
        results.append(result)
        if always_explain or result.verdict == "MISS":
            slowest = max(range(len(result.samples)), key=lambda i: result.samples[i])
            plans[f"{label}: {picks[slowest][1]!r}"] = explain(lambda p=picks[slowest]: search(p))

    log(f"timing the name search without the trigram index, {NO_INDEX_SAMPLES} samples")
    trigram = [
        (name, definition)
        for name, definition in secondary_indexes(("members_member",))
        if "gin_trgm_ops" in definition
    ]
    if trigram:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for name, _definition in trigram:
                        cursor.execute(f"DROP INDEX {name}")
                for label, _who, queries in (searches[1], searches[2]):
                    picks = [(admin, q) for q in queries[:NO_INDEX_SAMPLES]]
                    results.append(
                        timed(
                            f"{label.replace(', TLĐ user', '')}, no trigram index",
                            search,
                            picks,
                            None,
                            budget / 2,
                            warmup=1,
                        )
                    )
                raise _Rollback
        except _Rollback:
            pass
        except DatabaseError as exc:
            log(f"  skipped: {exc}")
    else:
        log("  no trigram index on members_member.name_folded: nothing to compare")

    log(f"timing stats(unit, day), {samples} samples for provinces, {COUNTRY_SAMPLES} nationally")
    past = [random_day(rng, dt.date(2010, 1, 1), dt.date(2024, 12, 31)) for _ in range(samples)]
    stat_runs = [
        ("stats(province, today)", [(rng.choice(provinces), today) for _ in range(samples)],
         PROVINCE_STATS_TARGET_MS / 1000),
        ("stats(province, past day)", [(rng.choice(provinces), day) for day in past],
         PROVINCE_STATS_TARGET_MS / 1000),
        ("stats(TLĐ, today)", [(root, today)] * COUNTRY_SAMPLES, None),
        ("stats(TLĐ, past day)", [(root, day) for day in past[:COUNTRY_SAMPLES]], None),
    ]  # fmt: skip
    for label, picks, target in stat_runs:
        result = timed(label, lambda p: selectors.stats(*p), picks, target, budget, warmup=2)
        results.append(result)
        if always_explain or result.verdict == "MISS" or label == "stats(TLĐ, today)":
            slowest = max(range(len(result.samples)), key=lambda i: result.samples[i])
            pick = picks[slowest]
            plans[f"{label}: {pick[0].code} {pick[1]}"] = explain(
                lambda p=pick: selectors.stats(*p)
            )
    return Measured(results, plans)


class _Rollback(Exception):
    pass


# --- reporting ------------------------------------------------------------------------------


def member_counts() -> dict[str, int]:
    from django.db import connection

    queries = {
        "members": "SELECT count(*) FROM members_member",
        "  active": "SELECT count(*) FROM members_member WHERE status = 'active'",
        "  women": "SELECT count(*) FROM members_member WHERE sex = 'F'",
        "  ethnic minorities": "SELECT count(*) FROM members_member WHERE ethnicity <> 'Kinh'",
        "membership periods": "SELECT count(*) FROM members_membership",
        "unions with members": "SELECT count(DISTINCT unit_id) FROM members_member",
        "largest province (members)": """SELECT max(n) FROM (SELECT count(*) AS n
            FROM members_member m JOIN org_unit u ON u.id = m.unit_id
            GROUP BY split_part(u.path, '/', 3)) s""",
        "largest union (members)": """SELECT max(n) FROM (SELECT count(*) AS n
            FROM members_member GROUP BY unit_id) s""",
    }
    out = {}
    with connection.cursor() as cursor:
        for label, sql in queries.items():
            cursor.execute(sql)
            out[label] = cursor.fetchone()[0]
    return out


def report(
    org_counts: dict[str, int],
    counts: dict[str, int],
    timings: dict[str, float],
    measured: Measured,
    imports: list[ImportResult],
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    line = "-" * 104
    print()
    print(line)
    print("Công Đoàn Số – union members at national scale (PostgreSQL)")
    print(line)
    print(f"machine cores (os.cpu_count)     {os.cpu_count()}")
    print(f"PostgreSQL                       {server}")
    for label, value in {**org_counts, **counts}.items():
        print(f"{label:<33}{value:>12,}")
    for label, seconds in timings.items():
        print(f"{label:<33}{seconds:>12.1f} s")
    print(line)
    print(f"{'measurement':<60}{'n':>5}{'p50':>10}{'p95':>10}{'target':>12}{'':>2}result")
    for r in measured.results:
        target = f"<{r.target * 1000:.0f} ms p95" if r.target is not None else "—"
        print(
            f"{r.label:<60}{len(r.samples):>5}{r.pct(0.5) * 1000:>8.1f}ms"
            f"{r.pct(0.95) * 1000:>8.1f}ms{target:>14}  {r.verdict}"
        )
    if imports:
        print(line)
        print(
            f"{'import (plan + apply)':<24}{'rows':>10}{'plan':>9}{'apply':>9}{'total':>9}"
            f"{'rows/s':>9}{'COPY':>8}{'ratio':>7}{'target':>8}  result"
        )
        for i in imports:
            ok = not i.errors and i.imported == i.rows
            verdict = "—" if not ok else ("PASS" if i.ratio <= IMPORT_RATIO_TARGET else "MISS")
            if "XLSX" in i.label:
                verdict = "info" if ok else "FAIL"
            elif not ok:
                verdict = "FAIL"
            print(
                f"{i.label:<24}{i.rows:>10,}{i.plan_s:>8.1f}s{i.apply_s:>8.1f}s{i.total_s:>8.1f}s"
                f"{i.rows / i.total_s if i.total_s else 0:>9,.0f}{i.copy_s:>7.1f}s"
                f"{i.ratio:>6.1f}×{'≤3×' if 'CSV' in i.label else '—':>8}  {verdict}"
            )
            print(
                f"    {i.size / 1e6:.1f} MB; imported {i.imported:,} members; raw COPY of "
                f"members and their periods {i.copy_both_s:.1f} s "
                f"(ratio {i.total_s / i.copy_both_s if i.copy_both_s else 0:.1f}×); "
                f"without the trigram index {i.copy_plain_s:.1f} s"
            )
            if i.errors:
                print(f"    {len(i.errors)} errors, first: {'; '.join(i.errors[:3])}")
    print(line, flush=True)


def run_imports(
    args: argparse.Namespace,
    tree: org_scale.Tree,
    population: Population,
    people: People,
    users: Users,
    timings: dict[str, float],
    today: dt.date,
) -> tuple[list[ImportResult], str]:
    """The import files into the empty members table, then the table emptied again.

    Returns the results and, with ``--profile``, the cProfile report of a further import.
    """
    from django.db import connection

    from congdoan.org.models import Unit

    if not (args.xlsx_rows or args.csv_rows):
        return [], ""
    from congdoan.members import imports as _module  # noqa: F401  (fail early)

    by_province: dict[int, list[Union]] = {}
    for union in population.reserved:
        by_province.setdefault(union.province_index, []).append(union)
    largest = max(by_province, key=lambda p: len(by_province[p]))
    province = Unit.objects.get(pk=tree.province_ids[largest])
    rest = [u for u in population.reserved if u.province_index != largest]
    files = []
    t0 = time.perf_counter()
    if args.xlsx_rows:
        files.append(
            make_file(
                f"XLSX, under {province.code}",
                "doan-vien.xlsx",
                by_province[largest],
                args.xlsx_rows,
                people,
                province,
            )
        )
    if args.csv_rows:
        files.append(
            make_file("CSV, under TLĐ", "doan-vien.csv", rest, args.csv_rows, people, users.root)
        )
    timings["import files generated"] = time.perf_counter() - t0
    log(f"generated the import files in {timings['import files generated']:.1f} s")
    results, profile_text = [], ""
    for file in files:
        results.append(run_import(file, users.admin, today))
        file.data, file.rows = b"", []
    if args.profile:
        file = make_file("CSV, profiled", "profil.csv", rest, PROFILE_ROWS, people, users.root)
        log(f"profiling the import of {PROFILE_ROWS:,} CSV rows")
        profile_text = profile_import(file, users.admin)
    with connection.cursor() as cursor:  # the members of the imports go: the load starts empty
        cursor.execute(
            "TRUNCATE members_duplicateflag, members_membership, members_member RESTART IDENTITY"
        )
    log("emptied the members tables for the load")
    return results, profile_text


def reuse_loaded(
    config: dict[str, Any], timings: dict[str, float]
) -> tuple[Users, Population, list[ImportResult], str]:
    """A database loaded by an earlier run, migrated, with that run's users and names."""
    from django.core.management import call_command

    log(f"--reuse: {config['NAME']} already holds members; skipping the load and the imports")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - t0
    log(f"migrated in {timings['migrate']:.1f} s")
    users = make_users(loaded_provinces())
    population = loaded_population()
    log(f"{population.members:,} members, {len(population.name_pool):,} sampled names")
    return users, population, [], ""


def load_everything(
    args: argparse.Namespace,
    config: dict[str, Any],
    members: int,
    events: int,
    timings: dict[str, float],
) -> tuple[Users, Population, list[ImportResult], str]:
    """The organisation, the imports into the empty members table, then the members."""
    from django.db import connection
    from django.utils import timezone

    timings["migrate"] = org_scale.migrate_empty(config, "members_scale")
    log(f"migrated in {timings['migrate']:.1f} s; generating the organisation")
    rng = random.Random(42)
    t0 = time.perf_counter()
    tree = org_scale.build_tree(rng, args.grassroots, events)
    org_scale.load(tree, rng)
    timings["organisation load"] = time.perf_counter() - t0
    today = timezone.localdate()
    people = People(rng, today)
    population = plan_population(tree, rng)
    users = make_users(tree.province_ids)
    imports, profile_text = run_imports(args, tree, population, people, users, timings, today)

    log(
        f"generating {members:,} members over {len(population.unions):,} unions "
        f"(the {len(population.reserved):,} unions of the imports stay empty)"
    )
    t0 = time.perf_counter()
    load_members(population, people, members, rng, args.layout)
    timings["members load (generate + COPY)"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["VACUUM ANALYZE"] = time.perf_counter() - t1
    timings["members load total"] = time.perf_counter() - t0
    log(
        f"loaded {population.members:,} members ({population.transferred:,} transferred, "
        f"{population.ended:,} ended) in {timings['members load total']:.1f} s"
    )
    return users, population, imports, profile_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument(
        "--national",
        action="store_true",
        help=f"{NATIONAL_MEMBERS:,} members (overrides --members)",
    )
    parser.add_argument("--grassroots", type=int, default=140_000, help="alive today")
    parser.add_argument("--events", type=int, help="restructuring events (default grassroots/7)")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument(
        "--budget",
        type=float,
        default=45.0,
        help="seconds per measurement before it stops (after at least 20 samples)",
    )
    parser.add_argument(
        "--layout",
        choices=["province", "random"],
        default="province",
        help="table order of the generated members: by province (as each province's import "
        "writes them) or scattered at random",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile a further CSV import")
    parser.add_argument("--explain", action="store_true", help="print every query plan")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--drop-existing", action="store_true", help="drop the database first if it exists"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="when the database already holds members, skip the load and the imports and "
        "measure the search and the statistics on it again",
    )
    args = parser.parse_args(argv)
    members = NATIONAL_MEMBERS if args.national else args.members
    events = args.events if args.events is not None else max(args.grassroots // 7, 100)
    if args.grassroots < 1000 or members < 1000 or args.samples < 10:
        parser.error("use at least 1000 grassroots unions, 1000 members and 10 samples")
    if args.reuse and args.drop_existing:
        parser.error("--reuse measures an existing database: not with --drop-existing")

    config = org_scale.database_settings(args.database_url)
    started = time.perf_counter()
    created = org_scale.prepare_database(config, args.drop_existing)
    org_scale.setup_django(args.database_url)
    from django.utils import timezone

    try:
        timings: dict[str, float] = {}
        if args.reuse and not created and holds_members():
            users, population, imports, profile_text = reuse_loaded(config, timings)
        else:
            users, population, imports, profile_text = load_everything(
                args, config, members, events, timings
            )
        org = org_scale.counts()
        org_counts = {
            "units": org["units"],
            "  grassroots alive": org["  grassroots alive"],
            "restructuring events": org["restructuring events"],
        }
        counts = member_counts()
        today = timezone.localdate()
        measured = run_measurements(
            users, population, args.samples, random.Random(7), today, args.explain, args.budget
        )
        if profile_text:
            measured.plans["cProfile of plan_import + apply_import"] = profile_text
        timings["whole run"] = time.perf_counter() - started
        report(org_counts, counts, timings, measured, imports)
        for label, plan in measured.plans.items():
            print(f"\n=== {label}\n{plan}")
    finally:
        if created and not args.keep:
            org_scale.drop_database(config)
        elif args.keep:
            log(f"kept the database {config['NAME']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
