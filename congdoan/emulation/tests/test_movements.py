"""Emulation movements: launching for a subtree, registrations of units and people (once
each, only during the period, only from the subtree), mid-term and final reviews with a
result per registrant; and their pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone, translation

from congdoan.core.models import AuditEntry
from congdoan.emulation import selectors, services
from congdoan.emulation.models import Registration, Review
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db

NAME = "Thi đua thực hiện văn hóa công sở năm 2026"


@pytest.fixture(autouse=True)
def _fast_passwords_in_english(settings):
    """Fast password hashing for the named users (Argon2 costs ~0.7 s each); messages
    checked in English."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def launch(unit, actor=None, **changes):
    today = timezone.localdate()
    data = {
        "name": NAME,
        "description": "Phát động trong các công đoàn cơ sở khối cơ quan tỉnh.",
        "criteria": "Chấp hành giờ giấc\nTrang phục, giao tiếp đúng mực\nCông sở xanh – sạch – đẹp",
        "starts_on": today - dt.timedelta(days=30),
        "ends_on": today + dt.timedelta(days=60),
        "legal_basis": "Kế hoạch số 05/KH-LĐLĐ",
    }
    data.update(changes)
    return services.launch_movement(actor, unit, data)


@pytest.fixture
def movement(tree, contest_people):
    return launch(tree.ht, contest_people.organiser)


# --- launching ------------------------------------------------------------------------------


def test_a_unit_launches_a_movement_for_its_subtree(tree, contest_people):
    movement = launch(tree.ht, contest_people.organiser)
    assert movement.unit == tree.ht
    assert movement.created_by == contest_people.organiser
    assert AuditEntry.objects.filter(object_id=str(movement.pk), action="create").exists()
    with pytest.raises(PermissionDenied):
        launch(tree.ht, contest_people.entrant)
    with pytest.raises(ValidationError) as caught:
        launch(tree.ht, name=" ", ends_on=timezone.localdate() - dt.timedelta(days=365))
    assert set(caught.value.message_dict) == {"name", "ends_on"}


# --- registrations ----------------------------------------------------------------------------


def test_units_and_people_register_once_each(movement, tree, contest_people):
    chair = contest_people.entrant
    registration = services.register_for_movement(
        chair, movement, unit=tree.ht_g1, target="Tập thể lao động xuất sắc"
    )
    assert registration.registered_on == timezone.localdate()
    with pytest.raises(ValidationError, match="already registered"):
        services.register_for_movement(chair, movement, unit=tree.ht_g1)
    member = make_member(tree.ht_g1, full_name="Võ Thị Hoài Thương")
    person = services.register_for_movement(
        chair, movement, member=member, target="Chiến sĩ thi đua cơ sở"
    )
    assert (person.unit, person.member) == (tree.ht_g1, member)
    with pytest.raises(ValidationError, match="Võ Thị Hoài Thương has already registered"):
        services.register_for_movement(chair, movement, member=member)
    assert movement.registrations.count() == 2


def test_registrations_only_from_the_subtree_and_with_the_right(movement, tree, users):
    with pytest.raises(ValidationError) as caught:
        services.register_for_movement(users.admin, movement, unit=tree.lc_g1)
    assert "is not under" in caught.value.message_dict["unit"][0]
    outsider = make_member(tree.lc_g1, full_name="Vàng A Sử")
    with pytest.raises(ValidationError):
        services.register_for_movement(None, movement, member=outsider)
    with pytest.raises(PermissionDenied):  # the Lào Cai chair has no right in Hà Tĩnh
        services.register_for_movement(users.chair, movement, unit=tree.ht_g1)
    assert not Registration.objects.exists()


def test_registrations_only_during_the_period(tree):
    today = timezone.localdate()
    later = launch(
        tree.ht, starts_on=today + dt.timedelta(days=10), ends_on=today + dt.timedelta(days=40)
    )
    with pytest.raises(ValidationError, match="Registrations are taken from"):
        services.register_for_movement(None, later, unit=tree.ht_g1)
    services.register_for_movement(None, later, unit=tree.ht_g1, today=today + dt.timedelta(10))
    with pytest.raises(ValidationError):
        services.register_for_movement(
            None, later, unit=tree.ht, today=today + dt.timedelta(days=41)
        )


# --- reviews --------------------------------------------------------------------------------


def test_midterm_and_final_reviews_record_a_result_per_registrant(movement, tree, contest_people):
    organiser = contest_people.organiser
    unit_reg = services.register_for_movement(None, movement, unit=tree.ht_g1)
    member = make_member(tree.ht_g1, full_name="Lê Đình Sơn")
    person_reg = services.register_for_movement(None, movement, member=member)
    midterm = services.record_review(
        organiser,
        movement,
        kind=Review.Kind.MIDTERM,
        held_on=timezone.localdate(),
        summary="Sơ kết 6 tháng",
        results=[
            {"registration": unit_reg.pk, "rating": "good", "score": "85,5", "note": ""},
            {"registration": person_reg, "rating": "", "score": ""},  # left out
        ],
    )
    assert [(r.registration, r.rating, r.score) for r in midterm.results.all()] == [
        (unit_reg, "good", Decimal("85.50"))
    ]
    final = services.record_review(
        organiser,
        movement,
        kind=Review.Kind.FINAL,
        held_on=movement.ends_on + dt.timedelta(days=5),
        results=[
            {"registration": unit_reg.pk, "rating": "excellent", "score": 96},
            {"registration": person_reg.pk, "rating": "excellent", "score": 92, "note": "CSTĐ"},
        ],
    )
    assert final.results.count() == 2
    with pytest.raises(ValidationError, match="already has its final review"):
        services.record_review(organiser, movement, kind="final", held_on=movement.ends_on)
    with pytest.raises(PermissionDenied):
        services.record_review(contest_people.entrant, movement, kind="midterm", held_on=None)


def test_a_review_with_a_bad_row_names_the_registrant_and_changes_nothing(movement, tree):
    registration = services.register_for_movement(None, movement, unit=tree.ht_g1)
    other = launch(tree.ht, name="Phong trào khác")
    stranger = services.register_for_movement(None, other, unit=tree.ht_g1)
    with pytest.raises(ValidationError) as caught:
        services.record_review(
            None,
            movement,
            kind="midterm",
            held_on=movement.ends_on + dt.timedelta(days=1),
            results=[
                {"registration": registration.pk, "rating": "good", "score": 120},
                {"registration": registration.pk, "rating": "superb"},
                {"registration": stranger.pk, "rating": "good"},
            ],
        )
    errors = caught.value.message_dict
    assert "within the movement's period" in errors["held_on"][0]
    assert errors["results"][0] == (
        "Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh: the score must be between 0 and 100."
    )
    assert "unknown rating “superb”" in errors["results"][1]
    assert "is not one of this movement's" in errors["results"][2]
    assert not Review.objects.exists()


# --- reads ----------------------------------------------------------------------------------


def test_participants_see_the_movement_and_their_own_registrations(
    movement, tree, users, contest_people
):
    services.register_for_movement(None, movement, unit=tree.ht_g1)
    services.register_for_movement(None, movement, unit=tree.ht)
    assert selectors.get_movement(contest_people.entrant, movement.pk) == movement
    mine = selectors.movement_registrations(contest_people.entrant, movement)
    assert [r.unit for r in mine] == [tree.ht_g1]
    assert len(selectors.movement_registrations(contest_people.organiser, movement)) == 2
    with pytest.raises(Http404):
        selectors.get_movement(users.lc_clerk, movement.pk)
    assert [u.code for u in selectors.registrable_units(contest_people.entrant, movement)] == [
        "HTH-G1"
    ]


# --- pages ----------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_movement_pages_launch_register_and_review(tree, contest_people, users):
    organiser = client_for(contest_people.organiser)
    today = timezone.localdate()
    response = organiser.post(
        "/emulation/movements/new/",
        {
            "unit": "HTH",
            "name": NAME,
            "criteria": "Chấp hành giờ giấc",
            "starts_on": (today - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    movement = selectors.visible_movements(contest_people.organiser).get()
    assert response["Location"] == f"/emulation/movements/{movement.pk}/"

    chair = client_for(contest_people.entrant)
    page = chair.get(f"/emulation/movements/{movement.pk}/")
    assert page.status_code == 200
    assert NAME in page.content.decode()
    assert "Record a review" not in page.content.decode()
    member = make_member(tree.ht_g1, full_name="Hồ Thị Thanh Tâm")
    response = chair.post(
        f"/emulation/movements/{movement.pk}/register/",
        {"unit": "HTH-G1", "member": member.cccd, "target": "Lao động tiên tiến"},
    )
    assert response.status_code == 302
    response = chair.post(
        f"/emulation/movements/{movement.pk}/register/", {"unit": "HTH-G1", "member": member.cccd}
    )
    assert "Hồ Thị Thanh Tâm has already registered" in response.content.decode()
    assert chair.get(f"/emulation/movements/{movement.pk}/reviews/new/").status_code == 403

    registration = movement.registrations.get()
    response = organiser.post(
        f"/emulation/movements/{movement.pk}/reviews/new/",
        {
            "kind": "midterm",
            "held_on": today.isoformat(),
            f"rating_{registration.pk}": "good",
            f"score_{registration.pk}": "150",
        },
    )
    assert "the score must be between 0 and 100" in response.content.decode()
    response = organiser.post(
        f"/emulation/movements/{movement.pk}/reviews/new/",
        {
            "kind": "midterm",
            "held_on": today.isoformat(),
            f"rating_{registration.pk}": "good",
            f"score_{registration.pk}": "88",
        },
    )
    assert response.status_code == 302
    page = organiser.get(f"/emulation/movements/{movement.pk}/").content.decode()
    assert "Hồ Thị Thanh Tâm" in page and "88" in page
    assert client_for(users.lc_clerk).get(f"/emulation/movements/{movement.pk}/").status_code == 404
    assert organiser.get("/emulation/movements/").status_code == 200
