"""The contests API as a client sees it: creating and listing contests, entries, jurors in
bulk, a juror's scores, the ranking with ties and advancing the top N; and its errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from congdoan.accounts.services import create_token
from congdoan.emulation.models import Contest, Entry, JurorAssignment
from congdoan.emulation.tests.conftest import make_contest, make_entry, move_to_phase, phases_for
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/contests"


@pytest.fixture(autouse=True)
def _fast_passwords_in_english(settings):
    """Fast password hashing for the named users (Argon2 costs ~0.7 s each); messages
    checked in English."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture
def api(contest_people):
    def client_for(user):
        _token, secret = create_token(user, "test")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return client_for


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def contest_body(**changes: Any) -> dict[str, Any]:
    body = {
        "unit": "HTH",
        "name": "Viết sáng kiến cải cách hành chính",
        "scale_max": 10,
        "criteria": [{"name": "Tính mới", "weight": 2}, {"name": "Hiệu quả", "weight": 1}],
        "phases": [
            {
                "kind": p.kind,
                "starts_on": p.starts_on.isoformat(),
                "ends_on": p.ends_on and p.ends_on.isoformat(),
            }
            for p in phases_for("submission")
        ],
    }
    body.update(changes)
    return body


def test_create_and_list_contests(api, contest_people, users):
    organiser = api(contest_people.organiser)
    response = post(organiser, BASE, contest_body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "viet-sang-kien-cai-cach-hanh-chinh"
    assert data["current_phase"] == "submission"
    assert [r["phase"] for r in data["rounds"]] == ["screening", "final"]
    assert [c["name"] for c in data["criteria"]] == ["Tính mới", "Hiệu quả"]
    # the entrant below sees it; Lào Cai does not
    assert [c["id"] for c in api(contest_people.entrant).get(BASE).json()] == [data["id"]]
    assert api(users.lc_clerk).get(BASE).json() == []
    assert api(users.lc_clerk).get(f"{BASE}/{data['id']}").status_code == 404


def test_create_contest_errors(api, contest_people):
    organiser = api(contest_people.organiser)
    response = post(organiser, BASE, contest_body(unit="LCI"))
    assert response.status_code == 400
    assert "LCI" in response.json()["errors"]["unit"][0]
    response = post(organiser, BASE, contest_body(criteria=[], scale_max=0))
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert set(errors) == {"criteria", "scale_max"}
    response = post(api(contest_people.entrant), BASE, contest_body(unit="HTH-G1"))
    assert response.status_code == 403
    assert not Contest.objects.exists()


def test_submit_an_entry(api, tree, contest_people, users):
    contest = make_contest(tree.ht)
    author = make_member(tree.ht_g1, full_name="Nguyễn Xuân Quỳnh")
    entrant = api(contest_people.entrant)
    response = post(
        entrant,
        f"{BASE}/{contest.pk}/entries",
        {"unit": "HTH-G1", "title": "Đăng ký cấp lại thẻ BHYT trực tuyến", "authors": [author.pk]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["author_names"] == "Nguyễn Xuân Quỳnh"
    response = post(
        api(users.admin),
        f"{BASE}/{contest.pk}/entries",
        {"unit": "LCI-D1-G1", "title": "X", "author_names": "A"},
    )
    assert response.status_code == 400
    assert "is not under" in response.json()["errors"]["unit"][0]
    response = post(
        entrant,
        f"{BASE}/{contest.pk}/entries",
        {"unit": "HTH-G1", "title": "Y", "authors": [999999]},
    )
    assert response.status_code == 400 and "999999" in response.json()["errors"]["authors"][0]
    move_to_phase(contest, "screening")
    response = post(
        entrant,
        f"{BASE}/{contest.pk}/entries",
        {"unit": "HTH-G1", "title": "Z", "author_names": "B"},
    )
    assert response.status_code == 400
    assert "only while submissions are open" in response.json()["errors"]["__all__"][0]
    response = post(
        api(users.lc_clerk), f"{BASE}/{contest.pk}/entries", {"unit": "LCI", "title": "Z"}
    )
    assert response.status_code == 404
    assert Entry.objects.count() == 1


@pytest.fixture
def round_one(tree, contest_people, api):
    """Four entries in screening; two jurors on each, through the API."""
    contest = make_contest(tree.ht)
    entries = [
        make_entry(contest, tree.ht_g1, f"Giải pháp {n}", authors=f"Tác giả {n}") for n in range(4)
    ]
    move_to_phase(contest, "screening")
    response = post(
        api(contest_people.organiser),
        f"{BASE}/{contest.pk}/rounds/1/jurors",
        {"jurors": ["giamkhao1", "giamkhao2"]},
    )
    assert response.json() == {"created": 8, "existing": 0, "conflicts": [], "short": []}
    return contest, entries


def scores_body(contest: Contest, entry: Entry, *values: Any, note: str | None = None) -> dict:
    criteria = list(contest.criteria.all())
    body = {
        "entry": entry.pk,
        "scores": [{"criterion": c.pk, "score": v} for c, v in zip(criteria, values, strict=True)],
    }
    if note is not None:
        body["note"] = note
    return body


def test_jurors_assignment_errors(api, round_one, contest_people):
    contest, _entries = round_one
    organiser = api(contest_people.organiser)
    response = post(organiser, f"{BASE}/{contest.pk}/rounds/1/jurors", {"jurors": ["ai-do"]})
    assert response.status_code == 400 and "ai-do" in response.json()["errors"]["jurors"][0]
    response = post(
        organiser, f"{BASE}/{contest.pk}/rounds/1/jurors", {"jurors": ["giamkhao3"], "per_entry": 2}
    )
    assert response.status_code == 400 and "per_entry" in response.json()["errors"]
    response = post(
        api(contest_people.entrant),
        f"{BASE}/{contest.pk}/rounds/1/jurors",
        {"jurors": ["giamkhao3"]},
    )
    assert response.status_code == 404  # the entrant does not see the organiser's side
    response = post(organiser, f"{BASE}/{contest.pk}/rounds/9/jurors", {"jurors": ["giamkhao3"]})
    assert response.status_code == 404


def test_scores_ranking_and_advance(api, round_one, contest_people):
    contest, entries = round_one
    juror1, juror2 = api(contest_people.juror1), api(contest_people.juror2)
    url = f"{BASE}/{contest.pk}/rounds/1/scores"
    totals = [(9, 9), (9, 6), (7, 10), (7, 7)]  # 9, 8, 8, 7
    for entry, values in zip(entries, totals, strict=True):
        for client in (juror1, juror2):
            response = post(client, url, scores_body(contest, entry, *values, note="riêng tư"))
            assert response.status_code == 200, response.content
            assert response.json()["complete"] is True
    organiser = api(contest_people.organiser)
    ranking = organiser.get(f"{BASE}/{contest.pk}/ranking?round=1").json()
    assert [(r["rank"], r["total"], r["tied"]) for r in ranking] == [
        (1, "9.00", False),
        (2, "8.00", True),
        (2, "8.00", True),
        (4, "7.00", False),
    ]
    assert "riêng tư" not in str(ranking)
    response = post(organiser, f"{BASE}/{contest.pk}/rounds/1/advance?top=2")
    assert response.status_code == 400
    assert "Places 2 to 3 are tied" in response.json()["errors"]["top"][0]
    response = post(organiser, f"{BASE}/{contest.pk}/rounds/1/advance?top=3")
    assert response.json() == {
        "round": 1,
        "next_round": 2,
        "advanced": [entries[0].pk, entries[1].pk, entries[2].pk],
    }
    assert len(organiser.get(f"{BASE}/{contest.pk}/ranking?round=2").json()) == 3
    assert (
        api(contest_people.entrant).get(f"{BASE}/{contest.pk}/ranking?round=1").status_code == 404
    )
    response = post(juror1, url, scores_body(contest, entries[0], 1, 1))
    assert response.status_code == 400 and "closed" in str(response.json())


def test_scoring_errors(api, round_one, contest_people, tree):
    contest, entries = round_one
    url = f"{BASE}/{contest.pk}/rounds/1/scores"
    juror1 = api(contest_people.juror1)
    novelty = contest.criteria.first()
    response = post(juror1, url, scores_body(contest, entries[0], 12, 5))
    assert response.status_code == 400
    assert response.json()["errors"][f"criterion_{novelty.pk}"] == [
        "“Tính mới, sáng tạo”: the score must be between 0 and 10."
    ]
    # an entry not assigned to the juror, a juror of nothing, an unknown criterion
    extra = Entry.objects.create(
        contest=contest, title="Không giao", unit=tree.ht_g1, author_names="Z"
    )
    assert post(juror1, url, {"entry": extra.pk, "scores": []}).status_code == 404
    assert (
        post(api(contest_people.juror3), url, scores_body(contest, entries[0], 5, 5)).status_code
        == 404
    )
    response = post(
        juror1, url, {"entry": entries[0].pk, "scores": [{"criterion": 999999, "score": 5}]}
    )
    assert response.status_code == 400
    assert not JurorAssignment.objects.filter(submitted_at__isnull=False).exists()
    response = post(api(contest_people.organiser), f"{BASE}/{contest.pk}/rounds/1/advance?top=1")
    assert response.status_code == 400
    assert "5 entries have no complete score" in response.json()["errors"]["__all__"][0]
