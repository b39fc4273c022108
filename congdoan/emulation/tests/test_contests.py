"""Initiative contests through the services and selectors: setting up, phases, entries only
while open and only from the organiser's subtree, jurors and conflicts of interest, scores on
the scale with private notes, progress, the ranking with ties, advancing the top N, prizes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from congdoan.core.models import AuditEntry
from congdoan.emulation import selectors, services
from congdoan.emulation.models import ContestPhase, Entry, JurorAssignment, JurorScore, Prize
from congdoan.emulation.tests.conftest import (
    give,
    make_contest,
    make_entry,
    move_to_phase,
    phases_for,
    submit,
)
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords_in_english(settings):
    """Fast password hashing for the named users (Argon2 costs ~0.7 s each); messages
    checked in English."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


TITLES = [
    "Sử dụng các chủng vi sinh vật hữu ích trong hạn chế ô nhiễm rác thải sinh hoạt",
    "Đăng ký cấp lại thẻ BHYT trực tuyến cho đối tượng cá nhân",
    "Phần mềm hệ thống quản lý hồ sơ văn phòng cấp ủy",
    "Trả lời tiến độ giải quyết hồ sơ thủ tục hành chính qua Zalo",
]


def screening(contest):
    return contest.rounds.get(number=1)


@pytest.fixture
def judged(tree, contest_people):
    """A contest in its screening phase: four entries, two jurors on every entry."""
    contest = make_contest(tree.ht)
    entries = [
        make_entry(contest, tree.ht_g1, title, authors=f"Tác giả {n}")
        for n, title in enumerate(TITLES, start=1)
    ]
    move_to_phase(contest, "screening")
    first = screening(contest)
    people = contest_people
    services.assign_jurors(people.organiser, first, [people.juror1, people.juror2])
    return contest, first, entries


# --- setting up -----------------------------------------------------------------------------


def test_a_contest_gets_its_phases_criteria_and_rounds(tree, contest_people):
    contest = make_contest(tree.ht, actor=contest_people.organiser)
    assert contest.slug == "viet-sang-kien-cai-cach-hanh-chinh"
    assert [p.kind for p in contest.phases.all()] == [
        "submission",
        "screening",
        "final",
        "awards",
        "closed",
    ]
    rounds = list(contest.rounds.select_related("phase"))
    assert [(r.number, r.phase.kind) for r in rounds] == [(1, "screening"), (2, "final")]
    assert [(c.name, c.weight) for c in contest.criteria.all()] == [
        ("Tính mới, sáng tạo", Decimal(2)),
        ("Hiệu quả áp dụng", Decimal(1)),
    ]
    assert AuditEntry.objects.filter(object_id=str(contest.pk), action="create").exists()
    again = make_contest(tree.ht)
    assert again.slug == "viet-sang-kien-cai-cach-hanh-chinh-2"


def test_only_a_manager_of_the_unit_creates_a_contest(tree, contest_people):
    with pytest.raises(PermissionDenied):
        make_contest(tree.ht, actor=contest_people.entrant)
    with pytest.raises(PermissionDenied):
        make_contest(tree.lc, actor=contest_people.organiser)


def test_a_contest_with_bad_criteria_or_phases_is_refused_naming_them(tree):
    with pytest.raises(ValidationError) as caught:
        services.create_contest(
            None,
            tree.ht,
            {"name": "Cuộc thi", "scale_max": 0},
            criteria=[("Tính mới", "0"), ("Tính mới", 1), ("", 1)],
            phases=list(reversed(phases_for("submission"))),
        )
    errors = caught.value.message_dict
    assert "scale_max" in errors
    assert any("Tính mới" in m and "weight" in m for m in errors["criteria"])
    assert any("given twice" in m for m in errors["criteria"])
    assert any("Criterion 3" in m for m in errors["criteria"])
    assert any("submission phase" in m for m in errors["phases"])
    assert not Entry.objects.exists()


# --- phases ---------------------------------------------------------------------------------


def test_the_current_phase_is_the_one_whose_dates_hold_today(tree):
    contest = make_contest(tree.ht, phase="final")
    today = timezone.localdate()
    assert selectors.current_phase(contest).kind == "final"
    final = selectors.phase_of_kind(contest, "final")
    assert selectors.current_phase(contest, final.ends_on + dt.timedelta(days=1)).kind == "awards"
    # a gap between two phases: none is current
    contest.phases.filter(kind="awards").update(starts_on=final.ends_on + dt.timedelta(days=5))
    contest = type(contest).objects.get(pk=contest.pk)
    assert selectors.current_phase(contest, final.ends_on + dt.timedelta(days=2)) is None
    assert selectors.current_phase(contest, today - dt.timedelta(days=100)) is None


def test_advancing_the_phase_starts_the_next_one_today(tree, contest_people):
    contest = make_contest(tree.ht, phase="submission")
    phase = services.advance_phase(contest_people.organiser, contest)
    assert phase.kind == "screening"
    today = timezone.localdate()
    assert selectors.current_phase(contest).kind == "screening"
    submission = selectors.phase_of_kind(contest, "submission")
    assert submission.ends_on == today - dt.timedelta(days=1)
    assert selectors.phase_of_kind(contest, "screening").starts_on == today
    with pytest.raises(PermissionDenied):
        services.advance_phase(contest_people.entrant, contest)
    move_to_phase(contest, "closed")
    with pytest.raises(ValidationError, match="last phase"):
        services.advance_phase(None, contest)


# --- entries --------------------------------------------------------------------------------


def test_entries_are_taken_only_while_submissions_are_open(tree, contest_people):
    contest = make_contest(tree.ht, phase="submission")
    entry = make_entry(contest, tree.ht_g1, TITLES[1], actor=contest_people.entrant)
    assert entry.submitted_by == contest_people.entrant
    assert entry.reached_round == 1
    move_to_phase(contest, "screening")
    with pytest.raises(ValidationError, match="only while submissions are open"):
        make_entry(contest, tree.ht_g1, TITLES[2], actor=contest_people.entrant)
    early = make_contest(tree.ht, phase="submission", name="Cuộc thi sau")
    early.phases.update(
        starts_on=timezone.localdate() + dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=60),
    )
    with pytest.raises(ValidationError):
        make_entry(early, tree.ht_g1, TITLES[2])
    assert contest.entries.count() == 1


def test_entries_come_only_from_the_organisers_subtree(tree, contest_people, users):
    contest = make_contest(tree.ht)
    with pytest.raises(ValidationError) as caught:
        make_entry(contest, tree.lc_g1, TITLES[0], actor=users.admin)
    assert "is not under" in caught.value.message_dict["unit"][0]
    stranger = make_member(tree.lc_g1, full_name="Vàng A Sử")
    with pytest.raises(ValidationError) as caught:
        services.submit_entry(
            None, contest, {"unit": tree.ht_g1, "title": TITLES[0]}, authors=[stranger]
        )
    assert "Vàng A Sử" in caught.value.message_dict["authors"][0]
    # the chair of a grassroots union cannot enter for the union above it
    with pytest.raises(PermissionDenied):
        make_entry(contest, tree.ht, TITLES[0], actor=contest_people.entrant)
    assert not contest.entries.exists()


def test_an_entry_takes_its_authors_from_the_registry_and_may_link_an_initiative(tree):
    contest = make_contest(tree.ht)
    author = make_member(tree.ht_g1, full_name="Dương Thị Minh Nguyệt")
    initiative = submit(tree.ht_g1, name=TITLES[0])
    entry = services.submit_entry(
        None,
        contest,
        {"unit": tree.ht_g1, "title": TITLES[0]},
        authors=[author],
        initiative=initiative,
    )
    assert entry.author_names == "Dương Thị Minh Nguyệt"
    assert entry.initiative == initiative
    elsewhere = submit(tree.lc_g1, name="Cải tiến khác")
    with pytest.raises(ValidationError) as caught:
        services.submit_entry(
            None,
            contest,
            {"unit": tree.ht_g1, "title": "Khác", "author_names": "A"},
            initiative=elsewhere,
        )
    assert "initiative" in caught.value.message_dict
    with pytest.raises(ValidationError, match="already in the contest"):
        make_entry(contest, tree.ht_g1, TITLES[0].upper())


# --- jurors and conflicts of interest ---------------------------------------------------------


def test_an_author_cannot_judge_their_own_entry(tree, contest_people):
    people = contest_people
    contest = make_contest(tree.ht)
    named = make_entry(contest, tree.ht_g1, TITLES[0], authors="phan van thuan, Lê Thị Thu")
    submitted = make_entry(contest, tree.ht_g1, TITLES[1], authors="X", actor=people.entrant)
    move_to_phase(contest, "screening")
    first = screening(contest)
    # juror3 is "Phan Văn Thuận": the name written without marks still matches
    with pytest.raises(ValidationError, match="is an author"):
        services.assign_juror(people.organiser, first, named, people.juror3)
    with pytest.raises(ValidationError, match="is an author"):
        services.assign_juror(people.organiser, first, submitted, people.entrant)
    report = services.assign_jurors(
        people.organiser, first, [people.juror1, people.juror3, people.entrant]
    )
    assert {(e.pk, j.username) for e, j in report.conflicts} == {
        (named.pk, "giamkhao3"),
        (submitted.pk, "bhxh.chair"),
    }
    assert len(report.created) == 4
    assert any("is an author" in line for line in report.messages())
    assert not JurorAssignment.objects.filter(entry=named, juror=people.juror3).exists()


def test_round_robin_gives_each_entry_n_jurors_skipping_conflicts(tree, contest_people):
    people = contest_people
    contest = make_contest(tree.ht)
    entries = [
        make_entry(contest, tree.ht_g1, t, authors=f"Tác giả {i}") for i, t in enumerate(TITLES)
    ]
    conflicted = make_entry(contest, tree.ht_g1, "Giải pháp số hóa", authors="Phan Văn Thuận")
    move_to_phase(contest, "screening")
    first = screening(contest)
    jurors = [people.juror1, people.juror2, people.juror3]
    report = services.assign_jurors(people.organiser, first, jurors, per_entry=2)
    counts = {
        e.pk: JurorAssignment.objects.filter(round=first, entry=e).count()
        for e in [*entries, conflicted]
    }
    assert set(counts.values()) == {2}
    assert not JurorAssignment.objects.filter(entry=conflicted, juror=people.juror3).exists()
    per_juror = sorted(JurorAssignment.objects.filter(juror=j).count() for j in jurors)
    assert per_juror[-1] - per_juror[0] <= 2
    assert report.short == []
    # three per entry: the conflicted entry can only have two
    report = services.assign_jurors(people.organiser, first, jurors, per_entry=3)
    assert [(e.pk, n) for e, n in report.short] == [(conflicted.pk, 2)]
    with pytest.raises(ValidationError):
        services.assign_jurors(people.organiser, first, jurors, per_entry=4)
    with pytest.raises(PermissionDenied):
        services.assign_jurors(people.entrant, first, jurors)


# --- scores ---------------------------------------------------------------------------------


def test_scores_outside_the_scale_are_refused_naming_the_criterion(judged, contest_people):
    contest, first, entries = judged
    juror = contest_people.juror1
    assignment = JurorAssignment.objects.get(round=first, entry=entries[0], juror=juror)
    novelty, effect = contest.criteria.all()
    with pytest.raises(ValidationError) as caught:
        services.score_entry(juror, assignment, {novelty.pk: 11, effect.pk: 5})
    assert caught.value.message_dict[f"criterion_{novelty.pk}"] == [
        "“Tính mới, sáng tạo”: the score must be between 0 and 10."
    ]
    with pytest.raises(ValidationError, match="Hiệu quả áp dụng"):
        services.score_entry(juror, assignment, {novelty.pk: 5, effect.pk: -1})
    with pytest.raises(ValidationError, match="is not a number"):
        services.score_entry(juror, assignment, {novelty.pk: "tám", effect.pk: 5})
    assert not JurorScore.objects.exists()  # nothing changed
    services.score_entry(juror, assignment, {novelty.pk: "7,5", effect.pk: 10})
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert sorted(JurorScore.objects.values_list("score", flat=True)) == [
        Decimal("7.50"),
        Decimal("10.00"),
    ]


def test_only_the_assigned_juror_scores(judged, contest_people):
    _contest, first, entries = judged
    assignment = JurorAssignment.objects.get(
        round=first, entry=entries[0], juror=contest_people.juror1
    )
    with pytest.raises(PermissionDenied):
        services.score_entry(contest_people.juror2, assignment, {})
    with pytest.raises(PermissionDenied):
        services.score_entry(contest_people.organiser, assignment, {})


def test_a_juror_sees_only_their_entries_and_their_own_notes(judged, contest_people, tree):
    contest, first, entries = judged
    people = contest_people
    extra = Entry.objects.create(
        contest=contest, title="Chưa giao", unit=tree.ht_g1, author_names="Y"
    )
    services.assign_juror(people.organiser, first, extra, people.juror3)
    give(people.juror1, first, entries[0], 8, 7, note="Cần kiểm chứng số liệu")
    give(people.juror2, first, entries[0], 6, 6, note="Ý tưởng tốt")
    mine = selectors.entries_to_score(people.juror1, first)
    assert [i.entry.pk for i in mine] == [e.pk for e in entries]
    assert mine[0].note == "Cần kiểm chứng số liệu"
    theirs = selectors.entries_to_score(people.juror2, first)
    assert theirs[0].note == "Ý tưởng tốt"
    assert all("kiểm chứng" not in i.note for i in theirs)
    with pytest.raises(Http404):
        selectors.entry_to_score(people.juror1, first, extra.pk)
    assert [i.entry.pk for i in selectors.entries_to_score(people.juror3, first)] == [extra.pk]
    with pytest.raises(Http404):
        selectors.entries_to_score(people.organiser, first)


def test_progress_counts_scored_and_pending_per_juror(judged, contest_people):
    _contest, first, entries = judged
    people = contest_people
    give(people.juror1, first, entries[0], 8, 7)
    give(people.juror1, first, entries[1], 8)  # one criterion only: still pending
    give(people.juror2, first, entries[2], 5, 5)
    give(people.juror2, first, entries[3], 9, 9)
    progress = {
        p.juror.username: (p.assigned, p.scored, p.pending) for p in selectors.juror_progress(first)
    }
    assert progress == {"giamkhao1": (4, 1, 3), "giamkhao2": (4, 2, 2)}
    [mine] = selectors.rounds_to_judge(people.juror1)
    assert (mine.round, mine.assigned, mine.scored, mine.pending) == (first, 4, 1, 3)
    assert selectors.rounds_to_judge(people.juror3) == []


# --- ranking and advancing --------------------------------------------------------------------


def score_for_ties(first, people, entries):
    """Totals 9, 8, 8, 7 (weights 2 and 1; two jurors each)."""
    values = {0: (9, 9), 1: (9, 6), 2: (7, 10), 3: (7, 7)}
    for index, (novelty, effect) in values.items():
        give(people.juror1, first, entries[index], novelty, effect)
        give(people.juror2, first, entries[index], novelty, effect)


def test_equal_totals_share_a_rank(judged, contest_people):
    _contest, first, entries = judged
    score_for_ties(first, contest_people, entries)
    ranking = selectors.rank_round(first)
    assert [(r.entry.pk, r.rank, r.total, r.tied) for r in ranking] == [
        (entries[0].pk, 1, Decimal("9.00"), False),
        (entries[1].pk, 2, Decimal("8.00"), True),
        (entries[2].pk, 2, Decimal("8.00"), True),
        (entries[3].pk, 4, Decimal("7.00"), False),
    ]


def test_the_total_is_the_mean_of_complete_weighted_scores(judged, contest_people):
    _contest, first, entries = judged
    people = contest_people
    give(people.juror1, first, entries[0], 9, 6)  # (18 + 6) / 3 = 8
    give(people.juror2, first, entries[0], 6, 9)  # (12 + 9) / 3 = 7
    give(people.juror1, first, entries[1], 10)  # incomplete: not counted
    ranking = {r.entry.pk: r for r in selectors.rank_round(first)}
    assert ranking[entries[0].pk].total == Decimal("7.50")
    assert ranking[entries[0].pk].complete == 2
    assert ranking[entries[1].pk].total is None
    assert ranking[entries[1].pk].rank is None


def test_advancing_refuses_to_split_a_tie_at_the_cut(judged, contest_people):
    _contest, first, entries = judged
    score_for_ties(first, contest_people, entries)
    with pytest.raises(ValidationError) as caught:
        services.advance(contest_people.organiser, first, 2)
    message = caught.value.message_dict["top"][0]
    assert "Places 2 to 3 are tied at 8.00 (2 entries)" in message
    assert "top 1 or the top 3" in message
    first.refresh_from_db()
    assert first.closed_at is None
    assert not Entry.objects.filter(reached_round=2).exists()


def test_advancing_the_top_n_moves_them_to_the_next_round_and_closes_the_round(
    judged, contest_people
):
    contest, first, entries = judged
    people = contest_people
    score_for_ties(first, people, entries)
    chosen = services.advance(people.organiser, first, 3)
    assert [e.pk for e in chosen] == [entries[0].pk, entries[1].pk, entries[2].pk]
    final = contest.rounds.get(number=2)
    assert [e.pk for e in selectors.round_entries(final)] == [e.pk for e in entries[:3]]
    first.refresh_from_db()
    assert first.closed_at is not None
    with pytest.raises(ValidationError, match="closed"):
        give(people.juror1, first, entries[3], 10, 10)
    with pytest.raises(ValidationError, match="closed"):
        services.advance(people.organiser, first, 1)
    with pytest.raises(ValidationError, match="closed"):
        services.assign_jurors(people.organiser, first, [people.juror3])
    # the last round cannot advance
    services.assign_jurors(people.organiser, final, [people.juror1])
    for entry in entries[:3]:
        give(people.juror1, final, entry, 5, 5)
    with pytest.raises(ValidationError, match="last round"):
        services.advance(people.organiser, final, 1)


def test_advancing_needs_every_entry_scored_and_a_sensible_n(judged, contest_people):
    _contest, first, entries = judged
    people = contest_people
    give(people.juror1, first, entries[0], 5, 5)
    with pytest.raises(ValidationError, match="3 entries have no complete score"):
        services.advance(people.organiser, first, 1)
    score_for_ties(first, people, entries)
    with pytest.raises(ValidationError, match="only 4 entries"):
        services.advance(people.organiser, first, 5)
    with pytest.raises(ValidationError, match="at least 1"):
        services.advance(people.organiser, first, 0)
    with pytest.raises(PermissionDenied):
        services.advance(people.entrant, first, 1)
    assert len(services.advance(people.organiser, first, 4)) == 4


# --- prizes ---------------------------------------------------------------------------------


def test_prizes_go_to_finalists_in_the_awards_phase(judged, contest_people):
    contest, first, entries = judged
    people = contest_people
    score_for_ties(first, people, entries)
    services.advance(people.organiser, first, 3)
    with pytest.raises(ValidationError, match="awards phase"):
        services.award_prize(people.organiser, contest, entries[0], Prize.Rank.FIRST)
    move_to_phase(contest, ContestPhase.Kind.AWARDS)
    prize = services.award_prize(people.organiser, contest, entries[0], Prize.Rank.FIRST)
    assert prize.get_rank_display() == "first prize"
    with pytest.raises(ValidationError, match="did not reach the last round"):
        services.award_prize(people.organiser, contest, entries[3], Prize.Rank.ENCOURAGEMENT)
    services.award_prize(people.organiser, contest, entries[0], Prize.Rank.SECOND)
    assert list(contest.prizes.values_list("entry_id", "rank")) == [(entries[0].pk, 2)]
    with pytest.raises(PermissionDenied):
        services.award_prize(people.entrant, contest, entries[1], Prize.Rank.THIRD)


def test_results_are_published_only_for_a_public_contest_once_closed(tree):
    contest = make_contest(tree.ht, phase="awards")
    assert not selectors.results_published(contest)
    move_to_phase(contest, "closed")
    assert selectors.results_published(contest)
    assert selectors.public_contest(contest.slug) == contest
    hidden = make_contest(tree.ht, phase="closed", is_public=False, name="Nội bộ")
    with pytest.raises(Http404):
        selectors.public_contest(hidden.slug)


def test_a_participant_sees_the_contest_and_only_their_units_entries(tree, contest_people, users):
    contest = make_contest(tree.ht)
    mine = make_entry(contest, tree.ht_g1, TITLES[0])
    make_entry(contest, tree.ht, TITLES[1])
    assert [e.pk for e in selectors.contest_entries(contest_people.entrant, contest)] == [mine.pk]
    assert len(selectors.contest_entries(contest_people.organiser, contest)) == 2
    assert not selectors.organises(contest_people.entrant, contest)
    with pytest.raises(Http404):
        selectors.get_organised_contest(contest_people.entrant, contest.pk)
    with pytest.raises(Http404):
        selectors.get_contest(users.lc_clerk, contest.pk)
    assert selectors.get_contest(users.admin, contest.pk) == contest


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_contest_tells_the_ha_tinh_story(client):
    from congdoan.accounts.permissions import Role
    from congdoan.conftest import make_user
    from congdoan.emulation.demo import DEMO_JURORS, DEMO_WINNER, load_demo_contests
    from congdoan.members.demo import load_demo_members
    from congdoan.org.demo import DemoBuilder
    from congdoan.org.models import Unit

    def quiet(*_args):
        return None

    DemoBuilder(log=quiet).build()
    load_demo_members(log=quiet)
    assert load_demo_contests(log=quiet) is None  # no jurors yet: nothing loaded
    federation = Unit.objects.get(code="HTH")
    for username in DEMO_JURORS:
        make_user(username, Role.SPECIALIST, federation)
    contest = load_demo_contests(log=quiet)
    assert contest.unit == federation
    screening, final = contest.rounds.order_by("number")
    assert contest.entries.count() == 25
    assert len(selectors.round_entries(final)) == 16
    assert screening.closed_at is not None
    assert any(r.tied for r in selectors.rank_round(screening))
    [first] = contest.prizes.filter(rank=Prize.Rank.FIRST)
    assert first.entry.title == DEMO_WINNER
    assert first.entry.unit.code == "HTH-VC-KHCN"
    assert first.entry.initiative.status == "recognised"
    assert selectors.rank_round(final)[0].entry == first.entry
    page = client.get(f"/emulation/contests/{contest.slug}/results/").content.decode()
    assert DEMO_WINNER in page and "Dương Thị Minh Nguyệt" in page
    assert load_demo_contests(log=quiet) is None  # once only
