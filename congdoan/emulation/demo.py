"""Demo data of emulation.

This block — Lào Cai's initiatives and awards, after its report: "since 2018 nearly 6,000
initiatives recognised, worth about 17 billion đồng; 26 people honoured 'Lao động sáng tạo'
by the Tổng Liên đoàn". The data are generated (deterministically: the same every time)
across the grassroots unions of Lào Cai: each recognised initiative with its authors (linked
to the demo members where they are authors), its council and decision. The report of LCI
since 01/01/2018 computes those figures from them; nothing is typed in.

* 26 people honoured "Lao động sáng tạo" (2018–2024), each qualifying by the rule: one
  initiative whose share reaches their threshold, or (workers) three consecutive years adding
  up to 120 million. Their proposals from LĐLĐ Lào Cai to the Tổng Liên đoàn are approved.
* 2025: two more qualify; their proposal waits at the Tổng Liên đoàn. 2026: one more qualifies.
* A council of the provincial federation for this year with three applications before it, one
  of them by a council member (who is not offered it to score).
* Other honours: Bằng khen and Cờ thi đua of the LĐLĐ, Giấy khen of the districts.

Bulk inserts keep it to a few seconds. Loaded once: nothing happens when Lào Cai has
initiatives already.
Movements and contests: below the marker.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from congdoan.core.text import nfc, vnd
from congdoan.emulation import selectors, services
from congdoan.emulation.models import (
    Author,
    Award,
    AwardForm,
    Contest,
    Council,
    Initiative,
    Prize,
    Proposal,
    Qualification,
    Scope,
)
from congdoan.members.models import Member
from congdoan.org.models import Unit

D = dt.date
SEED = 2018
FIRST_YEAR = 2018
# Recognised a year, 2018 to 2026 (2026 up to November): 5,946 in all, "nearly 6,000".
RECOGNISED = {2018: 582, 2019: 618, 2020: 596, 2021: 640, 2022: 688, 2023: 702, 2024: 731,
              2025: 745, 2026: 644}  # fmt: skip
NOT_RECOGNISED_SHARE = 0.04
LDST_FORM = "lao-dong-sang-tao"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Lý",
          "Giàng", "Vàng", "Sùng", "Lù", "Tẩn", "Chảo", "Ma", "Nông", "Sần", "Hà", "Lò",
          "Thào", "Triệu", "Đinh"]  # fmt: skip
MEN = ["Văn Hùng", "Văn Dũng", "Minh Tuấn", "Văn Thắng", "Quang Huy", "Văn Sơn", "Văn Hải",
       "Đức Long", "Văn Phúc", "Mạnh Cường", "Văn Khánh", "A Páo", "Văn Dín", "Văn Sinh",
       "Văn Chiến", "Seo Dình", "A Sử", "Văn Dền", "Xuân Trường", "Công Thành"]  # fmt: skip
WOMEN = ["Thị Hoa", "Thị Lan", "Thị Hương", "Thị Mai", "Thu Hà", "Thị Nga", "Thúy Hằng",
         "Thị Huyền", "Thị Thơm", "Thị Súa", "Thị Mỷ", "Thị Sấn", "Thị Mẩy", "Kim Dung",
         "Hải Yến", "Thu Trang", "Thị Ngọc", "Phương Thảo"]  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """What a grassroots union does: the fields, titles and benefits of its initiatives."""

    field: str
    subjects: tuple[str, ...]
    titles: tuple[tuple[str, str, str], ...]  # position, qualification, as written
    benefit: tuple[int, int]  # VND range of an ordinary initiative
    weight: int  # how many initiatives it makes, relative to the others


KINDS = {
    "industry": Kind(
        "Kỹ thuật sản xuất",
        (
            "Cải tiến hệ thống bơm tuần hoàn nước tại phân xưởng tuyển",
            "Hợp lý hóa dây chuyền nghiền sàng quặng apatit",
            "Chế tạo thiết bị nâng hạ con lăn băng tải",
            "Giải pháp giảm tiêu hao điện năng của máy nghiền bi",
            "Cải tiến cơ cấu gạt đá tại máng rót",
            "Phục hồi trục rotor máy bơm bằng phương pháp phun phủ kim loại",
            "Lắp đặt biến tần cho quạt gió lò sấy",
            "Giải pháp kéo dài tuổi thọ lưới sàng rung",
            "Cải tiến quy trình bảo dưỡng xe vận tải mỏ",
            "Tự động hóa đóng cắt cầu dao phân đoạn đường dây 35 kV",
        ),
        (
            ("Công nhân vận hành", Qualification.WORKER, "Công nhân kỹ thuật bậc 5/7"),
            ("Tổ trưởng tổ cơ điện", Qualification.WORKER, "Cao đẳng nghề điện"),
            ("Kỹ sư cơ khí", Qualification.UNIVERSITY, "Kỹ sư cơ khí mỏ"),
            ("Quản đốc phân xưởng", Qualification.MANAGER, "Kỹ sư tuyển khoáng"),
        ),
        (2_000_000, 10_000_000),
        5,
    ),
    "tourism": Kind(
        "Du lịch và dịch vụ",
        (
            "Giải pháp điều phối hàng chờ cáp treo giờ cao điểm",
            "Ứng dụng vé điện tử mã QR cho khách đoàn",
            "Cải tiến quy trình bảo dưỡng cabin cáp treo",
            "Tiết kiệm nhiên liệu máy phát điện dự phòng ga đỉnh",
        ),
        (
            ("Nhân viên vận hành", Qualification.WORKER, "Trung cấp điện"),
            ("Kỹ sư cơ điện", Qualification.UNIVERSITY, "Kỹ sư cơ điện tử"),
        ),
        (1_500_000, 7_000_000),
        2,
    ),
    "health": Kind(
        "Y tế",
        (
            "Giải pháp rút ngắn thời gian chờ khám bệnh",
            "Ứng dụng phần mềm quản lý tiêm chủng tại trạm y tế xã",
            "Cải tiến quy trình khử khuẩn dụng cụ",
            "Tư vấn dinh dưỡng cho phụ nữ mang thai người dân tộc thiểu số",
        ),
        (
            ("Y sĩ", Qualification.WORKER, "Trung cấp y"),
            ("Bác sĩ", Qualification.UNIVERSITY, "Bác sĩ đa khoa"),
            ("Trưởng khoa", Qualification.MANAGER, "Bác sĩ chuyên khoa I"),
        ),
        (800_000, 4_000_000),
        2,
    ),
    "school": Kind(
        "Giáo dục và đào tạo",
        (
            "Một số biện pháp nâng cao kỹ năng đọc hiểu cho học sinh dân tộc thiểu số",
            "Ứng dụng công nghệ thông tin trong dạy học môn Toán",
            "Tổ chức hoạt động trải nghiệm gắn với văn hóa địa phương",
            "Giải pháp duy trì sĩ số học sinh bán trú",
            "Xây dựng thư viện xanh trong nhà trường",
            "Dạy tăng cường tiếng Việt cho trẻ mầm non vùng cao",
        ),
        (
            ("Giáo viên", Qualification.UNIVERSITY, "Cử nhân Sư phạm"),
            ("Giáo viên", Qualification.WORKER, "Cao đẳng Sư phạm"),
            ("Hiệu trưởng", Qualification.MANAGER, "Thạc sĩ Quản lý giáo dục"),
        ),
        (300_000, 1_800_000),
        3,
    ),
    "office": Kind(
        "Cải cách hành chính",
        (
            "Số hóa hồ sơ lưu trữ",
            "Giải pháp tiếp nhận hồ sơ trực tuyến mức độ toàn trình",
            "Tiết kiệm văn phòng phẩm bằng văn bản điện tử",
            "Rút ngắn thời gian giải quyết thủ tục hành chính",
            "Phần mềm theo dõi nhiệm vụ được giao",
        ),
        (
            ("Chuyên viên", Qualification.UNIVERSITY, "Cử nhân Luật"),
            ("Văn thư", Qualification.WORKER, "Trung cấp văn thư lưu trữ"),
            ("Trưởng phòng", Qualification.MANAGER, "Thạc sĩ Quản lý công"),
        ),
        (500_000, 3_500_000),
        2,
    ),
}


def _kind(unit: Unit) -> str:
    name = unit.name
    if any(w in name for w in ("Apatit", "Điện lực")):
        return "industry"
    if "Fansipan" in name:
        return "tourism"
    if any(w in name for w in ("Y tế", "Bệnh viện")):
        return "health"
    if any(w in name for w in ("Trường", "Giáo dục")):
        return "school"
    return "office"


@dataclass
class Person:
    name: str
    born: dt.date
    unit: Unit
    qualification: str
    title: str
    qualification_text: str
    member: Member | None = None


@dataclass
class Plan:
    """One initiative to create."""

    unit: Unit
    year: int
    decided_on: dt.date | None
    status: str
    name: str
    field: str
    benefit: int
    authors: list[tuple[Person, Decimal]]
    scope: str = Scope.UNIT


class _Generator:
    def __init__(self, units: list[Unit], members: list[Member], today: dt.date) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, not security
        self.units = units
        self.members = members
        self.today = today
        self.weights = [KINDS[_kind(u)].weight for u in units]
        self.used_names: set[tuple[str, dt.date]] = set()

    def day_in(self, year: int) -> dt.date:
        last = D(year, 12, 20) if year < self.today.year else self.today - dt.timedelta(days=7)
        first = D(year, 2, 15)
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def person(self, unit: Unit, *, title: tuple[str, str, str] | None = None) -> Person:
        rng = self.rng
        while True:
            woman = rng.random() < 0.45
            given = rng.choice(WOMEN if woman else MEN)
            name = f"{rng.choice(FAMILY)} {given}"
            born = D(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
            if (name, born) not in self.used_names:
                self.used_names.add((name, born))
                break
        position, qualification, text = title or rng.choice(KINDS[_kind(unit)].titles)
        return Person(nfc(name), born, unit, qualification, position, text)

    def member_person(self, member: Member) -> Person:
        kind = KINDS[_kind(member.unit)]
        university = member.qualification.startswith(("Đại học", "Thạc sĩ"))
        qualification = Qualification.UNIVERSITY if university else Qualification.WORKER
        title = next((t for t in kind.titles if t[1] == qualification), kind.titles[0])
        self.used_names.add((member.full_name, member.birth_date))
        return Person(
            member.full_name, member.birth_date, member.unit, qualification,
            member.job or title[0], member.qualification or title[2], member,
        )  # fmt: skip

    def split(self, count: int) -> list[Decimal]:
        shares = {1: [[100]], 2: [[60, 40], [70, 30], [50, 50]],
                  3: [[50, 30, 20], [40, 30, 30], [34, 33, 33]]}[count]  # fmt: skip
        return [Decimal(s) for s in self.rng.choice(shares)]

    def ordinary(self, year: int, status: str) -> Plan:
        rng = self.rng
        unit = rng.choices(self.units, self.weights)[0]
        kind = KINDS[_kind(unit)]
        count = rng.choices([1, 2, 3], [55, 30, 15])[0]
        people = [self.person(unit) for _ in range(count)]
        if self.members and rng.random() < 0.02:
            member = rng.choice(self.members)
            if member.unit_id == unit.pk:
                people[0] = self.member_person(member)
        low, high = kind.benefit
        benefit = rng.randint(low // 100_000, high // 100_000) * 100_000
        scope = rng.choices(list(Scope.values), [80, 18, 2])[0]
        return Plan(
            unit,
            year,
            self.day_in(year) if status != Initiative.Status.SUBMITTED else None,
            status,
            rng.choice(kind.subjects),
            kind.field,
            benefit if status == Initiative.Status.RECOGNISED else 0,
            list(zip(people, self.split(count), strict=True)),
            scope,
        )


# The people honoured "Lao động sáng tạo" and the ones who qualify after: (year of the
# honour, kind of basis, qualification, share in VND of each initiative they author).
LDST_PLAN: list[tuple[int, str, str, list[int]]] = [
    (2018, "single", Qualification.WORKER, [92_000_000]),
    (2018, "single", Qualification.UNIVERSITY, [168_000_000]),
    (2018, "single", Qualification.MANAGER, [215_000_000]),
    (2019, "single", Qualification.WORKER, [86_500_000]),
    (2019, "single", Qualification.WORKER, [104_000_000]),
    (2019, "single", Qualification.UNIVERSITY, [152_000_000]),
    (2019, "single", Qualification.MANAGER, [240_000_000]),
    (2020, "three_years", Qualification.WORKER, [38_000_000, 41_000_000, 45_500_000]),
    (2020, "single", Qualification.WORKER, [81_000_000]),
    (2020, "single", Qualification.UNIVERSITY, [175_000_000]),
    (2021, "three_years", Qualification.WORKER, [42_000_000, 39_000_000, 44_000_000]),
    (2021, "single", Qualification.WORKER, [97_000_000]),
    (2021, "single", Qualification.UNIVERSITY, [158_000_000]),
    (2021, "single", Qualification.MANAGER, [206_000_000]),
    (2022, "three_years", Qualification.WORKER, [35_000_000, 47_000_000, 40_000_000]),
    (2022, "single", Qualification.WORKER, [88_000_000]),
    (2022, "single", Qualification.UNIVERSITY, [161_000_000]),
    (2022, "single", Qualification.WORKER, [112_000_000]),
    (2023, "three_years", Qualification.WORKER, [44_000_000, 36_500_000, 43_000_000]),
    (2023, "single", Qualification.WORKER, [83_000_000]),
    (2023, "single", Qualification.UNIVERSITY, [190_000_000]),
    (2023, "single", Qualification.MANAGER, [228_000_000]),
    (2024, "three_years", Qualification.WORKER, [40_000_000, 40_500_000, 46_000_000]),
    (2024, "three_years", Qualification.WORKER, [39_000_000, 42_500_000, 41_000_000]),
    (2024, "single", Qualification.WORKER, [95_000_000]),
    (2024, "single", Qualification.UNIVERSITY, [154_000_000]),
    # Not honoured yet: the 2025 proposal waits at the Tổng Liên đoàn; 2026 is not proposed.
    (2025, "single", Qualification.WORKER, [99_000_000]),
    (2025, "single", Qualification.UNIVERSITY, [163_000_000]),
    (2026, "single", Qualification.WORKER, [87_000_000]),
]
HONOURED_UP_TO = 2024
# Demo members who are among them: (full name, index in LDST_PLAN).
LDST_MEMBERS = {"Trần Văn Hùng": 7, "Phạm Minh Đức": 9, "Lù Văn Dín": 6, "Vương Văn Sinh": 21}


def _title_for(kind: Kind, qualification: str) -> tuple[str, str, str]:
    return next((t for t in kind.titles if t[1] == qualification), kind.titles[0])


def _ldst_plans(gen: _Generator, members: dict[str, Member]) -> list[tuple[Person, list[Plan]]]:
    rng = gen.rng
    industry = [u for u in gen.units if _kind(u) in ("industry", "tourism")] or gen.units
    by_index = {index: members[name] for name, index in LDST_MEMBERS.items() if name in members}
    result = []
    for index, (year, basis, qualification, shares) in enumerate(LDST_PLAN):
        member = by_index.get(index)
        if member is not None:
            person = gen.member_person(member)
            person.qualification = qualification
        else:
            unit = rng.choice(industry if qualification == Qualification.WORKER else gen.units)
            person = gen.person(unit, title=_title_for(KINDS[_kind(unit)], qualification))
        kind = KINDS[_kind(person.unit)]
        years = [year] if basis == "single" else [year - 2, year - 1, year]
        plans = []
        for plan_year, share in zip(years, shares, strict=True):
            solo = rng.random() < 0.5
            contribution = Decimal(100) if solo else Decimal(rng.choice([60, 70, 80]))
            benefit = int(Decimal(share) * 100 / contribution)
            authors = [(person, contribution)]
            if not solo:
                authors.append((gen.person(person.unit), Decimal(100) - contribution))
            plans.append(
                Plan(
                    person.unit,
                    plan_year,
                    gen.day_in(plan_year),
                    Initiative.Status.RECOGNISED,
                    rng.choice(kind.subjects),
                    kind.field,
                    benefit,
                    authors,
                    Scope.PROVINCE,
                )
            )
        result.append((person, plans))
    return result


def _council_for(
    councils: dict[tuple[int, int], Council], unit: Unit, year: int, parents: dict[int, Unit]
) -> Council:
    parent = parents.get(unit.parent_id) or unit
    key = (parent.pk, year)
    if key not in councils:
        councils[key] = Council(
            unit=parent,
            name=nfc(f"Hội đồng sáng kiến {parent.name} năm {year}"),
            year=year,
            established_by=nfc(f"Quyết định số {10 + len(councils) % 60}/QĐ ngày 15/01/{year}"),
        )
    return councils[key]


def _create(plans: list[Plan], parents: dict[int, Unit], today: dt.date) -> list[Initiative]:
    """Councils, initiatives and authors in bulk."""
    councils: dict[tuple[int, int], Council] = {}
    for plan in plans:
        if plan.decided_on is not None:
            _council_for(councils, plan.unit, plan.year, parents)
    Council.objects.bulk_create(councils.values())
    rng = random.Random(SEED + 1)  # noqa: S311
    initiatives = []
    numbers: dict[tuple[int, int], int] = {}
    for plan in plans:
        lead = plan.authors[0][0]
        council = None
        reference = ""
        if plan.decided_on is not None:
            council = _council_for(councils, plan.unit, plan.year, parents)
            numbers[(council.pk, plan.year)] = numbers.get((council.pk, plan.year), 0) + 1
            abbreviation = council.unit.abbreviation or "CĐ"
            reference = f"Quyết định số {numbers[(council.pk, plan.year)]}/QĐ-{abbreviation}"
        recognised = plan.status == Initiative.Status.RECOGNISED
        applied = (plan.decided_on or today) - dt.timedelta(days=rng.randint(90, 300))
        initiatives.append(
            Initiative(
                unit=plan.unit,
                name=nfc(plan.name),
                field=plan.field,
                first_applied_on=applied,
                description=nfc(
                    f"{plan.name}. Giải pháp do {lead.name} ({lead.title}) đề xuất, đã áp dụng "
                    f"thử tại {plan.unit.name.removeprefix('Công đoàn cơ sở ')} từ "
                    f"{applied:%d/%m/%Y}."
                ),
                conditions="Áp dụng được tại các đơn vị có điều kiện tương tự.",
                expected_benefit=nfc("Tiết kiệm chi phí, nâng cao năng suất và chất lượng."),
                expected_benefit_vnd=plan.benefit or rng.randint(5, 50) * 100_000,
                applied_by=nfc("\n".join(p.name for p, _c in plan.authors)),
                status=plan.status,
                benefit_vnd=plan.benefit if recognised else 0,
                scope=plan.scope if recognised else "",
                decided_on=plan.decided_on,
                decision_reference=nfc(reference),
                decision_reasons=(
                    ""
                    if recognised or plan.decided_on is None
                    else "Giải pháp đã được áp dụng phổ biến tại đơn vị trước khi đề nghị."
                ),
                council=council,
                year=plan.year,
            )
        )
    Initiative.objects.bulk_create(initiatives, batch_size=500)
    for initiative, plan in zip(initiatives, plans, strict=True):
        day = (plan.decided_on or today) - dt.timedelta(days=rng.randint(15, 40))
        initiative.submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
    Initiative.objects.bulk_update(initiatives, ["submitted_at"], batch_size=500)
    authors = [
        Author(
            initiative=initiative,
            member=person.member,
            full_name=person.name,
            birth_date=person.born,
            workplace=nfc(person.unit.name.removeprefix("Công đoàn cơ sở ")),
            title=nfc(person.title),
            qualification=person.qualification,
            qualification_text=nfc(person.qualification_text),
            contribution=contribution,
        )
        for initiative, plan in zip(initiatives, plans, strict=True)
        for person, contribution in plan.authors
    ]
    Author.objects.bulk_create(authors, batch_size=1000)
    return initiatives


@transaction.atomic
def load_demo_initiatives(log: Callable[[str], None] = print) -> int:
    """Lào Cai's initiatives since 2018 and its honours, once: nothing when Lào Cai has
    initiatives already (or the demo units are not there). Returns how many were added."""
    units = {u.code: u for u in Unit.objects.filter(code__in=["TLD", "LCI"])}
    if len(units) < 2:
        log("The demo units are not there; no demo initiatives were added.")
        return 0
    tld, lci = units["TLD"], units["LCI"]
    if Initiative.objects.filter(unit__path__startswith=lci.path).exists():
        return 0
    today = timezone.localdate()
    grassroots = list(
        Unit.objects.filter(
            path__startswith=lci.path,
            code__startswith="LCI-",
            kind__code="grassroots",
            valid_to__isnull=True,
        ).order_by("code")
    )
    parents = {u.pk: u for u in Unit.objects.filter(path__startswith=lci.path)}
    members = list(Member.objects.filter(unit__in=grassroots).select_related("unit").order_by("pk"))
    gen = _Generator(grassroots, members, today)
    by_name = {m.full_name: m for m in members}

    ldst = _ldst_plans(gen, by_name)
    special = [plan for _person, plans in ldst for plan in plans]
    counts = {y: n for y, n in RECOGNISED.items() if y <= today.year}
    for plan in special:
        counts[plan.year] -= 1
    plans: list[Plan] = list(special)
    for year, count in counts.items():
        for _ in range(count):
            plans.append(gen.ordinary(year, Initiative.Status.RECOGNISED))
        for _ in range(round(count * NOT_RECOGNISED_SHARE)):
            plans.append(gen.ordinary(year, Initiative.Status.NOT_RECOGNISED))
    gen.rng.shuffle(plans)
    initiatives = _create(plans, parents, today)

    honoured = _ldst_awards(ldst, initiatives, plans, tld, lci)
    others = _other_awards(gen, initiatives, plans, tld, lci, grassroots, parents)
    pending = _pending_council(lci, members, today)

    recognised = sum(1 for p in plans if p.status == Initiative.Status.RECOGNISED)
    total = sum(p.benefit for p in plans if p.status == Initiative.Status.RECOGNISED)
    log(
        f"Demo: {recognised} initiatives recognised in Lào Cai since {FIRST_YEAR}, "
        f"{vnd(total)} VND of benefit; {honoured} people honoured “Lao động sáng tạo”; "
        f"{others} other awards; {pending} applications before the council."
    )
    return len(initiatives) + pending


def _ldst_awards(
    ldst: list[tuple[Person, list[Plan]]],
    initiatives: list[Initiative],
    plans: list[Plan],
    tld: Unit,
    lci: Unit,
) -> int:
    """Approved proposals of LĐLĐ Lào Cai to the Tổng Liên đoàn and the awards they made,
    2018–2024; the 2025 proposal waits for its decision."""
    form = AwardForm.objects.get(code=LDST_FORM)
    made = {id(plan): initiative for plan, initiative in zip(plans, initiatives, strict=True)}
    by_year: dict[int, list[tuple[Person, list[Plan]]]] = {}
    for person, person_plans in ldst:
        by_year.setdefault(person_plans[-1].year, []).append((person, person_plans))
    rule = "lao-dong-sang-tao v1"
    awards = []
    honoured = 0
    for year, people in sorted(by_year.items()):
        if year > HONOURED_UP_TO + 1:
            continue
        candidates = []
        for person, person_plans in people:
            share = sum(selectors.share_of(p.benefit, p.authors[0][1]) for p in person_plans)
            candidates.append(
                {
                    "name": person.name,
                    "member": person.member.pk if person.member else None,
                    "unit": person.unit.code,
                    "birth_date": person.born.isoformat(),
                    "qualification": person.qualification,
                    "basis": nfc(
                        f"Giá trị làm lợi phần đóng góp {vnd(share)} đồng "
                        f"({len(person_plans)} sáng kiến, {person_plans[0].year}–{year})."
                    ),
                    "initiatives": [made[id(p)].pk for p in person_plans],
                    "total_vnd": share,
                    "rule": rule,
                }
            )
        approved = year <= HONOURED_UP_TO
        decided_on = D(year + 1, 4, 20)
        proposal = Proposal.objects.create(
            from_unit=lci,
            to_unit=tld,
            form=form,
            year=year,
            status=Proposal.Status.APPROVED if approved else Proposal.Status.SUBMITTED,
            candidates=candidates,
            note=nfc(f"Đề nghị tặng Bằng Lao động sáng tạo năm {year}."),
            decided_note="Đồng ý." if approved else "",
            decided_at=(
                timezone.make_aware(dt.datetime.combine(decided_on, dt.time(9)))
                if approved
                else None
            ),
        )
        if not approved:
            continue
        reference = f"Quyết định số {300 + year % 100 * 7}/QĐ-TLĐ"
        for candidate, (person, person_plans) in zip(candidates, people, strict=True):
            awards.append(
                Award(
                    form=form,
                    granted_by=tld,
                    member=person.member,
                    person_name=person.name,
                    unit=person.unit,
                    decision_reference=reference,
                    decided_on=decided_on,
                    year=year,
                    reason=candidate["basis"],
                    initiative=made[id(person_plans[-1])],
                    proposal=proposal,
                )
            )
            honoured += 1
    Award.objects.bulk_create(awards)
    return honoured


def _other_awards(
    gen: _Generator,
    initiatives: list[Initiative],
    plans: list[Plan],
    tld: Unit,
    lci: Unit,
    grassroots: list[Unit],
    parents: dict[int, Unit],
) -> int:
    rng = gen.rng
    forms = {f.code: f for f in AwardForm.objects.all()}
    recognised = [
        (plan, initiative)
        for plan, initiative in zip(plans, initiatives, strict=True)
        if plan.status == Initiative.Status.RECOGNISED
    ]
    awards = []
    for year in range(FIRST_YEAR, gen.today.year):
        day = D(year, 12, 28)
        of_year = [pi for pi in recognised if pi[0].year == year]
        for number, (plan, initiative) in enumerate(rng.sample(of_year, 14)):
            person = plan.authors[0][0]
            provincial = number < 6
            granted_by = lci if provincial else (parents.get(plan.unit.parent_id) or lci)
            awards.append(
                Award(
                    form=forms["bang-khen-ldld" if provincial else "giay-khen"],
                    granted_by=granted_by,
                    member=person.member,
                    person_name=person.name,
                    unit=plan.unit,
                    decision_reference=(
                        f"Quyết định số {1200 + number}/QĐ-LĐLĐ"
                        if provincial
                        else f"Quyết định số {80 + number}/QĐ-{granted_by.abbreviation or 'LĐLĐ'}"
                    ),
                    decided_on=day,
                    year=year,
                    reason=nfc(f"Có sáng kiến “{plan.name}” được công nhận năm {year}."),
                    initiative=initiative,
                )
            )
        for number, unit in enumerate(rng.sample(grassroots, 3)):
            form = forms["co-thi-dua-ldld"] if number < 2 else forms["bang-khen-tld"]
            awards.append(
                Award(
                    form=form,
                    granted_by=lci if number < 2 else tld,
                    unit=unit,
                    decision_reference=(
                        f"Quyết định số {1250 + number}/QĐ-LĐLĐ"
                        if number < 2
                        else f"Quyết định số {1500 + year % 100}/QĐ-TLĐ"
                    ),
                    decided_on=day,
                    year=year,
                    reason=nfc(f"Đơn vị xuất sắc phong trào thi đua năm {year}."),
                )
            )
    Award.objects.bulk_create(awards)
    return len(awards)


def _pending_council(lci: Unit, members: list[Member], today: dt.date) -> int:
    """This year's council of LĐLĐ Lào Cai with three applications before it (through the
    services, with their history); one is by a council member, who does not score it."""
    usernames = ["laocai.lanhdao", "laocai.vanphong", "laocai.vanthu", "apatit.chutich"]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    if len(users) < len(usernames):
        return 0
    huong = next((m for m in members if m.full_name == "Ma Thị Hương"), None)
    council = services.create_council(
        None,
        lci,
        name=f"Hội đồng sáng kiến Liên đoàn Lao động tỉnh Lào Cai năm {today.year}, đợt 2",
        year=today.year,
        established_by=f"Quyết định số 15/QĐ-LĐLĐ ngày 20/01/{today.year}",
    )
    services.add_council_member(None, council, users["laocai.lanhdao"], role="chair")
    services.add_council_member(None, council, users["laocai.vanthu"], role="secretary")
    services.add_council_member(None, council, users["laocai.vanphong"])
    services.add_council_member(None, council, users["apatit.chutich"])
    units = {u.code: u for u in Unit.objects.filter(code__in=["LCI-TP-CS1", "LCI-PSP"])}
    applied = today - dt.timedelta(days=120)
    applications: list[tuple[Unit, dict[str, Any], list[dict[str, Any]]]] = [
        (
            units.get("LCI-TP-CS1", lci),
            {"name": "Cải tiến máng rót quặng tinh giảm rơi vãi",
             "field": "Kỹ thuật sản xuất", "first_applied_on": applied,
             "description": "Lắp tấm chắn và máng dẫn bằng thép chống mài mòn tại điểm rót "
                            "quặng tinh xuống băng tải số 3; giảm rơi vãi và công dọn vệ sinh.",
             "conditions": "Thép tấm chống mài mòn dày 10 mm; 2 ngày dừng máy để lắp đặt.",
             "expected_benefit": "Thu hồi khoảng 180 tấn quặng mỗi năm.",
             "expected_benefit_vnd": 95_000_000,
             "applied_by": "Tổ vận hành băng tải phân xưởng tuyển"},
            [{"full_name": "Hoàng Văn Quyết", "birth_date": D(1986, 5, 14),
              "workplace": "Công ty Cổ phần Apatit Việt Nam", "title": "Tổ trưởng vận hành",
              "qualification": Qualification.WORKER,
              "qualification_text": "Công nhân kỹ thuật bậc 6/7", "contribution": 70},
             {"member": huong.pk if huong else None,
              "full_name": "Ma Thị Hương", "birth_date": D(1983, 6, 6),
              "workplace": "Công ty Cổ phần Apatit Việt Nam", "title": "Kế toán",
              "qualification": Qualification.UNIVERSITY,
              "qualification_text": "Cử nhân Kế toán", "contribution": 30}],
        ),
        (
            lci,
            {"name": "Phần mềm theo dõi quỹ công đoàn cơ sở trên điện thoại",
             "field": "Tài chính công đoàn", "first_applied_on": applied,
             "description": "Ứng dụng ghi thu, chi và đối chiếu đoàn phí hằng tháng, xuất "
                            "báo cáo theo mẫu của Tổng Liên đoàn.",
             "expected_benefit": "Giảm thời gian lập báo cáo quyết toán.",
             "expected_benefit_vnd": 30_000_000},
            # By a council member (no registry record: her name is enough to abstain).
            [{"full_name": "Phạm Thị Mai", "birth_date": D(1985, 9, 9),
              "workplace": "Văn phòng Liên đoàn Lao động tỉnh Lào Cai", "title": "Chuyên viên",
              "qualification": Qualification.UNIVERSITY,
              "qualification_text": "Cử nhân Tài chính", "contribution": 100}],
        ),
        (
            units.get("LCI-PSP", lci),
            {"name": "Số hóa hồ sơ đoàn viên bằng mã QR trên thẻ",
             "field": "Cải cách hành chính", "first_applied_on": applied,
             "description": "In mã QR trên thẻ đoàn viên để tra cứu nhanh khi chuyển sinh hoạt.",
             "expected_benefit_vnd": 12_000_000},
            [{"full_name": "Đỗ Thị Ngọc Ánh", "birth_date": D(1991, 3, 3),
              "workplace": "UBND phường Sa Pa", "title": "Văn thư",
              "qualification": Qualification.UNIVERSITY, "contribution": 100}],
        ),
    ]  # fmt: skip
    for unit, data, authors in applications:
        initiative = services.submit_initiative(None, unit, data, authors)
        services.put_before_council(None, initiative, council)
    return len(applications)


# --- movements and contests (below)

# The Hà Tĩnh contest "Viết sáng kiến cải cách hành chính" (Baohatinh.vn): 25 solutions
# received, 16 chosen for the final, the first prize to "Sử dụng các chủng vi sinh vật hữu
# ích trong hạn chế ô nhiễm rác thải sinh hoạt ở các bãi rác tại Hà Tĩnh" by a group of the
# Trung tâm Ứng dụng Tiến bộ KH&CN (Sở KH&CN), whose initiative was then recognised.
# The contest was run by Công đoàn Viên chức tỉnh in 2019. That union was split on 01/03/2025
# between the unions of the Party offices and of the provincial People's Committee, so its
# grassroots unions now sit under two unions: the organiser kept here is the provincial
# federation (HTH), the live unit above both. Everything goes through the services, dated in
# 2019 where a phase matters. Helpers of this block start with ``_mc_``.


DEMO_CONTEST_ORGANISER = "HTH"
DEMO_CONTEST_NAME = "Viết sáng kiến cải cách hành chính"
DEMO_CONTEST_SLUG = "viet-sang-kien-cai-cach-hanh-chinh-ha-tinh-2019"
DEMO_JURORS = ("hatinh.giamkhao1", "hatinh.giamkhao2", "hatinh.giamkhao3")
DEMO_WINNER = (
    "Sử dụng các chủng vi sinh vật hữu ích trong hạn chế ô nhiễm rác thải sinh hoạt ở các bãi "
    "rác tại Hà Tĩnh"
)
DEMO_FINALISTS = 16

#: The 25 entries, best first as the jury ended up ranking them in screening:
#: (grassroots union code, title, authors).
DEMO_ENTRIES: list[tuple[str, str, str]] = [
    ("HTH-VC-KHCN", DEMO_WINNER, "Dương Thị Minh Nguyệt, Bùi Quang Khải, Trần Thị Thanh Hà"),
    ("HTH-VC-BHXH", "Đăng ký cấp lại thẻ BHYT trực tuyến cho đối tượng cá nhân",
     "Võ Thị Hoài Thương, Lê Đình Sơn"),
    ("HTH-VC-VPUB", "Giải pháp tự động hóa việc trả lời tiến độ giải quyết hồ sơ thủ tục hành "
     "chính trên điện thoại thông minh qua ứng dụng Zalo", "Nguyễn Hữu Thắng"),
    ("HTH-VC-VPTU", "Phần mềm hệ thống quản lý hồ sơ văn phòng cấp ủy",
     "Phạm Văn Quang, Hoàng Thị Mai"),
    ("HTH-VC-STC", "Giao dự toán và theo dõi giải ngân vốn đầu tư công trên phần mềm dùng chung",
     "Trần Quốc Việt, Nguyễn Thị Hồng Nhung"),
    ("HTH-VC-KHCN", "Ứng dụng mã QR truy xuất nguồn gốc sản phẩm OCOP Hà Tĩnh",
     "Bùi Quang Khải"),
    ("HTH-VC-BHXH", "Nhắc nợ bảo hiểm xã hội tự động qua tin nhắn cho đơn vị sử dụng lao động",
     "Hồ Thị Thanh Tâm"),
    ("HTH-VC-VPUB", "Công khai kết quả giải quyết thủ tục hành chính tại Trung tâm Phục vụ hành "
     "chính công", "Đinh Thị Phương"),
    ("HTH-VC-BTG", "Số hóa tài liệu sinh hoạt chi bộ hằng tháng", "Nguyễn Văn Tình"),
    ("HTH-VC-STC", "Cấp mã số đơn vị có quan hệ với ngân sách qua mạng", "Đặng Văn Hòa"),
    ("HTH-VC-VPTU", "Gửi nhận văn bản điện tử có chữ ký số giữa các cơ quan Đảng trong tỉnh",
     "Lê Thị Hương"),
    ("HTH-VC-KHCN", "Xây dựng cơ sở dữ liệu nhiệm vụ khoa học và công nghệ cấp tỉnh",
     "Dương Thị Minh Nguyệt"),
    ("HTH-VC-BHXH", "Tiếp nhận hồ sơ hưởng chế độ ốm đau, thai sản qua giao dịch điện tử",
     "Phan Văn Thuận, Thái Thị Phương Thảo"),
    ("HTH-VC-VPUB", "Theo dõi nhiệm vụ UBND tỉnh giao trên phần mềm quản lý văn bản và điều "
     "hành", "Võ Văn Bình"),
    ("HTH-VC-BTG", "Tổ chức thi tìm hiểu nghị quyết trực tuyến cho cán bộ, đảng viên",
     "Trần Thị Lý"),
    ("HTH-VC-STC", "Rút ngắn thời gian thẩm định giá đất cụ thể bằng bảng tính dùng chung",
     "Nguyễn Thị Hồng Nhung"),
    ("HTH-VC-KHCN", "Tiếp nhận hồ sơ đo lường, chất lượng qua dịch vụ công trực tuyến mức độ 4",
     "Nguyễn Đình Hải"),
    ("HTH-VC-VPTU", "Chuẩn hóa thể thức văn bản của Đảng trên phần mềm soạn thảo",
     "Phạm Thị Thu"),
    ("HTH-VC-BHXH", "Chi trả lương hưu qua tài khoản ngân hàng cho người hưởng ở nông thôn",
     "Lê Văn Đức"),
    ("HTH-VC-VPUB", "Họp trực tuyến giữa UBND tỉnh với các huyện, thị xã, thành phố",
     "Hồ Sỹ Tuấn"),
    ("HTH-VC-BTG", "Nắm bắt dư luận xã hội qua đội ngũ cộng tác viên trên mạng xã hội",
     "Nguyễn Thị Vân"),
    ("HTH-VC-STC", "Thẩm định quyết toán dự án hoàn thành theo danh mục hồ sơ điện tử",
     "Trần Văn Long"),
    ("HTH-VC-KHCN", "Số hóa quy trình thẩm định hồ sơ đăng ký nhãn hiệu tập thể",
     "Lê Thị Ngọc Anh"),
    ("HTH-VC-BHXH", "Tra cứu quá trình đóng BHXH trên ứng dụng VssID tại bộ phận một cửa",
     "Nguyễn Thị Quỳnh Trang"),
    ("HTH-VC-BTG", "Lưu trữ hồ sơ đảng viên bằng phần mềm quản lý cơ sở dữ liệu",
     "Phan Thị Hằng"),
]  # fmt: skip

_MC_D = dt.date


def _mc_day_at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _mc_scores(quality: Decimal, juror: int, criterion: int) -> Decimal:
    """A juror's score on a criterion around the entry's quality: jurors differ a little."""
    spread = [Decimal("0.2"), Decimal(0), Decimal("-0.2")][juror]
    tilt = [Decimal(0), Decimal("0.3"), Decimal("-0.3")][(juror + criterion) % 3]
    return max(Decimal(0), min(Decimal(10), quality + spread + tilt))


def _mc_recognise_winner(entry_unit: Any) -> Initiative:
    """The winning solution as a recognised initiative of the Sở KH&CN (TT 18/2013)."""
    initiative = services.submit_initiative(
        None,
        entry_unit,
        {
            "name": DEMO_WINNER,
            "field": "Môi trường, xử lý chất thải",
            "first_applied_on": _MC_D(2018, 10, 1),
            "description": (
                "Phân lập, nhân giống các chủng vi sinh vật hữu ích (vi khuẩn, nấm men, xạ "
                "khuẩn) và phun định kỳ lên rác thải sinh hoạt tại bãi rác để giảm mùi hôi, "
                "ruồi nhặng và rút ngắn thời gian phân hủy."
            ),
            "conditions": "Chế phẩm vi sinh do Trung tâm sản xuất; máy phun tại bãi rác.",
            "expected_benefit": "Xử lý ô nhiễm tại bãi rác Phượng Thành (xã Đức Hòa, Đức Thọ).",
            "expected_benefit_vnd": 350_000_000,
            "applied_by": "Bãi rác Phượng Thành, xã Đức Hòa, huyện Đức Thọ",
            "year": 2019,
        },
        [
            {"full_name": "Dương Thị Minh Nguyệt", "birth_date": _MC_D(1984, 11, 30),
             "workplace": "Trung tâm Ứng dụng tiến bộ KH&CN Hà Tĩnh", "title": "Phó Giám đốc",
             "qualification": "university", "qualification_text": "Thạc sĩ Sinh học",
             "contribution": 50},
            {"full_name": "Bùi Quang Khải", "birth_date": _MC_D(1991, 9, 2),
             "workplace": "Trung tâm Ứng dụng tiến bộ KH&CN Hà Tĩnh", "title": "Kỹ sư",
             "qualification": "university", "qualification_text": "Kỹ sư Công nghệ sinh học",
             "contribution": 30},
            {"full_name": "Trần Thị Thanh Hà", "birth_date": _MC_D(1988, 5, 12),
             "workplace": "Trung tâm Ứng dụng tiến bộ KH&CN Hà Tĩnh", "title": "Kỹ thuật viên",
             "qualification": "worker", "qualification_text": "Cao đẳng Môi trường",
             "contribution": 20},
        ],
    )  # fmt: skip
    Initiative.objects.filter(pk=initiative.pk).update(submitted_at=_mc_day_at(_MC_D(2019, 4, 8)))
    return initiative


def load_demo_contests(log: Callable[[str], None] = print) -> Contest | None:
    """The Hà Tĩnh contest, once: when no contest exists and the demo's units and jurors do."""
    from congdoan.org.models import Unit

    if Contest.objects.exists():
        return None
    organiser = Unit.objects.filter(code=DEMO_CONTEST_ORGANISER).first()
    jurors = list(get_user_model().objects.filter(username__in=DEMO_JURORS).order_by("username"))
    codes = {code for code, _title, _authors in DEMO_ENTRIES}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes, valid_to__isnull=True)}
    if organiser is None or len(jurors) != len(DEMO_JURORS) or set(units) != codes:
        log("Demo contest not loaded: its units or its jurors (hatinh.giamkhao*) are missing.")
        return None
    from congdoan.members.models import Member

    with transaction.atomic():
        contest = services.create_contest(
            None,
            organiser,
            {
                "name": DEMO_CONTEST_NAME,
                "slug": DEMO_CONTEST_SLUG,
                "description": (
                    "Cuộc thi do Công đoàn Viên chức tỉnh Hà Tĩnh phát động năm 2019 trong các "
                    "công đoàn cơ sở khối cơ quan tỉnh, gắn với phong trào cải cách hành chính, "
                    "xây dựng văn hóa công sở. Từ 01/3/2025 các công đoàn cơ sở thuộc Công đoàn "
                    "Cơ quan Đảng tỉnh và Công đoàn UBND tỉnh; hồ sơ do LĐLĐ tỉnh lưu giữ."
                ),
                "scale_max": 10,
                "is_public": True,
            },
            criteria=[
                ("Tính mới, sáng tạo", 4),
                ("Khả năng áp dụng, nhân rộng", 3),
                ("Hiệu quả kinh tế – xã hội", 3),
            ],
            phases=[
                services.PhaseDates("submission", _MC_D(2019, 4, 1), _MC_D(2019, 7, 5)),
                services.PhaseDates("screening", _MC_D(2019, 7, 8), _MC_D(2019, 7, 31)),
                services.PhaseDates("final", _MC_D(2019, 8, 1), _MC_D(2019, 8, 31)),
                services.PhaseDates("awards", _MC_D(2019, 9, 3), _MC_D(2019, 9, 30)),
                services.PhaseDates("closed", _MC_D(2019, 10, 1)),
            ],
            rounds=["Vòng sơ khảo", "Vòng chung khảo"],
        )
        initiative = _mc_recognise_winner(units["HTH-VC-KHCN"])
        entries = []
        for number, (code, title, authors) in enumerate(DEMO_ENTRIES):
            names = [n.strip() for n in authors.split(",")]
            members = list(Member.objects.filter(unit=units[code], full_name__in=names))
            entry = services.submit_entry(
                None,
                contest,
                {
                    "unit": units[code],
                    "title": title,
                    "author_names": authors,
                    "summary": "Giải pháp dự thi của đoàn viên công đoàn cơ sở.",
                },
                authors=members,
                initiative=initiative if number == 0 else None,
                today=_MC_D(2019, 4, 10) + dt.timedelta(days=3 * number),
            )
            entries.append(entry)
        screening, final = contest.rounds.order_by("number")
        services.assign_jurors(None, screening, jurors)
        criteria = list(contest.criteria.all())
        for rank, entry in enumerate(entries):
            quality = Decimal("9.4") - Decimal("0.2") * rank
            if rank in (6, 7):  # two entries the jury could not tell apart
                quality = Decimal("8.1")
            for index, juror in enumerate(jurors):
                assignment = entry.assignments.get(round=screening, juror=juror)
                services.score_entry(
                    juror,
                    assignment,
                    {c.pk: _mc_scores(quality, index, n) for n, c in enumerate(criteria)},
                )
        services.advance(None, screening, DEMO_FINALISTS)
        services.assign_jurors(None, final, jurors)
        finalists = selectors.round_entries(final)
        order = [0, 1, 2, 3, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14]  # screening index
        for place, index in enumerate(order):
            entry = next(e for e in finalists if e.pk == entries[index].pk)
            quality = Decimal("9.6") - Decimal("0.25") * place
            for juror_index, juror in enumerate(jurors):
                assignment = entry.assignments.get(round=final, juror=juror)
                services.score_entry(
                    juror,
                    assignment,
                    {c.pk: _mc_scores(quality, juror_index, n) for n, c in enumerate(criteria)},
                )
        ranking = selectors.rank_round(final)
        prizes = [Prize.Rank.FIRST] + [Prize.Rank.SECOND] * 2 + [Prize.Rank.THIRD] * 3
        prizes += [Prize.Rank.ENCOURAGEMENT] * 4
        for row, rank in zip(ranking, prizes, strict=False):
            services.award_prize(None, contest, row.entry, rank, today=_MC_D(2019, 9, 20))
        from congdoan.emulation.models import Entry, JurorAssignment

        # The contest happened in 2019: its records carry the dates they had then.
        for number, entry in enumerate(entries):
            Entry.objects.filter(pk=entry.pk).update(
                submitted_at=_mc_day_at(_MC_D(2019, 4, 10) + dt.timedelta(days=3 * number))
            )
        JurorAssignment.objects.filter(round=screening).update(
            submitted_at=_mc_day_at(_MC_D(2019, 7, 25))
        )
        JurorAssignment.objects.filter(round=final).update(
            submitted_at=_mc_day_at(_MC_D(2019, 8, 28))
        )
        type(screening).objects.filter(pk=screening.pk).update(
            closed_at=_mc_day_at(_MC_D(2019, 7, 31))
        )
        type(final).objects.filter(pk=final.pk).update(closed_at=_mc_day_at(_MC_D(2019, 8, 31)))
        Contest.objects.filter(pk=contest.pk).update(created_at=_mc_day_at(_MC_D(2019, 3, 25)))
        council = services.create_council(
            None,
            units["HTH-VC-KHCN"],
            name="Hội đồng sáng kiến Sở Khoa học và Công nghệ Hà Tĩnh năm 2019",
            year=2019,
            established_by="Quyết định số 86/QĐ-SKHCN",
        )
        services.put_before_council(None, initiative, council)
        services.decide_initiative(
            None,
            initiative,
            recognised=True,
            decided_on=_MC_D(2019, 10, 15),
            decision_reference="Quyết định số 142/QĐ-SKHCN",
            benefit_vnd=350_000_000,
            scope="province",
        )
    log(
        f"Demo contest “{DEMO_CONTEST_NAME}”: {len(entries)} entries, "
        f"{DEMO_FINALISTS} in the final, {len(prizes)} prizes; results at "
        f"/emulation/contests/{contest.slug}/results/"
    )
    return contest
