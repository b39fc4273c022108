"""Changes to members: adding with checks, duplicates, editing with audit, transfers, leaving,
and the moves caused by merges, dissolutions and their reversal in the organisation registry."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from congdoan.conftest import BASIS, make_unit
from congdoan.core.audit import entries_for
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry
from congdoan.members import selectors, services
from congdoan.members.models import DuplicateFlag, Member, Membership, Status
from congdoan.members.tests.conftest import assert_periods_carry_profiles
from congdoan.org import services as org_services

D = dt.date
_numbers = itertools.count(300001)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, the source language."""
    with translation.override("en"):
        yield


def data(**overrides: Any) -> dict[str, Any]:
    """A valid member: Lò Thị Mai, Tày, born 12/05/1988, joined 01/09/2010, CCCD to match."""
    values: dict[str, Any] = {
        "full_name": "Lò Thị Mai",
        "birth_date": D(1988, 5, 12),
        "sex": "F",
        "ethnicity": "Tày",
        "joined_on": D(2010, 9, 1),
    }
    values.update(overrides)
    if "cccd" not in overrides:
        values["cccd"] = make_cccd("010", values["sex"], values["birth_date"].year, next(_numbers))
    return values


def add(unit: Any, actor: Any = None, **overrides: Any) -> Member:
    return services.create_member(actor, unit, data(**overrides))


def errors_of(call: Any, *args: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def periods(member: Member) -> list[tuple[str, dt.date, dt.date | None, str, str]]:
    return [
        (p.unit.code, p.valid_from, p.valid_to, p.start, p.end) for p in selectors.history(member)
    ]


# --- adding ----------------------------------------------------------------------------------


def test_a_valid_member_is_created_with_a_first_period_and_an_audit_entry(tree, users):
    member = add(tree.lc_g1, users.chair, full_name="  Lò   Thị  Mai ", phone="+84 912 345 678")
    member.refresh_from_db()
    assert member.full_name == "Lò Thị Mai"
    assert member.phone == "0912345678"
    assert member.unit == tree.lc_g1
    assert member.status == Status.ACTIVE
    assert periods(member) == [("LCI-D1-G1", D(2010, 9, 1), None, "joined", "")]
    entry = entries_for(member).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == users.chair
    assert entry.changes["full_name"] == [None, "Lò Thị Mai"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"cccd": "12345"}, "cccd", "12 digits"),
        ({"cccd": "999188123456"}, "cccd", "province"),
        ({"cccd": make_cccd("010", "F", 1987, 1)}, "cccd", "1987"),
        ({"cccd": make_cccd("010", "M", 1988, 1)}, "cccd", "sex"),
        ({"joined_on": D(2002, 5, 11)}, "joined_on", "15"),
        ({"full_name": ""}, "full_name", "empty"),
        ({"sex": "X"}, "sex", "Nam"),
        ({"phone": "12345"}, "phone", "phone"),
        ({"email": "mai@"}, "email", "e-mail"),
    ],
)
def test_bad_data_is_refused_naming_the_field(tree, overrides, field, words):
    errors = errors_of(services.create_member, None, tree.lc_g1, data(**overrides))
    assert list(errors) == [field]
    assert words in " ".join(errors[field])
    assert not Member.objects.exists()
    assert not Membership.objects.exists()


def test_dates_in_the_future_are_refused(tree):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = errors_of(services.create_member, None, tree.lc_g1, data(joined_on=tomorrow))
    assert "future" in errors["joined_on"][0]
    errors = errors_of(services.create_member, None, tree.lc_g1, data(birth_date=tomorrow, cccd=""))
    assert "future" in errors["birth_date"][0]
    assert not Member.objects.exists()


def test_every_bad_field_is_reported_at_once(tree):
    errors = errors_of(
        services.create_member,
        None,
        tree.lc_g1,
        data(cccd=make_cccd("010", "M", 1970, 5), joined_on=D(2000, 1, 1), phone="abc"),
    )
    assert set(errors) == {"cccd", "joined_on", "phone"}
    assert "1970" in " ".join(errors["cccd"])  # what the number says
    assert "1988" in " ".join(errors["cccd"])  # what the record says


def test_only_a_grassroots_union_alive_on_the_joining_date_takes_members(tree):
    errors = errors_of(services.create_member, None, tree.lc_d1, data())
    assert "not a grassroots union" in errors["unit"][0]
    young = make_unit("LCI-D1-G2", "Công đoàn cơ sở Trường Mầm non Bản Vược", "grassroots",
                      tree.lc_d1, D(2015, 1, 1))  # fmt: skip
    errors = errors_of(services.create_member, None, young, data(joined_on=D(2014, 9, 1)))
    assert "does not exist on 01/09/2014" in errors["joined_on"][0]
    assert not Member.objects.exists()


def test_the_same_cccd_twice_is_refused(tree):
    first = add(tree.lc_g1)
    errors = errors_of(
        services.create_member,
        None,
        tree.ht_g1,
        data(full_name="Lò Thị Mai Anh", cccd=first.cccd),
    )
    assert first.cccd in errors["cccd"][0]
    assert tree.lc_g1.name in errors["cccd"][0]
    assert Member.objects.count() == 1


def test_the_same_card_number_twice_is_refused(tree):
    add(tree.lc_g1, card_number="LC-0042")
    errors = errors_of(
        services.create_member, None, tree.lc_g2, data(full_name="Vàng A Sình", sex="M",
                                                       birth_date=D(1990, 1, 2),
                                                       card_number="LC-0042"))  # fmt: skip
    assert "LC-0042" in errors["card_number"][0]


def test_same_name_and_birth_date_in_two_unions_is_flagged_for_review(tree):
    first = add(tree.lc_g1, full_name="Nguyễn Văn An", sex="M", ethnicity="Kinh")
    other_person = add(tree.lc_g2, full_name="Nguyễn Văn Ân", sex="M", ethnicity="Kinh")
    second = add(tree.ht_g1, full_name="NGUYỄN VĂN AN", sex="M", ethnicity="Kinh")
    pairs = {(f.member_id, f.other_id) for f in DuplicateFlag.objects.all()}
    # "Ân" folds to "an" as well: the reviewer decides whether they are one person.
    assert pairs == {
        (first.pk, other_person.pk),
        (first.pk, second.pk),
        (other_person.pk, second.pk),
    }
    flag = DuplicateFlag.objects.get(member=first, other=second)
    with pytest.raises(ValidationError):
        services.resolve_duplicate(None, flag, "  ")
    services.resolve_duplicate(None, flag, "Hai người khác nhau: khác quê quán")
    flag.refresh_from_db()
    assert flag.resolved_at is not None


def test_a_different_birth_date_is_not_a_duplicate(tree):
    add(tree.lc_g1, full_name="Nguyễn Văn An", sex="M")
    add(tree.ht_g1, full_name="Nguyễn Văn An", sex="M", birth_date=D(1988, 5, 13))
    assert not DuplicateFlag.objects.exists()


def test_only_managers_of_the_union_may_add(tree, users):
    with pytest.raises(PermissionDenied):
        add(tree.lc_g2, users.chair)  # another union
    with pytest.raises(PermissionDenied):
        add(tree.lc_g1, users.lc_specialist)  # may read, not change
    add(tree.lc_g1, users.lc_clerk)
    assert Member.objects.count() == 1


# --- editing ---------------------------------------------------------------------------------


def test_update_is_audited_with_before_and_after(tree, users):
    member = add(tree.lc_g1, users.chair)
    services.update_member(users.chair, member, {"job": "Giáo viên", "phone": "0987 654 321"})
    member.refresh_from_db()
    assert member.job == "Giáo viên"
    entry = entries_for(member).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == users.chair
    assert entry.changes == {"phone": ["", "0987654321"], "job": ["", "Giáo viên"]}


def test_a_corrected_sex_birth_date_or_ethnicity_reaches_every_period(tree, users):
    member = add(tree.lc_g1, users.chair)
    services.transfer_member(users.lc_clerk, member, tree.lc_g2, day=D(2019, 3, 1))
    assert assert_periods_carry_profiles() == 2
    assert selectors.stats(tree.lc, D(2018, 1, 1)).women == 1
    services.update_member(
        users.lc_clerk,
        member,
        {"sex": "M", "cccd": "", "birth_date": D(1980, 5, 5), "ethnicity": "Tày"},
    )
    assert assert_periods_carry_profiles() == 2
    before = selectors.stats(tree.lc, D(2018, 1, 1))  # a day of the first period
    assert (before.members, before.women, before.minorities) == (1, 0, 1)
    assert before.age_bands["30-39"] == 1


def test_update_with_bad_data_changes_nothing(tree, users):
    member = add(tree.lc_g1)
    errors = errors_of(services.update_member, users.chair, member, {"sex": "M", "job": "Kế toán"})
    assert "cccd" in errors  # the CCCD says female
    member.refresh_from_db()
    assert (member.sex, member.job) == ("F", "")
    assert not entries_for(member).filter(action=AuditEntry.Action.UPDATE).exists()
    with pytest.raises(ValidationError):
        services.update_member(users.chair, member, {"unit": tree.lc_g2})
    with pytest.raises(PermissionDenied):
        services.update_member(users.lc_specialist, member, {"job": "Kế toán"})


# --- transfers and leaving -------------------------------------------------------------------


def test_transfer_closes_one_period_and_opens_another(tree, users):
    member = add(tree.lc_g1)
    services.transfer_member(
        users.lc_clerk, member, tree.lc_g2, day=D(2019, 3, 1), note="Công văn số 15/CV-CĐ"
    )
    member.refresh_from_db()
    assert member.unit == tree.lc_g2
    assert periods(member) == [
        ("LCI-D1-G1", D(2010, 9, 1), D(2019, 3, 1), "joined", "transfer"),
        ("LCI-D2-G1", D(2019, 3, 1), None, "transfer", ""),
    ]
    assert selectors.history(member)[1].note == "Công văn số 15/CV-CĐ"
    entry = entries_for(member).filter(action=AuditEntry.Action.TRANSFER).get()
    assert entry.actor == users.lc_clerk
    assert entry.changes["unit"] == [str(tree.lc_g1), str(tree.lc_g2)]
    assert entry.message == "Công văn số 15/CV-CĐ"
    assert selectors.stats(tree.lc_d1, D(2019, 2, 28)).members == 1
    assert selectors.stats(tree.lc_d1, D(2019, 3, 1)).members == 0
    assert selectors.stats(tree.lc_d2, D(2019, 3, 1)).members == 1


def test_transfer_rules(tree, users):
    member = add(tree.lc_g1)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    cases = [
        (tree.lc_g2, tomorrow, "day"),
        (tree.lc_g2, D(2009, 1, 1), "day"),  # before the present period began
        (tree.lc_g1, D(2019, 1, 1), "unit"),  # already there
        (tree.lc_d2, D(2019, 1, 1), "unit"),  # not a grassroots union
    ]
    for to_unit, day, field in cases:
        errors = errors_of(services.transfer_member, users.lc_clerk, member, to_unit, day=day)
        assert field in errors, (to_unit, day, errors)
    with pytest.raises(PermissionDenied):
        services.transfer_member(users.lc_specialist, member, tree.lc_g2, day=D(2019, 1, 1))
    member.refresh_from_db()
    assert member.unit == tree.lc_g1
    assert len(periods(member)) == 1


def test_a_chair_transfers_a_member_out_of_their_scope_and_then_cannot_see_them(tree, users):
    member = add(tree.lc_g1, users.chair)
    assert selectors.get_member(users.chair, member.pk) == member
    services.transfer_member(users.chair, member, tree.ht_g1, day=D(2020, 8, 1))
    with pytest.raises(Http404):
        selectors.get_member(users.chair, member.pk)
    assert not selectors.search_members(users.chair).exists()
    assert selectors.get_member(users.ht_clerk, member.pk).unit == tree.ht_g1
    with pytest.raises(PermissionDenied):  # nor move them back
        services.transfer_member(users.chair, member, tree.lc_g1, day=D(2021, 1, 1))


def test_ending_a_membership_needs_a_reason_and_closes_the_history(tree, users):
    member = add(tree.lc_g1)
    errors = errors_of(
        services.end_membership, users.chair, member, Status.LEFT, day=D(2022, 1, 1), reason=" "
    )
    assert "reason" in errors
    errors = errors_of(
        services.end_membership, users.chair, member, "active", day=D(2022, 1, 1), reason="x"
    )
    assert "status" in errors
    services.end_membership(
        users.chair, member, Status.LEFT, day=D(2022, 1, 1), reason="Nghỉ việc, chuyển vào Nam"
    )
    member.refresh_from_db()
    assert member.status == Status.LEFT
    assert member.status_date == D(2022, 1, 1)
    assert member.status_reason == "Nghỉ việc, chuyển vào Nam"
    assert periods(member) == [("LCI-D1-G1", D(2010, 9, 1), D(2022, 1, 1), "joined", "left")]
    assert selectors.get_member(users.chair, member.pk) == member  # kept, with its history
    with pytest.raises(ValidationError):
        services.transfer_member(users.chair, member, tree.lc_g2, day=D(2023, 1, 1))
    figures = selectors.stats(tree.lc_g1, D(2022, 6, 1))
    assert (figures.members, figures.left_this_year) == (0, 1)


def test_a_death_needs_no_reason(tree):
    member = add(tree.lc_g1)
    services.end_membership(None, member, Status.DECEASED, day=D(2023, 4, 2))
    member.refresh_from_db()
    assert member.status == Status.DECEASED


# --- restructuring ---------------------------------------------------------------------------


@pytest.fixture
def school(tree):
    """Two unions of the same district, four members in the first (one who left)."""
    second = make_unit("LCI-D1-G2", "Công đoàn cơ sở Trường Tiểu học Bản Vược", "grassroots",
                       tree.lc_d1)  # fmt: skip

    class School:
        union = tree.lc_g1
        other = second
        mai = add(tree.lc_g1)
        sinh = add(tree.lc_g1, full_name="Vàng A Sình", sex="M", ethnicity="H'Mông",
                   birth_date=D(1992, 2, 3), joined_on=D(2014, 3, 1))  # fmt: skip
        hoa = add(tree.lc_g1, full_name="Triệu Thị Hoa", ethnicity="Dao",
                  birth_date=D(1995, 11, 20), joined_on=D(2018, 9, 5))  # fmt: skip
        gone = add(tree.lc_g1, full_name="Lù Văn Pao", sex="M", ethnicity="Giáy",
                   birth_date=D(1980, 1, 1), joined_on=D(2005, 1, 1))  # fmt: skip
        settled = add(second, full_name="Hoàng Văn Nam", sex="M", ethnicity="Kinh",
                      birth_date=D(1985, 7, 7), joined_on=D(2006, 1, 1))  # fmt: skip

    services.end_membership(None, School.gone, Status.LEFT, day=D(2016, 6, 30), reason="Nghỉ hưu")
    return School


def moved_members(school: Any) -> list[Member]:
    return [school.mai, school.sinh, school.hoa]


def test_a_merge_moves_the_active_members_on_its_date_with_history(tree, school):
    event, receiver = org_services.merge_units(
        None, [school.union], target=school.other, effective_date=D(2020, 1, 1),
        legal_basis=BASIS,
    )  # fmt: skip
    assert receiver == school.other
    for member in moved_members(school):
        pk = member.pk
        member.refresh_from_db()
        assert member.pk == pk
        assert member.unit == school.other
        history = selectors.history(member)
        assert [(p.unit.code, p.valid_to, p.end, p.start) for p in history] == [
            ("LCI-D1-G1", D(2020, 1, 1), "restructuring", "joined"),
            ("LCI-D1-G2", None, "", "restructuring"),
        ]
        assert history[1].valid_from == D(2020, 1, 1)
        assert history[1].event == event
        assert history[0].event is None
    school.gone.refresh_from_db()
    assert school.gone.unit == school.union  # left before: stays where they left from
    assert periods(school.gone)[-1][2] == D(2016, 6, 30)
    assert Member.objects.count() == 5
    assert assert_periods_carry_profiles() == 8


def test_stats_before_the_merge_count_the_members_in_the_old_union(tree, school):
    org_services.merge_units(
        None, [school.union], target=school.other, effective_date=D(2020, 1, 1),
        legal_basis=BASIS,
    )  # fmt: skip
    school.union.refresh_from_db()
    before, after = D(2019, 12, 31), D(2020, 1, 1)
    assert selectors.stats(school.union, before).members == 3
    assert selectors.stats(school.union, after).members == 0
    assert selectors.stats(school.other, after).members == 4
    assert selectors.stats(tree.lc_d1, before).members == 4
    assert selectors.stats(tree.lc_d1, after).members == 4
    assert selectors.stats(tree.lc, after).minorities == 3  # H'Mông, Dao, Tày


def test_a_dissolution_with_a_receiver_moves_the_members_there(tree, school):
    event = org_services.dissolve_unit(
        None, school.union, receiver=tree.lc_g2, effective_date=D(2021, 7, 1), legal_basis=BASIS
    )
    for member in moved_members(school):
        member.refresh_from_db()
        assert member.unit == tree.lc_g2
        assert periods(member)[-2:] == [
            ("LCI-D1-G1", member.memberships.first().valid_from, D(2021, 7, 1), "joined",
             "restructuring"),
            ("LCI-D2-G1", D(2021, 7, 1), None, "restructuring", ""),
        ]  # fmt: skip
        assert selectors.history(member)[-1].event == event
    assert selectors.stats(tree.lc_g2, D(2021, 7, 1)).members == 3
    assert selectors.stats(school.union, D(2021, 6, 30)).members == 3
    moves = AuditEntry.objects.filter(action=AuditEntry.Action.TRANSFER, object_id=str(event.pk))
    assert moves.get().changes["members"] == [None, 3]


def test_reversing_the_event_returns_the_members(tree, school):
    event, _receiver = org_services.merge_units(
        None, [school.union], target=school.other, effective_date=D(2020, 1, 1),
        legal_basis=BASIS,
    )  # fmt: skip
    reversal = org_services.reverse_event(
        None, event, effective_date=D(2020, 2, 1), legal_basis="Quyết định số 02/QĐ-LĐLĐ"
    )
    school.union.refresh_from_db()
    assert school.union.valid_to is None
    for member in moved_members(school):
        pk = member.pk
        member.refresh_from_db()
        assert member.pk == pk
        assert member.unit == school.union
        history = selectors.history(member)
        assert [(p.unit.code, p.valid_from, p.valid_to) for p in history][1:] == [
            ("LCI-D1-G2", D(2020, 1, 1), D(2020, 2, 1)),
            ("LCI-D1-G1", D(2020, 2, 1), None),
        ]
        assert history[2].event == reversal
    school.settled.refresh_from_db()
    assert school.settled.unit == school.other  # never moved, not moved back
    assert Member.objects.count() == 5
    assert selectors.stats(school.union, D(2020, 1, 15)).members == 0
    assert selectors.stats(school.union, D(2020, 2, 1)).members == 3
    assert selectors.stats(school.other, D(2020, 2, 1)).members == 1


def test_a_merge_reversed_on_its_own_date_leaves_an_empty_period(tree, school):
    event, _receiver = org_services.merge_units(
        None, [school.union], target=school.other, effective_date=D(2020, 1, 1),
        legal_basis=BASIS,
    )  # fmt: skip
    org_services.reverse_event(None, event, legal_basis="Quyết định số 02/QĐ-LĐLĐ")
    school.union.refresh_from_db()
    school.mai.refresh_from_db()
    assert school.mai.unit == school.union
    assert selectors.stats(school.other, D(2020, 1, 1)).members == 1
    assert selectors.stats(school.union, D(2020, 1, 1)).members == 3


# --- the demo --------------------------------------------------------------------------------


def test_the_demo_members_and_the_2025_ward_changes(db):
    from django.core.management import call_command

    from congdoan.accounts.models import User
    from congdoan.core.cccd import validate_cccd
    from congdoan.org.models import Unit

    call_command("loaddemo", "--quiet-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    members = list(Member.objects.select_related("unit"))
    assert len(members) >= 30
    for member in members:
        info = validate_cccd(member.cccd, birth_year=member.birth_date.year, sex=member.sex)
        assert info.province_code == {"L": "010", "B": "006", "H": "042"}[member.card_number[0]]
        assert member.unit.kind.is_grassroots
    ethnicities = {m.ethnicity for m in members if m.card_number.startswith("LC")}
    assert {"Kinh", "Tày", "H'Mông", "Dao", "Giáy"} <= ethnicities

    chair = User.objects.get(username="bhxh.chutich")
    mine = selectors.search_members(chair)
    assert {m.unit.code for m in mine} == {"HTH-VC-BHXH"}
    assert "Nguyễn Xuân Quỳnh" in names_of(mine)
    assert "Trần Quốc Việt" in names_of(mine)  # transferred in from Sở Tài chính in 2021
    viet = mine.get(full_name="Trần Quốc Việt")
    assert [p[0] for p in periods(viet)] == ["HTH-VC-STC", "HTH-VC-BHXH"]

    # The UBND of thị xã Sa Pa was dissolved into the union of phường Sa Pa on 01/07/2025.
    old, ward = Unit.objects.get(code="LCI-SP-CS2"), Unit.objects.get(code="LCI-PSP")
    assert old.valid_to == D(2025, 7, 1)
    moved = Member.objects.filter(unit=ward)
    assert moved.count() == 3
    for member in moved:
        history = selectors.history(member)
        assert [p.unit.code for p in history] == ["LCI-SP-CS2", "LCI-PSP"]
        assert history[1].valid_from == D(2025, 7, 1)
        assert history[1].event is not None
    retired = Member.objects.get(full_name="Hoàng Văn Thào")
    assert (retired.unit, retired.status) == (old, Status.LEFT)  # left before: not moved
    assert selectors.stats(old, D(2025, 6, 30)).members == 3
    assert selectors.stats(ward, D(2025, 7, 1)).members == 3
    assert Member.objects.get(full_name="Nguyễn Xuân Quỳnh").unit.code == "HTH-VC-BHXH"
    assert DuplicateFlag.objects.filter(resolved_at__isnull=True).count() == 1

    count, units = Member.objects.count(), Unit.objects.count()
    call_command("loaddemo", "--quiet-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Member.objects.count(), Unit.objects.count()) == (count, units)


def names_of(members: Any) -> list[str]:
    return [m.full_name for m in members]
