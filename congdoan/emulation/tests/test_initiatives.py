"""Initiatives through the services: the application with its authors (contributions add up
to exactly 100, errors name the row), councils and their scores (an author never scores their
own), the decision, the history, the authors' records and the certificate."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from pypdf import PdfReader

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.core.audit import entries_for
from congdoan.emulation import printing, selectors, services
from congdoan.emulation.models import Author, CouncilScore, Initiative
from congdoan.emulation.tests.conftest import author, council_of, recognise, submit
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date
SCORES = {"novelty": 80, "applicability": "75,5", "benefit": 90}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def errors_of(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- the application ------------------------------------------------------------------------


def test_submit_keeps_every_field_and_the_authors(tree, users):
    initiative = submit(
        tree.lc_g1,
        users.chair,
        authors=[
            author("Lù Văn Dín", D(1979, 6, 25), 60, "university", qualification_text="Cử nhân"),
            author("Tẩn Thị Sấn", "02/11/1989", "40"),
        ],
        investor="Trường THCS Bản Vược",
    )
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.SUBMITTED
    assert initiative.unit == tree.lc_g1
    assert initiative.submitted_by == users.chair
    assert initiative.investor == "Trường THCS Bản Vược"
    assert initiative.first_applied_on == D(2024, 3, 1)
    assert initiative.expected_benefit_vnd == 120_000_000
    assert initiative.applied_by.splitlines() == [
        "Tổ cơ điện phân xưởng tuyển",
        "Phân xưởng nghiền",
    ]
    rows = selectors.initiative_authors(initiative)
    assert [(a.full_name, a.birth_date, a.contribution, a.qualification) for a in rows] == [
        ("Lù Văn Dín", D(1979, 6, 25), Decimal("60.00"), "university"),
        ("Tẩn Thị Sấn", D(1989, 11, 2), Decimal("40.00"), "worker"),
    ]
    assert rows[0].qualification_text == "Cử nhân"
    [entry] = entries_for(initiative)
    assert entry.actor == users.chair and entry.action == "create"


@pytest.mark.parametrize(
    ("contributions", "message"),
    [
        ((60, 30), "The contributions add up to 90%; they must add up to exactly 100%."),
        ((60, 50), "The contributions add up to 110%; they must add up to exactly 100%."),
        (("33.33", "33.33", "33.33"), "add up to 99,99%"),
    ],
)
def test_contributions_must_add_up_to_exactly_100(tree, contributions, message):
    rows = [author(f"Tác giả {n}", D(1980, 1, n + 1), c) for n, c in enumerate(contributions)]
    with pytest.raises(ValidationError) as exc:
        submit(tree.lc_g1, authors=rows)
    assert any(message in m for m in errors_of(exc)["authors"])
    assert not Initiative.objects.exists() and not Author.objects.exists()


def test_thirds_with_two_decimals_are_accepted(tree):
    rows = [
        author("Tác giả Một", D(1980, 1, 1), "33.34"),
        author("Tác giả Hai", D(1980, 1, 2), "33.33"),
        author("Tác giả Ba", D(1980, 1, 3), "33,33"),
    ]
    initiative = submit(tree.lc_g1, authors=rows)
    assert sum(a.contribution for a in initiative.authors.all()) == 100


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"contribution": 0}, "author 2: the contribution must be more than 0%"),
        ({"contribution": -5}, "author 2: the contribution must be more than 0%"),
        ({"contribution": 101}, "author 2: the contribution cannot be more than 100%"),
        ({"contribution": "nửa"}, "author 2: the contribution “nửa” is not a number"),
        ({"contribution": ""}, "author 2: the contribution (%) is missing"),
        ({"contribution": "10.125"}, "author 2: write the contribution with at most two"),
        ({"full_name": " "}, "author 2: the full name is missing"),
        ({"birth_date": None}, "author 2: the date of birth is missing"),
        ({"birth_date": "31/02/1990"}, "author 2: the date of birth “31/02/1990” is not a date"),
        ({"qualification": "phd"}, "author 2: unknown qualification “phd”"),
        ({"member": 999999}, "author 2: no member of the registry in your units"),
        ({"full_name": "Trần Văn Hùng", "birth_date": D(1975, 4, 19)}, "author 2: the same"),
    ],
)
def test_a_bad_author_row_is_named(tree, users, row, message):
    rows = [author(contribution=50), author("Ma Thị Hương", D(1983, 6, 6), 50, **{})]
    rows[1].update(row)
    with pytest.raises(ValidationError) as exc:
        submit(tree.lc_g1, users.chair, authors=rows)
    found = errors_of(exc)["authors"]
    assert any(m.startswith(message) for m in found), found
    assert not Initiative.objects.exists()


def test_no_author_and_missing_fields(tree):
    with pytest.raises(ValidationError) as exc:
        submit(tree.lc_g1, authors=[], name="", field="", description=" ")
    errors = errors_of(exc)
    assert errors["authors"] == ["Name at least one author."]
    assert set(errors) >= {"name", "field", "description"}


def test_author_linked_to_a_member_in_scope(tree, users):
    member = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    initiative = submit(
        tree.lc_g1,
        users.chair,
        authors=[{"member": member.pk, "contribution": 100, "qualification": "university"}],
    )
    [row] = initiative.authors.all()
    assert (row.member, row.full_name, row.birth_date) == (member, "Giàng A Páo", D(1984, 3, 12))
    # A member of another province is not offered to a Lào Cai chair: the row is named.
    other = make_member(tree.ht_g1, full_name="Nguyễn Xuân Quỳnh")
    with pytest.raises(ValidationError) as exc:
        submit(tree.lc_g1, users.chair, authors=[{"member": other.pk, "contribution": 100}])
    assert errors_of(exc)["authors"][0].startswith("author 1: no member of the registry")


def test_submitting_needs_the_right_at_the_unit(tree, users):
    with pytest.raises(PermissionDenied):
        submit(tree.ht_g1, users.chair)
    with pytest.raises(PermissionDenied):
        submit(tree.lc_g1, users.nobody)


# --- councils, scores, conflicts ------------------------------------------------------------


@pytest.fixture
def council_case(tree, users):
    """A Lào Cai council of three: a leader, an author of the application (linked to her
    registry record) and an author found by name and date of birth."""
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    huong = make_member(tree.lc_g1, full_name="Ma Thị Hương", birth_date=D(1983, 6, 6))
    hung = make_member(tree.lc_g1, full_name="Trần Văn Hùng", birth_date=D(1975, 4, 19))
    huong_user = make_user("huong")
    hung_user = make_user("hung")
    council = council_of(tree.lc, 2024, established_by="Quyết định số 5/QĐ-LĐLĐ")
    services.add_council_member(users.lc_clerk, council, leader, role="chair")
    services.add_council_member(users.lc_clerk, council, huong_user, member=huong.pk)
    services.add_council_member(users.lc_clerk, council, hung_user, member=hung)
    initiative = submit(
        tree.lc_g1,
        users.chair,
        authors=[
            author("Ma Thị Hương", D(1983, 6, 6), 70, member=huong.pk),
            author("TRẦN VĂN HÙNG", D(1975, 4, 19), 30),  # not linked: name and birth date
        ],
    )
    initiative = services.put_before_council(users.lc_clerk, initiative, council)
    return council, initiative, leader, huong_user, hung_user


def test_council_members_score_and_authors_never_score_their_own(council_case, users):
    council, initiative, leader, huong_user, hung_user = council_case
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.REVIEW and initiative.council == council
    services.score_initiative(leader, initiative, SCORES, note="Tiết kiệm điện rõ rệt")
    for author_user in (huong_user, hung_user):
        with pytest.raises(PermissionDenied, match="never scores their own"):
            services.score_initiative(author_user, initiative, SCORES)
    # Someone off the council cannot score, a council member sees it in their list.
    with pytest.raises(PermissionDenied):
        services.score_initiative(users.lc_clerk, initiative, SCORES)
    assert [t.initiative for t in selectors.initiatives_to_score(leader)] == [initiative]
    assert selectors.initiatives_to_score(huong_user) == []
    assert selectors.initiatives_to_score(hung_user) == []
    assert selectors.get_initiative(huong_user, initiative.pk) == initiative  # sees, not scores
    sheet = selectors.score_sheet(initiative)
    assert sheet.means == {
        "novelty": Decimal("80.00"),
        "applicability": Decimal("75.50"),
        "benefit": Decimal("90.00"),
    }
    assert sheet.total == Decimal("81.83")
    assert [r.conflict for r in sheet.rows] == [False, True, True]
    # Scoring again replaces one's scores.
    services.score_initiative(leader, initiative, {**SCORES, "novelty": 60})
    assert CouncilScore.objects.filter(initiative=initiative).count() == 3
    assert selectors.score_sheet(initiative).means["novelty"] == Decimal("60.00")


def test_scores_are_checked(council_case):
    _council, initiative, leader, *_ = council_case
    with pytest.raises(ValidationError) as exc:
        services.score_initiative(leader, initiative, {"novelty": 101, "applicability": "x"})
    errors = errors_of(exc)
    assert errors["novelty"] == ["A score is from 0 to 100."]
    assert errors["applicability"] == ["“x” is not a number."]
    assert errors["benefit"] == ["This field is required."]


def test_a_council_member_without_a_registry_record_abstains_on_a_namesake(tree, users):
    namesake = make_user("hung.user")
    namesake.full_name = "Trần Văn Hùng"
    namesake.save()
    council = council_of(tree.lc)
    services.add_council_member(None, council, namesake)
    initiative = submit(tree.lc_g1)
    services.put_before_council(None, initiative, council)
    with pytest.raises(PermissionDenied):
        services.score_initiative(namesake, initiative, SCORES)


def test_council_rules(tree, users):
    council = council_of(tree.lc_d1)
    with pytest.raises(PermissionDenied):
        services.create_council(users.lc_clerk, tree.ht, name="Hội đồng", year=2024)
    services.add_council_member(users.lc_clerk, council, users.lc_specialist)
    with pytest.raises(ValidationError, match="sits on this council already"):
        services.add_council_member(users.lc_clerk, council, users.lc_specialist)
    # A district's council cannot consider an application addressed to the province.
    initiative = submit(tree.lc)
    with pytest.raises(ValidationError, match="cannot consider an application"):
        services.put_before_council(users.lc_clerk, initiative, council)
    # ... but the province's council can consider a district's grassroots application.
    below = submit(tree.lc_g1)
    services.put_before_council(users.lc_clerk, below, council_of(tree.lc))
    with pytest.raises(ValidationError, match="Only a submitted application"):
        services.put_before_council(users.lc_clerk, below, council)


# --- the decision ---------------------------------------------------------------------------


def test_decision_flow_keeps_the_history(council_case, users, tree):
    council, initiative, leader, *_ = council_case
    services.score_initiative(leader, initiative, SCORES)
    # A grassroots chair does not decide for the province's council.
    with pytest.raises(PermissionDenied):
        services.decide_initiative(
            users.chair,
            initiative,
            recognised=True,
            decided_on=dt.date.today(),
            decision_reference="QĐ 1",
            benefit_vnd=1,
            scope="unit",
        )
    with pytest.raises(ValidationError) as exc:
        services.decide_initiative(
            users.lc_clerk,
            initiative,
            recognised=True,
            decided_on="2099-01-01",
            decision_reference="",
            benefit_vnd="-3",
            scope="planet",
        )
    assert set(errors_of(exc)) == {"decided_on", "decision_reference", "benefit_vnd", "scope"}
    decided = services.decide_initiative(
        users.lc_clerk,
        initiative,
        recognised=True,
        decided_on=dt.date.today(),
        decision_reference="Quyết định số 45/QĐ-LĐLĐ",
        benefit_vnd="125.000.000",
        scope="province",
    )
    assert decided.status == Initiative.Status.RECOGNISED
    assert (decided.benefit_vnd, decided.scope) == (125_000_000, "province")
    messages = [e.message for e in entries_for(decided)]
    assert messages[0] == "Recognised"
    assert f"Put before the council “{council.name}”" in messages
    assert messages[-1] == "Initiative submitted"
    recognised_entry = entries_for(decided).first()
    assert recognised_entry.changes["status"] == ["review", "recognised"]
    # Decided once: a second decision is refused, scores are final.
    with pytest.raises(ValidationError, match="Only an application before a council"):
        services.decide_initiative(
            users.lc_clerk, decided, recognised=False, decided_on=dt.date.today(),
            decision_reference="x", reasons="y",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="scores are final"):
        services.score_initiative(leader, decided, SCORES)


def test_not_recognised_needs_reasons(council_case, users):
    _council, initiative, *_ = council_case
    kwargs = {"recognised": False, "decided_on": dt.date.today(), "decision_reference": "QĐ 2"}
    with pytest.raises(ValidationError) as exc:
        services.decide_initiative(users.lc_clerk, initiative, **kwargs)
    assert "reasons" in errors_of(exc)
    decided = services.decide_initiative(
        users.lc_clerk, initiative, reasons="Đã được áp dụng rộng rãi trước đây.", **kwargs
    )
    assert decided.status == Initiative.Status.NOT_RECOGNISED
    assert decided.benefit_vnd == 0 and decided.decision_reasons.startswith("Đã được")


def test_never_applied_cannot_be_recognised(tree):
    initiative = submit(tree.lc_g1, first_applied_on=None)
    with pytest.raises(ValidationError) as exc:
        recognise(initiative, 1_000_000, dt.date.today())
    assert "recognised" in errors_of(exc)


def test_a_submitted_application_cannot_be_decided(tree, users):
    initiative = submit(tree.lc_g1)
    with pytest.raises(ValidationError):
        services.decide_initiative(
            users.lc_clerk, initiative, recognised=False, decided_on=dt.date.today(),
            decision_reference="x", reasons="y",
        )  # fmt: skip


# --- scope and the authors' records ---------------------------------------------------------


def test_scope_hides_other_provinces(tree, users):
    initiative = submit(tree.lc_g1)
    assert selectors.get_initiative(users.lc_specialist, initiative.pk) == initiative
    with pytest.raises(Http404):
        selectors.get_initiative(users.ht_clerk, initiative.pk)
    assert list(selectors.initiatives(users.ht_clerk)) == []
    assert list(selectors.initiatives(users.lc_clerk)) == [initiative]


def test_recognised_initiatives_appear_on_the_authors_records(tree, users):
    pao = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    linked = recognise(
        submit(tree.lc_g1, authors=[author(member=pao.pk, full_name="", birth_date=None)]),
        50_000_000,
        D(2023, 5, 1),
    )
    by_name = recognise(
        submit(tree.lc_g1, authors=[author("giàng a páo", D(1984, 3, 12))], name="Sổ tay số"),
        10_000_000,
        D(2024, 5, 1),
    )
    submit(tree.lc_g1, authors=[author("Giàng A Páo", D(1990, 1, 1))])  # a namesake
    pending = submit(tree.lc_g1, authors=[author(member=pao.pk, full_name="", birth_date=None)])
    assert selectors.initiatives_of_member(users.lc_clerk, pao) == [by_name, linked, pending]
    assert selectors.initiatives_of_member(users.ht_clerk, pao) == []


# --- the certificate ------------------------------------------------------------------------


def test_certificate_pdf_text(tree):
    initiative = recognise(
        submit(
            tree.lc_g1,
            authors=[
                author("Lù Văn Dín", D(1979, 6, 25), 60),
                author("Tẩn Thị Sấn", D(1989, 11, 2), "40"),
            ],
        ),
        125_000_000,
        D(2024, 6, 15),
        reference="Quyết định số 45/QĐ-LĐLĐ",
    )
    data = printing.certificate_pdf(initiative, selectors.initiative_authors(initiative))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (
        "GIẤY CHỨNG NHẬN SÁNG KIẾN",
        "CÔNG ĐOÀN CƠ SỞ TRƯỜNG THCS BẢN VƯỢC",
        "Cải tiến hệ thống bơm tuần hoàn nước tuyển quặng",
        "Lù Văn Dín (sinh ngày 25/06/1979)",
        "đóng góp 60%",
        "Tẩn Thị Sấn",
        "125.000.000 đồng",
        "trong phạm vi toàn tỉnh",
        "Quyết định số 45/QĐ-LĐLĐ",
        "ngày 15 tháng 06 năm 2024",
    ):
        assert expected in text, expected
