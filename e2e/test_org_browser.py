"""The organisation registry in a real browser, on the demo federation.

Elements are found by ids, names, URLs and ``data-code`` attributes, and by the demo
units' names (data), never by translated labels, so the tests pass whether or not the
translations are compiled.
"""

from __future__ import annotations

import re

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

# A live server needs a transactional database; the flush after each test would also wipe
# the unit kinds and post types seeded by the migrations, so restore them before each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BKN_2016 = {
    "BKN-CTCS": "Ban Công tác cơ sở",
    "BKN-TGNC": "Ban Tuyên giáo & Nữ công",
    "BKN-TCH": "Ban Tài chính",
    "BKN-VP": "Văn phòng",
    "BKN-KT": "Ủy ban Kiểm tra",
}
MERGED = ("BKN-TCKT", "Ban Tổ chức Kiểm tra")


def open_node(page, node) -> None:  # type: ignore[no-untyped-def]
    """Open a closed branch by its disclosure triangle (not the unit's name, which is a link)
    and wait for its children to arrive."""
    summary = node.locator(":scope > details > summary")
    box = summary.bounding_box()
    assert box is not None
    with page.expect_response(re.compile(r"/org/chart/node/")) as answer:
        summary.click(position={"x": 5, "y": box["height"] / 2})
    assert answer.value.status == 200
    expect(node.locator(":scope > details > ul[hx-get]")).to_have_count(0)


def show_chart_on(page, day: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#chart-date", day)
    with page.expect_navigation():
        page.click("form.toolbar button[type=submit]")
    assert f"date={day}" in page.url
    expect(page.locator("#chart-date")).to_have_value(day)


def test_chart_on_a_past_date_shows_bac_kan_before_and_after_the_merger(login, artifacts):
    page = login("admin")
    page.goto("/org/chart/")
    expect(page.locator("#chart > li[data-code=TLD]")).to_be_visible()

    show_chart_on(page, "2016-01-01")
    bkn = page.locator("li[data-code=BKN]")
    expect(bkn).to_have_count(1)
    bkn_summary = bkn.locator(":scope > details > summary")
    expect(bkn_summary).to_contain_text("Liên đoàn Lao động tỉnh Bắc Kạn")
    open_node(page, bkn)
    for code, name in BKN_2016.items():
        department = bkn.locator(f"li[data-code='{code}']")
        expect(department).to_be_visible()
        expect(department).to_have_text(re.compile(re.escape(name)))
    expect(bkn.locator(f"li[data-code='{MERGED[0]}']")).to_have_count(0)
    expect(bkn).not_to_contain_text(MERGED[1])
    page.screenshot(path=str(artifacts / "chart-2016.png"), full_page=True)

    show_chart_on(page, "2018-01-01")
    bkn = page.locator("li[data-code=BKN]")
    open_node(page, bkn)
    merged = bkn.locator(f"li[data-code='{MERGED[0]}']")
    expect(merged).to_be_visible()
    expect(merged).to_contain_text(MERGED[1])
    for code in ("BKN-CTCS", "BKN-TCH", "BKN-VP"):
        expect(bkn.locator(f"li[data-code='{code}']")).to_be_visible()
    for code in ("BKN-KT", "BKN-TGNC"):
        expect(bkn.locator(f"li[data-code='{code}']")).to_have_count(0)
    expect(bkn).not_to_contain_text("Ủy ban Kiểm tra")
    expect(bkn).not_to_contain_text("Ban Tuyên giáo & Nữ công")


def test_lao_cai_streamlining_report(login):
    page = login("laocai.vanthu")
    response = page.goto("/org/units/LCI/streamlining/?since=2015-01-01&until=2020-12-31")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text("Liên đoàn Lao động tỉnh Lào Cai")
    expect(page.locator("#units-removed")).to_have_text("14")
    expect(page.locator("#cadres-reduced")).to_have_text("19")
    removed = page.locator("table a[href='/org/units/LCI-BX-GD/']")
    expect(removed).to_have_text("Công đoàn Giáo dục huyện Bát Xát")


def test_grassroots_chair_sees_only_their_own_unit(login):
    page = login("bhxh.chutich")
    response = page.goto("/org/units/HTH-VC-BHXH/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_contain_text("Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh")
    for other in ("/org/units/LCI/", "/org/units/HTH/"):
        response = page.goto(other)
        assert response is not None and response.status == 404, other
        expect(page.locator("body")).not_to_contain_text("Liên đoàn Lao động tỉnh")


def test_wrong_password_shows_the_form_again_and_does_not_log_in(page):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "laocai.vanthu")
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/accounts/login/")
    expect(page.locator("main form [role=alert]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_value("")
    expect(page.locator("input[name=username]")).to_have_value("laocai.vanthu")

    page.goto("/")
    assert re.search(r"/accounts/login/\?next=/$", page.url), page.url
    expect(page.locator("input[name=password]")).to_be_visible()


def test_chart_loads_a_closed_branch_when_it_is_opened(login):
    page = login("admin")
    page.goto("/org/chart/")
    tree = page.locator("#chart")
    for province in ("LCI", "TNN", "HTH"):
        expect(tree.locator(f"li[data-code={province}]")).to_be_visible()
    # Bắc Kạn and Yên Bái merged into Thái Nguyên and Lào Cai on 01/07/2025.
    expect(tree.locator("li[data-code=BKN]")).to_have_count(0)

    # The chart shows one level at a time: a province's units arrive when it is opened,
    # without leaving the page.
    hth = tree.locator("li[data-code=HTH]")
    assert hth.locator(":scope > details").evaluate("d => !d.open")
    expect(hth.locator("li[data-code=HTH-UBND]")).to_have_count(0)
    chart_url = page.url
    open_node(page, hth)
    assert page.url == chart_url

    # Công đoàn UBND tỉnh (from the 2025 split) is itself closed until opened.
    node = hth.locator("li[data-code=HTH-UBND]")
    expect(node.locator(":scope > details > summary")).to_contain_text(
        "Công đoàn Ủy ban nhân dân tỉnh Hà Tĩnh"
    )
    assert node.locator(":scope > details").evaluate("d => !d.open")
    child = node.locator("li[data-code=HTH-VC-BHXH]")
    expect(child).to_have_count(0)
    open_node(page, node)
    assert page.url == chart_url
    expect(child).to_be_visible()
    expect(child).to_contain_text("Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh")
    for code in ("HTH-VC-KHCN", "HTH-VC-VPUB", "HTH-VC-STC"):
        expect(node.locator(f"li[data-code={code}]")).to_be_visible()
    # The grassroots unions of the Party offices went to the other new union.
    expect(node.locator("li[data-code=HTH-VC-VPTU]")).to_have_count(0)
