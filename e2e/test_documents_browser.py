"""Sending a document down to the grassroots in a real browser.

The Lào Cai clerk drafts a Kế hoạch for every grassroots union under the provincial
education union (the demo's district federations were wound up on 01/07/2025, as in the
seeds; an upper-level union stands where a district federation did), the leader signs it,
the clerk numbers and issues it; the chair of one of those unions finds it in the inbox and
acknowledges it; the clerk sees the acknowledgement on the document page.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import DEMO_PASSWORD, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UPPER = "LCI-NGD"
UNION = "LCI-NGD-CS1"
SUBJECT = "Tổ chức Hội thi “Cán bộ công đoàn giỏi” ngành Giáo dục năm 2026"


@pytest.fixture
def chair(demo) -> str:  # type: ignore[no-untyped-def]
    """A chair for one grassroots union under the education union."""
    from congdoan.accounts.models import User
    from congdoan.accounts.permissions import Role
    from congdoan.accounts.services import grant_role
    from congdoan.org.models import Unit

    user = User.objects.create_user(
        username="giaoduc.chutich", password=DEMO_PASSWORD, full_name="Vàng Thị Dung"
    )
    grant_role(None, user=user, unit=Unit.objects.get(code=UNION), role=Role.CHAIR)
    return user.username


def test_clerk_issues_a_plan_the_chair_acknowledges_it_the_clerk_sees_it(
    browser, live_server, chair, artifacts
):  # type: ignore[no-untyped-def]
    clerk = sign_in(browser, live_server, "laocai.vanthu")
    clerk.goto("/documents/new/?unit=LCI")
    clerk.select_option("select[name=doc_type]", "KH")
    clerk.fill("[name=subject]", SUBJECT)
    clerk.locator("input[name=recipient_unit]").first.fill(UPPER)
    clerk.locator("select[name=recipient_mode]").first.select_option("grassroots")
    with clerk.expect_navigation():
        clerk.click("main form[enctype] button[type=submit]")
    expect(clerk.locator("h1")).to_contain_text("Kế hoạch")
    expect(clerk.locator("main")).to_contain_text("Hội thi")
    document_url = clerk.url
    assert re.search(r"/documents/\d+/$", document_url)
    with clerk.expect_navigation():
        clerk.click("#step-submit summary")
        clerk.click("#step-submit button[type=submit]")

    leader = sign_in(browser, live_server, "laocai.lanhdao")
    leader.goto(document_url)
    with leader.expect_navigation():
        leader.click("#step-sign button[type=submit]")
    leader.context.close()

    clerk.goto(document_url)
    with clerk.expect_navigation():
        clerk.click("#issue")
    expect(clerk.locator("main")).to_contain_text("/KH-LĐLĐ")
    expect(clerk.locator("#count-delivered")).to_have_text("1")
    expect(clerk.locator("#count-acknowledged")).to_have_text("0")

    union = sign_in(browser, live_server, chair)
    union.goto(f"/documents/inbox/?unit={UNION}")
    row = union.locator("tr", has_text="Hội thi")
    expect(row).to_have_count(1)
    with union.expect_navigation():
        row.get_by_role("button", name=re.compile("Xác nhận|Acknowledge")).click()
    union.goto(f"/documents/inbox/?unit={UNION}")
    expect(union.locator("tr", has_text="Hội thi")).to_contain_text(
        re.compile("Đã xác nhận|Acknowledged")
    )
    union.screenshot(path=str(artifacts / "documents-inbox-chair.png"), full_page=True)
    union.context.close()

    clerk.goto(document_url)
    expect(clerk.locator("#count-acknowledged")).to_have_text("1")
    expect(clerk.locator("#recipients")).to_contain_text("Vàng Thị Dung")
    clerk.screenshot(path=str(artifacts / "documents-sender-status.png"), full_page=True)
    clerk.context.close()
