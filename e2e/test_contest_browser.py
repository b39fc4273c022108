"""Judging a contest round in a real browser.

A small contest of the Hà Tĩnh federation, built through the services on top of the demo:
three entries in the screening round, two demo jurors on each. One juror has already scored
everything; the other has scored two of three. That juror signs in, opens their list, scores
the last entry and sees their progress reach 3 of 3. The organiser signs in, sees the ranking,
advances the top 2, and finds exactly those two entries in the final round.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import DEMO_PASSWORD, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLES = [
    "Ký số hồ sơ công đoàn viên trên điện thoại",
    "Sổ tay điện tử hướng dẫn thủ tục kết nạp đoàn viên",
    "Bản đồ số các công đoàn cơ sở khối cơ quan tỉnh",
]


@pytest.fixture
def small_contest(demo):  # type: ignore[no-untyped-def]
    """The contest, its organiser (a leader at the federation) and the state described above."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from congdoan.accounts.permissions import Role
    from congdoan.accounts.services import grant_role
    from congdoan.emulation import services
    from congdoan.emulation.models import JurorAssignment
    from congdoan.org.models import Unit

    users = get_user_model().objects
    federation = Unit.objects.get(code="HTH")
    organiser = users.create_user(
        username="hatinh.thidua", password=DEMO_PASSWORD, full_name="Hà Văn Oanh"
    )
    grant_role(None, user=organiser, unit=federation, role=Role.LEADER)
    today = timezone.localdate()
    kinds = ["submission", "screening", "final", "awards", "closed"]
    phases = [
        services.PhaseDates(
            kind,
            today + dt.timedelta(days=(i - 1) * 10 - 2),
            None if kind == "closed" else today + dt.timedelta(days=(i - 1) * 10 + 7),
        )
        for i, kind in enumerate(kinds)
    ]
    contest = services.create_contest(
        organiser,
        federation,
        {"name": "Sáng kiến chuyển đổi số trong hoạt động công đoàn", "scale_max": 10},
        criteria=[("Tính mới", 2), ("Hiệu quả", 1)],
        phases=phases,
    )
    entries = []
    for title, code in zip(TITLES, ["HTH-VC-BHXH", "HTH-VC-KHCN", "HTH-VC-STC"], strict=True):
        entries.append(
            services.submit_entry(
                None,
                contest,
                {"unit": Unit.objects.get(code=code), "title": title, "author_names": "Tác giả"},
                today=phases[0].starts_on,
            )
        )
    screening = contest.rounds.get(number=1)
    juror1 = users.get(username="hatinh.giamkhao1")
    juror2 = users.get(username="hatinh.giamkhao2")
    services.assign_jurors(organiser, screening, [juror1, juror2])
    criteria = list(contest.criteria.all())

    def score(juror, entry, novelty, effect):  # type: ignore[no-untyped-def]
        assignment = JurorAssignment.objects.get(round=screening, entry=entry, juror=juror)
        services.score_entry(juror, assignment, {criteria[0].pk: novelty, criteria[1].pk: effect})

    score(juror2, entries[0], 9, 9)
    score(juror2, entries[1], 6, 6)
    score(juror2, entries[2], 8, 8)
    score(juror1, entries[0], 9, 8)
    score(juror1, entries[1], 5, 6)
    return contest


def test_a_juror_scores_and_the_organiser_advances_the_top_two(
    browser, live_server, small_contest, artifacts
):  # type: ignore[no-untyped-def]
    contest = small_contest

    juror = sign_in(browser, live_server, "hatinh.giamkhao1")
    juror.goto("/emulation/contests/jury/")
    with juror.expect_navigation():
        juror.locator("#to-judge tr", has_text=contest.name).get_by_role("link").click()
    expect(juror.locator("#scored-count")).to_have_text("2")
    expect(juror.locator("#pending-count")).to_have_text("1")
    expect(juror.locator("#my-entries tbody tr")).to_have_count(3)
    with juror.expect_navigation():
        juror.get_by_role("link", name=TITLES[2]).click()
    expect(juror.locator("h1")).to_have_text(TITLES[2])
    fields = juror.locator("#score-form input[name^=criterion_]")
    expect(fields).to_have_count(2)
    fields.nth(0).fill("11")
    fields.nth(1).fill("7")
    with juror.expect_navigation():
        juror.click("#score-form button[type=submit]")
    expect(juror.locator("main")).to_contain_text("Tính mới")  # refused, naming the criterion
    expect(juror.locator("#scored-count")).to_have_count(0)
    fields = juror.locator("#score-form input[name^=criterion_]")
    fields.nth(0).fill("7,5")
    fields.nth(1).fill("7")
    juror.fill("#score-form textarea[name=note]", "Cần bổ sung số liệu áp dụng thực tế")
    with juror.expect_navigation():
        juror.click("#score-form button[type=submit]")
    expect(juror.locator("#scored-count")).to_have_text("3")
    expect(juror.locator("#pending-count")).to_have_text("0")
    juror.screenshot(path=str(artifacts / "contest-juror-progress.png"), full_page=True)
    juror.context.close()

    organiser = sign_in(browser, live_server, "hatinh.thidua")
    organiser.goto(f"/emulation/contests/{contest.pk}/rounds/1/")
    ranking = organiser.locator("#ranking tbody tr")
    expect(ranking).to_have_count(3)
    # weights 2 and 1: (9 + 8.67) / 2 = 8.83, (8 + 7.33) / 2 = 7.67, (6 + 5.33) / 2 = 5.67
    expect(ranking.nth(0)).to_contain_text(TITLES[0])
    expect(ranking.nth(0).locator("td.total")).to_have_text(re.compile(r"8[.,]83"))
    expect(ranking.nth(1)).to_contain_text(TITLES[2])
    expect(ranking.nth(2)).to_contain_text(TITLES[1])
    expect(
        organiser.locator('#progress tr[data-juror="hatinh.giamkhao1"] td.pending')
    ).to_have_text("0")
    organiser.fill("#advance input[name=top]", "2")
    with organiser.expect_navigation():
        organiser.click("#advance button[type=submit]")
    assert organiser.url.endswith(f"/emulation/contests/{contest.pk}/rounds/2/")
    final = organiser.locator("#ranking tbody tr")
    expect(final).to_have_count(2)
    expect(organiser.locator("#ranking")).to_contain_text(TITLES[0])
    expect(organiser.locator("#ranking")).to_contain_text(TITLES[2])
    expect(organiser.locator("#ranking")).not_to_contain_text(TITLES[1])
    expect(organiser.locator("main")).not_to_contain_text("Cần bổ sung số liệu")
    organiser.screenshot(path=str(artifacts / "contest-final-round.png"), full_page=True)
    organiser.context.close()
