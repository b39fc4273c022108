"""Publishing a news article on the Lào Cai portal in a real browser.

A contributor of the Lào Cai federation (a specialist there: she may write, not approve)
writes an article in the staff office, typing its text in the rich-text editor, and sends it
to the editors. A reader, not signed in, does not find it on the portal's home page and its
address answers 404. The federation's editor (the demo's văn thư) finds it waiting for her
and publishes it. A reader then finds it on the home page (the page cached before is not
served any more), opens it and reads its view count; a second reader raises the figure, and
once the counts are written to the database (``counting.flush``, as the web process's flush
thread does every ``PORTAL_COUNT_FLUSH_SECONDS``) the editor sees the same figure in the office.

Readers' browsers announce themselves as an ordinary desktop Chrome: headless Chromium's own
user agent says "HeadlessChrome", which the portal rightly counts as a robot, not a reader.
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import READER_AGENT, sign_in

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
expect = sync_api.expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PORTAL = "laocai"
HOME = f"/p/{PORTAL}/"
CATEGORY = "Hoạt động công đoàn"
CONTRIBUTOR = "laocai.phongvien"
CONTRIBUTOR_NAME = "Vũ Thị Ngọc Ánh"
EDITOR = "laocai.vanthu"  # Văn thư of the federation: portal.write and portal.edit
TITLE = "Công đoàn cơ sở Mỏ tuyển đồng Sin Quyền tổ chức đối thoại với người lao động"
SUMMARY = (
    "Hơn 200 đoàn viên tham dự buổi đối thoại định kỳ, nhiều kiến nghị về ca kíp và bữa ăn "
    "giữa ca được giải đáp ngay tại hội nghị."
)
PARAGRAPHS = [
    "Buổi đối thoại do Ban Chấp hành công đoàn cơ sở phối hợp với Ban Giám đốc tổ chức.",
    "Người lao động kiến nghị nâng chất lượng bữa ăn giữa ca và bố trí lại ca kíp hợp lý.",
]


@pytest.fixture
def contributor(portal_state, demo) -> str:  # type: ignore[no-untyped-def]
    """The demo's contributor at the Lào Cai federation: a specialist writes articles, nothing
    more."""
    from congdoan.accounts.models import User

    return User.objects.get(username=CONTRIBUTOR, full_name=CONTRIBUTOR_NAME).username


def reader(browser, live_server):  # type: ignore[no-untyped-def]
    """A new reader: a fresh browser context, no cookies, nobody signed in."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", user_agent=READER_AGENT)
    context.set_default_timeout(15_000)
    return context.new_page()


def views_shown(page) -> int:  # type: ignore[no-untyped-def]
    """The view count printed under the article's title ("Lượt xem: 1.234")."""
    meta = page.locator("article.story p.meta")
    expect(meta).to_contain_text(re.compile(r"Lượt xem: \d"))
    found = re.search(r"Lượt xem: ([\d.]+)", meta.inner_text())
    assert found, meta.inner_text()
    return int(found.group(1).replace(".", ""))


def open_from_home(page) -> int:  # type: ignore[no-untyped-def]
    """Open the portal's home page, find the article among the latest news, open it and
    return the view count it shows."""
    page.goto(HOME)
    latest = page.locator("section[aria-labelledby=latest-h]")
    expect(latest).to_contain_text(TITLE)
    with page.expect_navigation():
        latest.get_by_role("link", name=TITLE).click()
    expect(page.locator("article.story h1")).to_have_text(TITLE)
    expect(page.locator("article.story .body")).to_contain_text(PARAGRAPHS[1])
    return views_shown(page)


def test_contributor_writes_editor_publishes_readers_raise_the_view_count(
    browser, live_server, contributor, artifacts
):  # type: ignore[no-untyped-def]
    from congdoan.portal import counting, pagecache
    from congdoan.portal.models import Article, Portal

    portal = Portal.objects.get(slug=PORTAL)

    # --- the contributor writes the article and sends it to the editors ---
    writer = sign_in(browser, live_server, contributor)
    writer.goto("/portal-admin/")  # her only portal: straight to its articles
    expect(writer.locator("h1")).to_have_text(portal.name)
    expect(writer.locator("#waiting-link")).to_have_count(0)  # she approves nothing
    with writer.expect_navigation():
        writer.click("#write")
    expect(writer.locator("h1")).to_have_text("Viết bài")
    writer.fill("#id_title", TITLE)
    writer.fill("#id_summary", SUMMARY)
    editor_area = writer.locator("#article-form [contenteditable=true]")
    editor_area.click()
    writer.keyboard.type(PARAGRAPHS[0])
    writer.keyboard.press("Enter")
    writer.keyboard.type(PARAGRAPHS[1])
    expect(editor_area.locator("p")).to_have_count(2)
    writer.select_option("#id_category", label=f"— {CATEGORY}")
    expect(writer.locator("#save-publish")).to_have_count(0)  # no "Lưu và duyệt" for her
    with writer.expect_navigation():
        writer.click("#save-submit")  # "Lưu và gửi biên tập viên"
    expect(writer.locator("#article-title")).to_have_text(TITLE)
    expect(writer.locator("main")).to_contain_text("Đã gửi biên tập viên.")
    expect(writer.locator("#article-status")).to_contain_text("chờ biên tập duyệt")
    expect(writer.locator("#approve")).to_have_count(0)
    expect(writer.locator("#metadata")).to_contain_text(CATEGORY)
    writer.screenshot(path=str(artifacts / "portal-submitted.png"), full_page=True)
    writer.context.close()

    article = Article.objects.select_related("category").get(portal=portal, title=TITLE)
    assert article.status == Article.Status.SUBMITTED
    assert [p.strip() for p in re.findall(r"<p>(.*?)</p>", article.body)] == PARAGRAPHS
    public_url = f"{HOME}{article.category.slug}/{article.slug}.html"

    # --- not yet public: not on the home page, its address answers 404 ---
    early = reader(browser, live_server)
    response = early.goto(HOME)
    assert response is not None and response.status == 200
    expect(early.locator("section[aria-labelledby=latest-h]")).to_be_visible()
    expect(early.locator("body")).not_to_contain_text(TITLE)
    response = early.goto(public_url)
    assert response is not None and response.status == 404
    early.context.close()
    # The home page a reader saw is now in the page cache of the portal.
    home_variant = f"vi|{live_server.url}{HOME}?"
    assert pagecache.lookup(portal.pk, home_variant)[1] is not None
    generation = pagecache.generation(portal.pk)

    # --- the editor finds it waiting for her and publishes it ---
    editor = sign_in(browser, live_server, EDITOR)
    editor.goto(f"/portal-admin/{PORTAL}/")
    waiting = editor.locator("#waiting-link")
    expect(waiting).to_have_text("Chờ tôi xử lý (1)")
    with editor.expect_navigation():
        waiting.click()
    row = editor.locator("tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("chờ biên tập duyệt")
    expect(row).to_contain_text(CONTRIBUTOR_NAME)
    with editor.expect_navigation():
        row.get_by_role("link", name=TITLE).click()
    expect(editor.locator("#article-status")).to_contain_text("chờ biên tập duyệt")
    expect(editor.locator("#approve")).to_have_text("Đăng bài")
    with editor.expect_navigation():
        editor.click("#approve")
    expect(editor.locator("main")).to_contain_text("Đã đăng: bạn đọc đã có thể xem bài.")
    expect(editor.locator("#article-status")).to_contain_text("đã đăng")
    expect(editor.locator("#history")).to_contain_text("đã đăng")
    article_office_url = editor.url

    # Publishing made every cached page of the portal stale.
    assert pagecache.generation(portal.pk) > generation
    assert pagecache.lookup(portal.pk, home_variant)[1] is None

    # --- a reader finds it on the home page, opens it, and is counted ---
    first = reader(browser, live_server)
    views_first = open_from_home(first)
    assert first.url.endswith(public_url)
    assert views_first >= 1

    counting.flush()  # what the flush thread does every PORTAL_COUNT_FLUSH_SECONDS
    article.refresh_from_db()
    assert article.view_count == views_first

    # --- a second reader, another browser: one view more ---
    second = reader(browser, live_server)
    views_second = open_from_home(second)
    assert views_second == views_first + 1
    second.screenshot(path=str(artifacts / "portal-article-read.png"), full_page=True)
    second.context.close()

    # The first reader reads it again after the counts are written: one more again.
    counting.flush()
    first.reload()
    expect(first.locator("article.story h1")).to_have_text(TITLE)
    views_again = views_shown(first)
    assert views_again == views_second + 1
    first.context.close()

    # --- written to the database: the editor sees the same figure in the office ---
    counting.flush()
    article.refresh_from_db()
    assert article.view_count == views_again
    editor.goto(article_office_url)
    views_dt = editor.locator("#metadata dt", has_text="Lượt xem")
    expect(views_dt.locator("xpath=following-sibling::dd[1]")).to_have_text(str(views_again))
    editor.context.close()


def test_an_article_with_pictures_weighs_under_300_kb_on_first_load(
    browser, live_server, portal_state, demo, settings
):  # type: ignore[no-untyped-def]
    """The Lào Cai seed article (a cover and figures with captions) on a first visit: the
    page (its style inline), scripts and pictures together stay under 300 KB, and every
    picture has its alternative text. Uploaded pictures are served by the reverse proxy in
    production; here the browser gets them from MEDIA_ROOT through a route."""
    from pathlib import Path

    from congdoan.portal.models import Article

    article = Article.objects.select_related("category").get(
        portal__slug=PORTAL, featured=True, body__contains="<figure>"
    )
    url = f"{HOME}{article.category.slug}/{article.slug}.html"
    media_root = Path(settings.MEDIA_ROOT)
    page = reader(browser, live_server)

    def from_media_root(route) -> None:  # type: ignore[no-untyped-def]
        name = route.request.url.split("/media/", 1)[1]
        route.fulfill(path=str(media_root / name))

    page.context.route("**/media/**", from_media_root)
    responses = []
    page.on("response", lambda response: responses.append(response))
    first = page.goto(url)
    assert first is not None and first.status == 200
    page.wait_for_load_state("networkidle")
    expect(page.locator("article.story h1")).to_have_text(article.title)

    # Pictures below the fold load lazily: read to the end, so that all of them count.
    pictures = page.locator("article.story img")
    assert pictures.count() >= 2  # the cover and at least one figure
    for n in range(pictures.count()):
        pictures.nth(n).scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    for n in range(pictures.count()):
        picture = pictures.nth(n)
        assert picture.get_attribute("alt"), "a picture without alternative text"
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")

    sizes = {r.url: len(r.body()) for r in responses if r.status == 200}
    kinds = {r.request.resource_type for r in responses if r.status == 200}
    assert {"document", "image"} <= kinds  # the style sheet is inline in the page
    total = sum(sizes.values())
    assert total < 300_000, f"{total:,} bytes: {sorted(sizes.items(), key=lambda i: -i[1])[:5]}"
    print(f"article page, first load: {total:,} bytes in {len(sizes)} responses")
    page.context.close()
