"""Shared helpers of the emulation tests.

Initiatives (this block): ``author`` and ``application`` build the service's input;
``submit`` files an application (optionally dated in the past), ``recognise`` takes it
through a council to recognition. Movements and contests: below the marker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from congdoan.emulation import services
from congdoan.emulation.models import Council, Initiative

D = dt.date
HUNG_BORN = D(1975, 4, 19)


def author(
    name: str = "Trần Văn Hùng",
    born: dt.date | None = HUNG_BORN,
    contribution: Any = 100,
    qualification: str = "worker",
    **extra: Any,
) -> dict[str, Any]:
    row = {
        "full_name": name,
        "birth_date": born,
        "workplace": "Công ty Cổ phần Apatit Việt Nam",
        "title": "Tổ trưởng tổ cơ điện",
        "qualification": qualification,
        "qualification_text": "Công nhân kỹ thuật bậc 6/7",
        "contribution": contribution,
    }
    row.update(extra)
    return row


def application(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Cải tiến hệ thống bơm tuần hoàn nước tuyển quặng",
        "field": "Kỹ thuật sản xuất",
        "investor": "",
        "first_applied_on": D(2024, 3, 1),
        "description": "Thay bơm ly tâm cũ bằng bơm biến tần, giảm điện năng tiêu thụ.",
        "confidential": "",
        "conditions": "Có biến tần 75 kW và tủ điều khiển.",
        "expected_benefit": "Tiết kiệm khoảng 120 triệu đồng tiền điện mỗi năm.",
        "expected_benefit_vnd": 120_000_000,
        "applied_by": "Tổ cơ điện phân xưởng tuyển\nPhân xưởng nghiền",
    }
    data.update(changes)
    return data


def submit(
    unit: Any,
    actor: Any = None,
    authors: list[dict[str, Any]] | None = None,
    submitted_on: dt.date | None = None,
    **changes: Any,
) -> Initiative:
    initiative = services.submit_initiative(
        actor, unit, application(**changes), authors if authors is not None else [author()]
    )
    if submitted_on is not None:
        at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9)))
        Initiative.objects.filter(pk=initiative.pk).update(submitted_at=at)
        initiative.refresh_from_db()
    return initiative


def council_of(unit: Any, year: int = 2024, **changes: Any) -> Council:
    data = {"name": f"Hội đồng sáng kiến {unit.name} năm {year}", "year": year}
    data.update(changes)
    return services.create_council(None, unit, **data)


def recognise(
    initiative: Initiative,
    benefit: int,
    decided_on: dt.date,
    *,
    council: Council | None = None,
    scope: str = "province",
    reference: str = "Quyết định số 12/QĐ-LĐLĐ",
) -> Initiative:
    """Take a submitted application through a council to recognition (as the system)."""
    if timezone.localtime(initiative.submitted_at).date() > decided_on:
        at = timezone.make_aware(dt.datetime.combine(decided_on, dt.time(8)))
        Initiative.objects.filter(pk=initiative.pk).update(submitted_at=at)
        initiative.refresh_from_db()
    council = council or council_of(initiative.unit, decided_on.year)
    services.put_before_council(None, initiative, council)
    return services.decide_initiative(
        None,
        initiative,
        recognised=True,
        decided_on=decided_on,
        decision_reference=reference,
        benefit_vnd=benefit,
        scope=scope,
    )


# --- movements and contests (below)

# Movements and contests: ``phases_for`` dates the five phases so that one of them holds
# today; ``make_contest``, ``make_entry``, ``move_to_phase`` build a contest through the
# services (as the system); ``give`` scores an entry for a juror; the ``contest_people``
# fixture adds an organiser at Hà Tĩnh, three jurors (no role anywhere) and an entrant.

import pytest  # noqa: E402

from congdoan.accounts.permissions import Role  # noqa: E402
from congdoan.conftest import make_user  # noqa: E402
from congdoan.emulation.models import Contest, ContestPhase, Entry, JurorAssignment  # noqa: E402

PHASE_KINDS = [k for k, _label in ContestPhase.Kind.choices]


def phases_for(current: str, today: dt.date | None = None) -> list[services.PhaseDates]:
    """The five phases of ten days each, dated so that ``current`` holds today."""
    today = today or timezone.localdate()
    at = PHASE_KINDS.index(current)
    phases = []
    for index, kind in enumerate(PHASE_KINDS):
        start = today + dt.timedelta(days=(index - at) * 10 - 2)
        end = None if kind == ContestPhase.Kind.CLOSED else start + dt.timedelta(days=9)
        phases.append(services.PhaseDates(kind, start, end))
    return phases


def make_contest(
    unit: Any,
    *,
    phase: str = "submission",
    criteria: Any = (("Tính mới, sáng tạo", 2), ("Hiệu quả áp dụng", 1)),
    scale_max: int = 10,
    is_public: bool = True,
    name: str = "Viết sáng kiến cải cách hành chính",
    actor: Any = None,
) -> Contest:
    return services.create_contest(
        actor,
        unit,
        {"name": name, "scale_max": scale_max, "is_public": is_public},
        criteria=list(criteria),
        phases=phases_for(phase),
    )


def move_to_phase(contest: Contest, kind: str) -> Contest:
    services.set_phase_dates(None, contest, phases_for(kind))
    return contest


def make_entry(contest: Contest, unit: Any, title: str, authors: str = "Phan Văn Thuận", **kw: Any):
    actor = kw.pop("actor", None)
    data = {"unit": unit, "title": title, "author_names": authors, **kw}
    return services.submit_entry(actor, contest, data)


def give(juror: Any, contest_round: Any, entry: Entry, *values: Any, note: str | None = None):
    """The juror's scores for ``entry``: one value per criterion, in order."""
    assignment = JurorAssignment.objects.get(round=contest_round, entry=entry, juror=juror)
    criteria = list(contest_round.contest.criteria.all())
    return services.score_entry(
        juror, assignment, {c.pk: v for c, v in zip(criteria, values, strict=False)}, note
    )


@pytest.fixture
def contest_people(tree, users):
    class People:
        organiser = make_user("ht.lanhdao", Role.LEADER, tree.ht)
        entrant = make_user("bhxh.chair", Role.CHAIR, tree.ht_g1)
        juror1 = make_user("giamkhao1")
        juror2 = make_user("giamkhao2")
        juror3 = make_user("giamkhao3")

    People.juror1.full_name = "Lê Văn Kiên"
    People.juror2.full_name = "Nguyễn Thị Hạnh"
    People.juror3.full_name = "Phan Văn Thuận"  # shares a name with the default author
    for juror in (People.juror1, People.juror2, People.juror3):
        juror.save()
    return People
