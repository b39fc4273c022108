"""The contest pages: the organiser's (create, phases, rounds with jurors, progress, ranking,
advancing, prizes), the juror's (only their entries, a scoring form each), the entrant's and
the public results page (no login, prizes only, nothing private)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from congdoan.emulation import services
from congdoan.emulation.models import Contest, Entry, JurorAssignment, Prize
from congdoan.emulation.tests.conftest import give, make_contest, make_entry, move_to_phase

pytestmark = pytest.mark.django_db

PRIVATE = "Ghi chú riêng của giám khảo"
WINNER = "Sử dụng các chủng vi sinh vật hữu ích trong hạn chế ô nhiễm rác thải sinh hoạt"


@pytest.fixture(autouse=True)
def _fast_passwords_in_english(settings):
    """Fast password hashing for the named users (Argon2 costs ~0.7 s each); messages
    checked in English."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def screening(tree, contest_people):
    contest = make_contest(tree.ht)
    entries = [
        make_entry(contest, tree.ht_g1, WINNER, authors="Dương Thị Minh Nguyệt, Bùi Quang Khải"),
        make_entry(contest, tree.ht_g1, "Đăng ký cấp lại thẻ BHYT trực tuyến"),  # Phan Văn Thuận
        make_entry(contest, tree.ht_g1, "Phần mềm quản lý hồ sơ văn phòng cấp ủy", authors="B"),
        make_entry(contest, tree.ht_g1, "Trả lời tiến độ hồ sơ qua Zalo", authors="C"),
    ]
    move_to_phase(contest, "screening")
    return contest, entries


def test_the_organiser_creates_a_contest_from_the_form(contest_people):
    organiser = client_for(contest_people.organiser)
    assert organiser.get("/emulation/contests/new/").status_code == 200
    response = organiser.post(
        "/emulation/contests/new/",
        {
            "unit": "HTH",
            "name": "Viết sáng kiến cải cách hành chính",
            "scale_max": "10",
            "is_public": "on",
            "criteria": "Tính mới, sáng tạo | 2\nHiệu quả áp dụng\n",
            "submission_from": "01/03/2026",
            "submission_to": "31/05/2026",
            "screening_from": "2026-06-01",
            "final_from": "2026-07-01",
            "awards_from": "2026-08-01",
            "closed_from": "2026-09-01",
        },
    )
    assert response.status_code == 302, response.content.decode()
    contest = Contest.objects.get()
    assert response["Location"] == f"/emulation/contests/{contest.pk}/"
    assert [(c.name, c.weight) for c in contest.criteria.all()] == [
        ("Tính mới, sáng tạo", 2),
        ("Hiệu quả áp dụng", 1),
    ]
    page = organiser.get(f"/emulation/contests/{contest.pk}/").content.decode()
    assert "01/03/2026" in page and "Screening round" in page
    response = organiser.post(
        "/emulation/contests/new/",
        {
            "unit": "HTH",
            "name": "X",
            "scale_max": "10",
            "criteria": "A | 0",
            "submission_from": "2026-03-01",
        },
    )
    assert "the weight must be above 0" in response.content.decode()
    assert client_for(contest_people.entrant).get("/emulation/contests/new/").status_code == 404


def test_the_entrant_submits_an_entry_only_while_open(tree, contest_people):
    contest = make_contest(tree.ht)
    entrant = client_for(contest_people.entrant)
    page = entrant.get(f"/emulation/contests/{contest.pk}/").content.decode()
    assert 'id="submit-entry"' in page
    assert "Rounds" not in page  # the organiser's part is not shown
    response = entrant.post(
        f"/emulation/contests/{contest.pk}/entries/new/",
        {"unit": "HTH-G1", "title": WINNER, "author_names": "Dương Thị Minh Nguyệt"},
    )
    assert response.status_code == 302
    assert Entry.objects.get().submitted_by == contest_people.entrant
    move_to_phase(contest, "screening")
    response = entrant.post(
        f"/emulation/contests/{contest.pk}/entries/new/",
        {"unit": "HTH-G1", "title": "Khác", "author_names": "A"},
    )
    assert "only while submissions are open" in response.content.decode()
    assert Entry.objects.count() == 1
    response = entrant.post(
        f"/emulation/contests/{contest.pk}/entries/new/",
        {"unit": "HTH", "title": "Khác", "author_names": "A"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_round_page_assigns_in_bulk_shows_progress_ranking_and_advances(screening, contest_people):
    contest, entries = screening
    people = contest_people
    organiser = client_for(people.organiser)
    url = f"/emulation/contests/{contest.pk}/rounds/1/"
    page = organiser.get(url).content.decode()
    assert "Assign jurors" in page
    response = organiser.post(
        f"{url}jurors/",
        {"others": "giamkhao1, giamkhao2 giamkhao3", "per_entry": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "11 assignments made" in page
    assert "Skipped: Phan Văn Thuận is an author of “Đăng ký cấp lại thẻ BHYT trực tuyến”" in page
    first = contest.rounds.get(number=1)
    for juror in (people.juror1, people.juror2):
        for entry, values in zip(entries, [(9, 9), (9, 6), (7, 10), (7, 7)], strict=True):
            give(juror, first, entry, *values, note=PRIVATE)
    page = organiser.get(url).content.decode()
    row = 'data-juror="giamkhao1"><td>Lê Văn Kiên</td><td class="num">4</td>'
    assert row + '<td class="num scored">4</td>' in page
    assert 'class="num pending">3</td>' in page  # giamkhao3 scored nothing
    assert page.count("2 =") == 2
    assert PRIVATE not in page
    # juror3's pending entries do not block advancing: every entry has complete scores
    response = organiser.post(f"{url}advance/", {"top": "2"})
    assert "Places 2 to 3 are tied at 8.00 (2 entries)" in response.content.decode()
    response = organiser.post(f"{url}advance/", {"top": "3"})
    assert response["Location"] == f"/emulation/contests/{contest.pk}/rounds/2/"
    page = organiser.get(response["Location"]).content.decode()
    assert WINNER in page and "Trả lời tiến độ hồ sơ qua Zalo" not in page
    assert client_for(people.entrant).get(url).status_code == 404
    assert client_for(people.juror1).get(url).status_code == 404


def test_a_juror_scores_only_what_is_assigned_to_them(screening, contest_people):
    contest, entries = screening
    people = contest_people
    first = contest.rounds.get(number=1)
    services.assign_jurors(people.organiser, first, [people.juror1, people.juror2], per_entry=1)
    mine = list(
        JurorAssignment.objects.filter(juror=people.juror1).values_list("entry_id", flat=True)
    )
    theirs = next(e for e in entries if e.pk not in mine)
    juror = client_for(people.juror1)
    assert "1. Screening round" in juror.get("/emulation/contests/jury/").content.decode()
    page = juror.get(f"/emulation/contests/{contest.pk}/rounds/1/jury/").content.decode()
    assert 'id="scored-count">0<' in page and 'id="pending-count">2<' in page
    assert theirs.title not in page
    score_url = f"/emulation/contests/{contest.pk}/rounds/1/jury/{mine[0]}/"
    novelty, effect = contest.criteria.all()
    response = juror.post(
        score_url, {f"criterion_{novelty.pk}": "11", f"criterion_{effect.pk}": "5"}
    )
    assert "“Tính mới, sáng tạo”: the score must be between 0 and 10." in response.content.decode()
    response = juror.post(
        score_url,
        {f"criterion_{novelty.pk}": "8,5", f"criterion_{effect.pk}": "7", "note": PRIVATE},
    )
    assert response.status_code == 302
    page = juror.get(f"/emulation/contests/{contest.pk}/rounds/1/jury/").content.decode()
    assert 'id="scored-count">1<' in page and 'id="pending-count">1<' in page
    assert PRIVATE in juror.get(score_url).content.decode()
    other = client_for(people.juror2)
    assert other.get(score_url).status_code == 404
    assert (
        other.get(f"/emulation/contests/{contest.pk}/rounds/1/jury/{mine[0]}/").status_code == 404
    )
    assert (
        client_for(people.juror3)
        .get(f"/emulation/contests/{contest.pk}/rounds/1/jury/")
        .status_code
        == 404
    )


def test_prizes_and_the_public_results_page(screening, contest_people):
    contest, entries = screening
    people = contest_people
    first = contest.rounds.get(number=1)
    services.assign_jurors(people.organiser, first, [people.juror1])
    for entry, value in zip(entries, [10, 8, 6, 4], strict=True):
        give(people.juror1, first, entry, value, value, note=PRIVATE)
    services.advance(people.organiser, first, 3)
    final = contest.rounds.get(number=2)
    services.assign_jurors(people.organiser, final, [people.juror2])
    for entry, value in zip(entries[:3], [9, 8, 7], strict=True):
        give(people.juror2, final, entry, value, value, note=PRIVATE)
    organiser = client_for(people.organiser)
    prizes_url = f"/emulation/contests/{contest.pk}/prizes/"
    assert "Prizes are given in the awards phase" in organiser.get(prizes_url).content.decode()
    move_to_phase(contest, "awards")
    response = organiser.post(prizes_url, {"entry": str(entries[0].pk), "rank": "1"})
    assert response.status_code == 302
    organiser.post(prizes_url, {"entry": str(entries[1].pk), "rank": "2", "note": "Giải Nhì"})
    assert Prize.objects.count() == 2

    results_url = f"/emulation/contests/{contest.slug}/results/"
    public = client_for()
    assert public.get(results_url).status_code == 404  # not before the contest is closed
    move_to_phase(contest, "closed")
    page = public.get(results_url).content.decode()
    assert "first prize" in page and WINNER in page
    assert "Dương Thị Minh Nguyệt, Bùi Quang Khải" in page
    assert "Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh" in page
    assert PRIVATE not in page and "9.00" not in page
    assert "Trả lời tiến độ hồ sơ qua Zalo" not in page
    Contest.objects.filter(pk=contest.pk).update(is_public=False)
    assert public.get(results_url).status_code == 404


def test_phases_page_moves_to_the_next_phase(tree, contest_people):
    contest = make_contest(tree.ht)
    organiser = client_for(contest_people.organiser)
    url = f"/emulation/contests/{contest.pk}/phases/"
    assert organiser.get(url).status_code == 200
    organiser.post(url, {"action": "advance"})
    contest = Contest.objects.get(pk=contest.pk)
    from congdoan.emulation import selectors

    assert selectors.current_phase(contest).kind == "screening"
    assert client_for(contest_people.entrant).get(url).status_code == 404


def test_a_juror_without_a_role_finds_the_jury_from_the_menu(screening, contest_people):
    """Jurors are often from outside the federation and hold no role: once entries are
    assigned to them the menu shows Emulation, whose start page leads to their rounds."""
    contest, _entries = screening
    people = contest_people
    juror = client_for(people.juror1)
    assert 'id="nav-emulation"' not in juror.get("/").content.decode()
    assert juror.get("/emulation/").status_code == 404
    first = contest.rounds.get(number=1)
    services.assign_jurors(people.organiser, first, [people.juror1, people.juror2], per_entry=1)
    assigned = JurorAssignment.objects.filter(juror=people.juror1).count()
    assert assigned == 2
    assert 'id="nav-emulation"' in juror.get("/").content.decode()
    home = juror.get("/emulation/").content.decode()
    assert 'id="home-jury"' in home and 'href="/emulation/contests/jury/"' in home
    assert f"{assigned} entries left to score" in home
    assert 'id="home-submit"' not in home  # no role: nothing else to do here
    assert client_for(people.juror3).get("/emulation/").status_code == 404
