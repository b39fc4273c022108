"""Awards, the "Lao động sáng tạo" rule as versioned data, and proposals going up the tree.

The rule of migration 0002 (version 1): one initiative whose author's share (benefit ×
contribution) reaches 80 million (workers up to college), 150 million (university graduates)
or 200 million (managers); or, for workers, 120 million over three consecutive years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.core.audit import entries_for
from congdoan.emulation import selectors, services
from congdoan.emulation.models import Award, AwardForm, EligibilityRule, Proposal
from congdoan.emulation.tests.conftest import author, recognise, submit
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date
M = 1_000_000


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def form(code: str) -> AwardForm:
    return AwardForm.objects.get(code=code)


def one(unit, name, born, share_m, year, *, qualification="worker", contribution=100, **kw):
    """A recognised initiative in ``year`` where ``name`` holds ``contribution``% of a
    benefit chosen so that their share is ``share_m`` million."""
    benefit = share_m * M * 100 // contribution
    rows = [author(name, born, contribution, qualification)]
    if contribution < 100:
        rows.append(author("Đồng Tác Giả", D(1970, 1, 1), 100 - contribution))
    return recognise(submit(unit, authors=rows, **kw), benefit, D(year, 6, 1))


def candidates(user, unit, year, **kw):
    return {c.full_name: c for c in selectors.lao_dong_sang_tao_candidates(user, unit, year, **kw)}


# --- thresholds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualification", "below", "at"),
    [("worker", 79.9, 80), ("university", 149.9, 150), ("manager", 199.9, 200)],
)
def test_single_initiative_threshold_per_qualification(tree, users, qualification, below, at):
    born = D(1980, 2, 2)
    benefit = int(below * 10) * M // 10
    recognise(submit(tree.lc_g1, authors=[author("Người Dưới", born, 100, qualification)]),
              benefit, D(2024, 5, 5))  # fmt: skip
    one(tree.lc_g1, "Người Đạt", born, at, 2024, qualification=qualification)
    found = candidates(users.lc_clerk, tree.lc, 2024)
    assert set(found) == {"Người Đạt"}
    candidate = found["Người Đạt"]
    assert candidate.basis == "single"
    assert candidate.threshold_vnd == at * M and candidate.total_vnd == at * M
    assert candidate.rule.version == 1
    reason = candidate.reason
    assert f"{at * M:,}".replace(",", ".") + " đ" in reason
    assert "Rule: Bằng Lao động sáng tạo: giá trị làm lợi của giải pháp, version 1" in reason


def test_share_is_benefit_times_contribution(tree, users):
    # 60% of 150 million is 90 million: a worker qualifies, the 40% co-author (60 M) not.
    initiative = one(tree.lc_g1, "Lý Thị Súa", D(1990, 4, 30), 90, 2024, contribution=60)
    assert initiative.benefit_vnd == 150 * M
    found = candidates(users.lc_clerk, tree.lc, 2024)
    assert set(found) == {"Lý Thị Súa"}
    [share] = found["Lý Thị Súa"].shares
    assert (share.contribution, share.share_vnd) == (60, 90 * M)


def test_three_consecutive_years_for_workers(tree, users):
    born = D(1975, 4, 19)
    one(tree.lc_g1, "Trần Văn Hùng", born, 40, 2022)
    one(tree.lc_g1, "Trần Văn Hùng", born, 40, 2023)
    one(tree.lc_g1, "Trần Văn Hùng", born, 40, 2024)
    # The same amounts for a university graduate do not count over three years.
    for year in (2022, 2023, 2024):
        one(tree.lc_g1, "Ma Thị Hương", D(1983, 6, 6), 40, year, qualification="university")
    found = candidates(users.lc_clerk, tree.lc, 2024)
    assert set(found) == {"Trần Văn Hùng"}
    hung = found["Trần Văn Hùng"]
    assert (hung.basis, hung.total_vnd, hung.threshold_vnd) == ("three_years", 120 * M, 120 * M)
    assert hung.window == (2022, 2024) and len(hung.shares) == 3
    assert "2022–2024" in hung.reason
    # 2025: the window 2023–2025 holds only 80 million.
    assert candidates(users.lc_clerk, tree.lc, 2025) == {}
    # 2023: the window 2021–2023 holds 80 million, and no single one reaches 80.
    assert candidates(users.lc_clerk, tree.lc, 2023) == {}


def test_people_are_told_apart_by_record_then_name_and_birth_date(tree, users):
    member = make_member(tree.lc_g1, full_name="Vương Văn Sinh", birth_date=D(1982, 12, 12))
    recognise(submit(tree.lc_g1, authors=[author(member=member.pk, full_name="",
              birth_date=None)]), 40 * M, D(2022, 3, 3))  # fmt: skip
    one(tree.lc_g1, "Vương Văn Sinh", D(1982, 12, 12), 40, 2023)  # same person, not linked
    one(tree.lc_g1, "Vương Văn Sinh", D(1991, 1, 1), 40, 2024)  # a namesake
    found = selectors.lao_dong_sang_tao_candidates(users.lc_clerk, tree.lc, 2023)
    assert found == []  # 80 million over 2021–2023
    one(tree.lc_g1, "VƯƠNG VĂN SINH", D(1982, 12, 12), 40, 2024)
    [sinh] = selectors.lao_dong_sang_tao_candidates(users.lc_clerk, tree.lc, 2024)
    assert sinh.member_id == member.pk and sinh.total_vnd == 120 * M


def test_a_new_rule_version_changes_the_outcome(tree, users):
    one(tree.lc_g1, "Nông Văn Dền", D(1985, 1, 21), 90, 2025)
    assert "Nông Văn Dền" in candidates(users.lc_clerk, tree.lc, 2025)
    EligibilityRule.objects.create(
        code="lao-dong-sang-tao",
        version=2,
        valid_from=D(2025, 1, 1),
        name="Ngưỡng mới",
        source="Quyết định giả định",
        params={
            "single": {"worker": 100 * M, "university": 150 * M, "manager": 200 * M},
            "three_years": {"worker": 150 * M},
            "window_years": 3,
        },
    )
    assert candidates(users.lc_clerk, tree.lc, 2025) == {}
    # The old version still decides the years it was in force.
    one(tree.lc_g1, "Sần Thị Lan", D(1994, 12, 1), 90, 2024)
    found = candidates(users.lc_clerk, tree.lc, 2024)
    assert found["Sần Thị Lan"].rule.version == 1
    # And an explicit rule can be asked for.
    v1 = EligibilityRule.objects.get(code="lao-dong-sang-tao", version=1)
    assert "Nông Văn Dền" in candidates(users.lc_clerk, tree.lc, 2025, rule=v1)


def test_candidates_are_scoped(tree, users):
    one(tree.lc_g1, "Nông Văn Dền", D(1985, 1, 21), 90, 2025)
    with pytest.raises(Http404):
        selectors.lao_dong_sang_tao_candidates(users.ht_clerk, tree.lc, 2025)
    assert candidates(users.ht_clerk, tree.ht, 2025) == {}


def test_already_honoured_is_marked(tree, users):
    member = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    recognise(submit(tree.lc_g1, authors=[author(member=member.pk, full_name="",
              birth_date=None)]), 90 * M, D(2024, 3, 3))  # fmt: skip
    [candidate] = selectors.lao_dong_sang_tao_candidates(users.lc_clerk, tree.lc, 2024)
    assert not candidate.honoured
    services.give_award(
        None, form=form("lao-dong-sang-tao"), granted_by=tree.root, member=member,
        decided_on=D(2025, 4, 20), decision_reference="QĐ 1/QĐ-TLĐ", year=2024,
    )  # fmt: skip
    [candidate] = selectors.lao_dong_sang_tao_candidates(users.lc_clerk, tree.lc, 2024)
    assert candidate.honoured


# --- awards ---------------------------------------------------------------------------------


def test_give_awards_to_people_and_units_and_list_them(tree, users):
    member = make_member(tree.lc_g1, full_name="Tẩn Thị Sấn", birth_date=D(1989, 11, 2))
    to_member = services.give_award(
        users.lc_clerk, form=form("bang-khen-ldld"), granted_by=tree.lc, member=member,
        decided_on="20/12/2024", decision_reference="Quyết định số 1201/QĐ-LĐLĐ",
        reason="Có sáng kiến xuất sắc",
    )  # fmt: skip
    assert (to_member.unit, to_member.person_name, to_member.year) == (
        tree.lc_g1,
        "Tẩn Thị Sấn",
        2024,
    )
    by_name = services.give_award(
        users.lc_clerk, form=form("giay-khen"), granted_by=tree.lc_d1, unit=tree.lc_g1,
        person_name="Lò Văn Sơn", decided_on=D(2023, 12, 28), decision_reference="QĐ 80",
    )  # fmt: skip
    to_unit = services.give_award(
        users.lc_clerk, form=form("co-thi-dua-ldld"), granted_by=tree.lc, unit=tree.lc_g2,
        decided_on=D(2022, 12, 28), decision_reference="QĐ 1250/QĐ-LĐLĐ",
    )  # fmt: skip
    assert [e.message for e in entries_for(to_unit)] == ["Award recorded"]
    all_ = list(selectors.awards(users.lc_clerk, unit=tree.lc))
    assert all_ == [to_member, by_name, to_unit]
    assert list(selectors.awards(users.lc_clerk, unit=tree.lc_d1)) == [to_member, by_name]
    period = selectors.awards(users.lc_clerk, start=D(2023, 1, 1), end=D(2023, 12, 31))
    assert list(period) == [by_name]
    assert list(selectors.awards(users.lc_clerk, form="co-thi-dua-ldld")) == [to_unit]
    assert list(selectors.awards(users.ht_clerk)) == []


def test_award_rules(tree, users):
    kwargs = {"decided_on": D(2024, 1, 1), "decision_reference": "QĐ 1"}
    with pytest.raises(ValidationError) as exc:  # a unit form given to a person
        services.give_award(users.lc_clerk, form=form("co-thi-dua-ldld"), granted_by=tree.lc,
                            unit=tree.lc_g1, person_name="Lò Văn Sơn", **kwargs)  # fmt: skip
    assert "person_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a person's title without a person
        services.give_award(users.lc_clerk, form=form("lao-dong-sang-tao"), granted_by=tree.root,
                            unit=tree.lc_g1, **kwargs)  # fmt: skip
    assert "person_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # granted by a unit below or aside
        services.give_award(users.lc_clerk, form=form("giay-khen"), granted_by=tree.lc_d2,
                            unit=tree.lc_g1, **kwargs)  # fmt: skip
    assert "granted_by" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # to a unit out of the actor's scope
        services.give_award(users.lc_clerk, form=form("giay-khen"), granted_by=tree.ht,
                            unit=tree.ht_g1, **kwargs)  # fmt: skip
    with pytest.raises(PermissionDenied):  # a chair does not manage emulation
        services.give_award(users.chair, form=form("giay-khen"), granted_by=tree.lc_g1,
                            unit=tree.lc_g1, **kwargs)  # fmt: skip
    assert not Award.objects.exists()


# --- proposals up the tree ------------------------------------------------------------------


def test_proposal_goes_up_to_the_next_level_and_is_approved(tree, users):
    tld_admin = users.admin
    d1_manager = make_user("d1.clerk", Role.CLERK, tree.lc_d1)
    one(tree.lc_g1, "Nông Văn Dền", D(1985, 1, 21), 90, 2024)
    one(tree.lc_g1, "Lù Văn Dín", D(1979, 6, 25), 210, 2024, qualification="manager")
    found = selectors.lao_dong_sang_tao_candidates(d1_manager, tree.lc_d1, 2024)
    proposal = services.create_proposal(
        d1_manager, tree.lc_d1, form=form("lao-dong-sang-tao"), year=2024,
        candidates=[c.as_proposal() for c in found], note="Đề nghị năm 2024",
    )  # fmt: skip
    assert (proposal.from_unit, proposal.to_unit, proposal.status) == (
        tree.lc_d1,
        tree.lc,
        Proposal.Status.DRAFT,
    )
    assert [c["name"] for c in proposal.candidates] == ["Lù Văn Dín", "Nông Văn Dền"]
    assert "Rule:" in proposal.candidates[0]["basis"]
    pending = selectors.lao_dong_sang_tao_candidates(d1_manager, tree.lc_d1, 2024)
    assert all(c.proposed and not c.honoured for c in pending)
    # A draft is not in the next level's inbox; once sent it is.
    assert list(selectors.proposals_inbox(users.lc_clerk)) == []
    with pytest.raises(Http404):
        selectors.get_proposal(users.ht_clerk, proposal.pk)
    services.submit_proposal(d1_manager, proposal)
    assert list(selectors.proposals_inbox(users.lc_clerk)) == [proposal]
    assert list(selectors.proposals_inbox(d1_manager)) == []
    # The district cannot approve its own proposal; the province can.
    with pytest.raises(PermissionDenied):
        services.approve_proposal(d1_manager, proposal, decision_reference="x",
                                  decided_on=D(2025, 4, 1))  # fmt: skip
    awards = services.approve_proposal(
        users.lc_clerk, proposal, decision_reference="Quyết định số 99/QĐ-LĐLĐ",
        decided_on=D(2025, 4, 1), note="Đồng ý",
    )  # fmt: skip
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED and proposal.decided_note == "Đồng ý"
    assert {(a.person_name, a.granted_by, a.year, a.proposal) for a in awards} == {
        ("Lù Văn Dín", tree.lc, 2024, proposal),
        ("Nông Văn Dền", tree.lc, 2024, proposal),
    }
    assert all(a.initiative is not None for a in awards)
    after = selectors.lao_dong_sang_tao_candidates(d1_manager, tree.lc_d1, 2024)
    assert all(c.honoured and not c.proposed for c in after)
    # Decided once.
    with pytest.raises(ValidationError):
        services.reject_proposal(users.lc_clerk, proposal, "muộn")
    # The province proposes to the Tổng Liên đoàn in turn.
    up = services.create_proposal(
        users.lc_clerk, tree.lc, form=form("lao-dong-sang-tao"), year=2024,
        candidates=[c.as_proposal() for c in found],
    )  # fmt: skip
    assert up.to_unit == tree.root
    services.submit_proposal(users.lc_clerk, up)
    with pytest.raises(PermissionDenied):
        services.approve_proposal(users.lc_clerk, up, decision_reference="x",
                                  decided_on=D(2025, 4, 1))  # fmt: skip
    rejected = services.reject_proposal(tld_admin, up, "Chưa đủ hồ sơ")
    assert rejected.status == Proposal.Status.REJECTED
    with pytest.raises(ValidationError):
        services.reject_proposal(tld_admin, up, "")
    assert entries_for(up).first().message == "Proposal rejected"


def test_proposal_rules(tree, users):
    with pytest.raises(ValidationError) as exc:
        services.create_proposal(users.admin, tree.root, form=form("giay-khen"), year=2024,
                                 candidates=[])  # fmt: skip
    assert set(exc.value.message_dict) == {"from_unit", "candidates"}
    with pytest.raises(ValidationError) as exc:
        services.create_proposal(
            users.lc_clerk, tree.lc_d1, form=form("giay-khen"), year=2024,
            candidates=[{"name": "Lò Văn Sơn", "unit": tree.lc_g1.code},
                        {"name": "", "unit": tree.lc_g2.code}],
        )  # fmt: skip
    assert exc.value.message_dict["candidates"] == [
        "candidate 2: the name is missing",
        f"candidate 2: the union “{tree.lc_g2.code}” is not under “{tree.lc_d1.name}”",
    ]
    with pytest.raises(PermissionDenied):
        services.create_proposal(users.chair, tree.lc_g1, form=form("giay-khen"), year=2024,
                                 candidates=[{"name": "A", "unit": tree.lc_g1.code}])  # fmt: skip
