"""What a reader of a portal sees: the home page, categories, articles with their share tags,
topics, search, public documents, feeds, the sitemap and robots.txt; routing by host and by
``/p/<slug>/``; internal pages; the page cache and what it costs the database."""

from __future__ import annotations

import datetime as dt
import io

import defusedxml.ElementTree as ET
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image as PILImage

from congdoan.conftest import make_user
from congdoan.portal import counting, services
from congdoan.portal.models import Article, Category
from congdoan.portal.public import render_article
from congdoan.portal.tests.conftest import make_portal

pytestmark = pytest.mark.django_db

SEED_TITLE = "Công đoàn Lào Cai đẩy mạnh cải cách hành chính"
HOST = "congdoan.laocai.test"


def picture(colour: str = "#a50e13", size: tuple[int, int] = (1200, 800)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


def publish(portal, title: str, *, category: Category | None = None, **data) -> Article:
    category = category or Category.objects.get(portal=portal, slug="tin-tuc")
    values = {"title": title, "category": category, "body": "<p>Nội dung bài viết.</p>"}
    values.update(data)
    article = services.create_article(None, portal, values)
    return services.approve(None, article)


def html(response) -> str:
    return response.content.decode()


# --- routing --------------------------------------------------------------------------------


def test_home_by_path_prefix_shows_latest_news_and_the_statistics(client, lc_portal):
    first = publish(lc_portal, "Hội nghị Ban Chấp hành LĐLĐ tỉnh lần thứ hai")
    second = publish(lc_portal, SEED_TITLE, summary="Hướng đến mục tiêu xây dựng chính quyền")
    response = client.get("/p/laocai/")
    page = html(response)
    assert response.status_code == 200
    assert first.title in page and second.title in page
    assert page.index(second.title) < page.index(first.title)  # newest first
    assert page.count("<h1") == 1 and lc_portal.name in page
    assert 'type="application/rss+xml"' in page and 'href="/p/laocai/rss/"' in page
    assert f'href="/p/laocai/tin-tuc/{second.slug}.html"' in page
    assert "<!--cd:" not in page  # every live figure filled in
    assert 'href="/p/laocai/van-ban/"' in page  # an online service that exists
    assert 'href="#"' not in page


def test_portal_host_serves_the_portal_at_the_root_and_keeps_the_site(client, settings, tree):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "other.test"]
    portal = make_portal(tree.lc, "laocai", host=HOST)
    article = publish(portal, SEED_TITLE)
    home = client.get("/", HTTP_HOST=HOST)
    assert home.status_code == 200 and SEED_TITLE in html(home)
    assert f'href="/tin-tuc/{article.slug}.html"' in html(home)
    page = client.get(f"/tin-tuc/{article.slug}.html", HTTP_HOST=HOST)
    assert page.status_code == 200
    assert f'<link rel="canonical" href="http://{HOST}/tin-tuc/{article.slug}.html">' in html(page)
    assert client.get("/accounts/login/", HTTP_HOST=HOST).status_code == 200
    # The same portal by its address name; the canonical address stays the portal's host.
    by_path = client.get(f"/p/laocai/tin-tuc/{article.slug}.html")
    assert by_path.status_code == 200
    assert f'href="http://{HOST}/tin-tuc/{article.slug}.html"' in html(by_path)
    # Another host is not a portal.
    assert SEED_TITLE not in html(client.get("/", HTTP_HOST="other.test", follow=True))


def test_closed_or_unknown_portal_is_404(client, lc_portal):
    assert client.get("/p/khong-co/").status_code == 404
    lc_portal.is_active = False
    lc_portal.save()
    assert client.get("/p/laocai/").status_code == 404


# --- the article page -----------------------------------------------------------------------


def test_article_page_has_share_tags_breadcrumbs_topics_and_views(client, lc_portal):
    parent = services.create_category(
        None, lc_portal, {"name": "Hoạt động công đoàn", "slug": "hoat-dong"}
    )
    child = services.create_category(
        None, lc_portal, {"name": "Cải cách hành chính", "slug": "cai-cach", "parent": parent}
    )
    cover = services.upload_image(
        None,
        lc_portal,
        picture(),
        alt_text="Hội nghị trực tuyến của LĐLĐ tỉnh",
        caption="LĐLĐ tỉnh tăng cường tổ chức các hội nghị theo hình thức trực tuyến",
        credit="Lan Hương",
    )
    article = publish(
        lc_portal,
        SEED_TITLE,
        category=child,
        summary="Hướng đến mục tiêu xây dựng chính quyền phục vụ.",
        cover=cover,
        tags="cải cách hành chính, chuyển đổi số",
        byline="Lan Hương",
        source="Báo Lào Cai",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    Article.objects.filter(pk=article.pk).update(view_count=330)
    other = publish(lc_portal, "Chuyển đổi số trong hoạt động công đoàn", tags="chuyển đổi số")
    url = f"/p/laocai/cai-cach/{article.slug}.html"
    response = client.get(url, HTTP_USER_AGENT="Mozilla/5.0")
    page = html(response)
    canonical = f"http://testserver{url}"
    assert response.status_code == 200
    assert page.count("<h1") == 1 and f"<h1>{SEED_TITLE}</h1>" in page
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:title" content="{SEED_TITLE}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert f'<meta property="og:image" content="http://testserver{cover.share.url}">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'href="/p/laocai/cai-cach/rss/"' in page and 'href="/p/laocai/rss/"' in page
    # Breadcrumbs from the category tree, the picture with its words, byline and topics.
    assert 'href="/p/laocai/hoat-dong/">Hoạt động công đoàn</a>' in page
    assert f'src="{cover.page.url}" alt="Hội nghị trực tuyến của LĐLĐ tỉnh"' in page
    assert "theo hình thức trực tuyến" in page and "Lan Hương – Báo Lào Cai" in page
    assert 'href="/p/laocai/chu-de/cai-cach-hanh-chinh/" rel="tag">cải cách hành chính' in page
    # Share links without third-party scripts; the video only from youtube-nocookie on click.
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver" in page
    assert "https://sp.zalo.me/share_to_zalo?url=http%3A%2F%2Ftestserver" in page
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in page and 'src="https://www.you' not in page
    assert "<script src" not in page
    # "Đọc thêm": the article sharing a topic; the view count includes this reader.
    assert f'href="/p/laocai/tin-tuc/{other.slug}.html"' in page
    assert "331" in page
    # Light: the HTML is far under the 300 KB budget, with the cover picture too.
    assert len(response.content) + cover.page.size < 300_000


def test_moved_article_redirects_to_its_address(client, lc_portal):
    article = publish(lc_portal, SEED_TITLE)
    response = client.get(f"/p/laocai/chuyen-muc-cu/{article.slug}.html")
    assert response.status_code == 301
    assert response["Location"] == f"/p/laocai/tin-tuc/{article.slug}.html"


def test_print_view_is_not_indexed_and_has_no_menu(client, lc_portal):
    article = publish(lc_portal, SEED_TITLE)
    page = html(client.get(f"/p/laocai/tin-tuc/{article.slug}.html?print=1"))
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="print"' in page and "window.print()" in page


def test_drafts_scheduled_expired_and_unpublished_articles_are_404(client, lc_portal):
    tin_tuc = Category.objects.get(portal=lc_portal, slug="tin-tuc")
    draft = services.create_article(None, lc_portal, {"title": "Bản nháp", "category": tin_tuc})
    submitted = services.submit(
        None, services.create_article(None, lc_portal, {"title": "Chờ duyệt", "category": tin_tuc})
    )
    later = timezone.now() + dt.timedelta(days=2)
    scheduled = publish(lc_portal, "Sắp đăng", publish_at=later)
    expired = publish(lc_portal, "Hết hạn")
    Article.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - dt.timedelta(hours=1))
    withdrawn = services.unpublish(None, publish(lc_portal, "Đã gỡ"))
    live = publish(lc_portal, "Đang hiển thị")
    for article in (draft, submitted, scheduled, expired, withdrawn):
        assert client.get(f"/p/laocai/tin-tuc/{article.slug}.html").status_code == 404
    home = html(client.get("/p/laocai/"))
    assert live.title in home
    for article in (draft, submitted, scheduled, expired, withdrawn):
        assert article.title not in home


def test_internal_pages_exist_only_for_the_federations_people(client, tree, users, lc_portal):
    internal = services.create_category(
        None, lc_portal, {"name": "Thông tin nội bộ", "slug": "noi-bo", "internal": True}
    )
    below = services.create_category(
        None, lc_portal, {"name": "Họp giao ban", "slug": "giao-ban", "parent": internal}
    )
    memo = publish(lc_portal, "Lịch họp giao ban tháng 5", category=below)
    secret_in_public = publish(lc_portal, "Thông báo nội bộ về nhân sự", internal=True)
    urls = ["/p/laocai/noi-bo/", f"/p/laocai/giao-ban/{memo.slug}.html"]
    urls.append(f"/p/laocai/tin-tuc/{secret_in_public.slug}.html")
    for url in urls:
        assert client.get(url).status_code == 404
    home = html(client.get("/p/laocai/"))
    assert "Thông tin nội bộ" not in home and memo.title not in home
    assert memo.title not in html(client.get("/p/laocai/tim-kiem/?q=giao+ban"))
    # Staff of another federation: still 404.
    client.force_login(users.ht_clerk)
    assert client.get(urls[0]).status_code == 404
    # The federation's own staff read them, never from or into the public cache.
    client.force_login(users.lc_specialist)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
    assert "Thông tin nội bộ" in html(client.get("/p/laocai/"))
    client.logout()
    client.cookies.clear()
    assert client.get(urls[1]).status_code == 404
    assert "Thông tin nội bộ" not in html(client.get("/p/laocai/"))


# --- lists, topics, search ------------------------------------------------------------------


def test_category_lists_its_sub_categories_articles_page_by_page(client, lc_portal):
    parent = services.create_category(None, lc_portal, {"name": "Hoạt động", "slug": "hoat-dong"})
    child = services.create_category(
        None, lc_portal, {"name": "Nữ công", "slug": "nu-cong", "parent": parent}
    )
    for n in range(23):
        publish(lc_portal, f"Tin nữ công số {n + 1}", category=child)
    first = html(client.get("/p/laocai/hoat-dong/")).split("<aside")[0]
    assert "<h1>Hoạt động</h1>" in first and 'href="/p/laocai/nu-cong/"' in first
    assert "Tin nữ công số 23" in first and "Tin nữ công số 3<" not in first
    assert 'href="/p/laocai/hoat-dong/?page=2" rel="next"' in first
    second = html(client.get("/p/laocai/hoat-dong/?page=2")).split("<aside")[0]
    assert "Tin nữ công số 3<" in second and "Tin nữ công số 23" not in second


def test_topic_page_lists_its_articles(client, lc_portal):
    tagged = publish(lc_portal, SEED_TITLE, tags="cải cách hành chính")
    untagged = publish(lc_portal, "Giải bóng đá công nhân viên chức")
    page = html(client.get("/p/laocai/chu-de/cai-cach-hanh-chinh/"))
    assert tagged.title in page and untagged.title not in page.split("<aside")[0]
    assert client.get("/p/laocai/chu-de/khong-co/").status_code == 404


@pytest.mark.parametrize("q", ["cải cách hành chính", "cai cach hanh chinh", "CẢI CÁCH", "lao cai"])
def test_search_with_or_without_diacritics(client, lc_portal, q):
    found = publish(lc_portal, SEED_TITLE)
    other = publish(lc_portal, "Giải bóng đá công nhân viên chức")
    page = html(client.get("/p/laocai/tim-kiem/", {"q": q}))
    results = page.split("<aside")[0]
    assert found.title in results and other.title not in results
    assert '<meta name="robots" content="noindex">' in page


def test_search_for_nothing_found_says_so_and_shows_the_query(client, lc_portal):
    publish(lc_portal, SEED_TITLE)
    page = html(client.get("/p/laocai/tim-kiem/", {"q": "<b>xyz</b>"}))
    assert "&lt;b&gt;xyz&lt;/b&gt;" in page and "<b>xyz</b>" not in page
    assert SEED_TITLE not in page.split("<aside")[0]


# --- public documents -----------------------------------------------------------------------


def _document(unit, public: bool, subject: str):
    from congdoan.documents import services as documents

    document = documents.create_outgoing(
        None,
        unit,
        {
            "doc_type": "KH",
            "subject": subject,
            "recipient_spec": [{"unit": unit.code, "mode": "grassroots"}],
            "signer_name": "Nguyễn Hữu Long",
            "signer_position": "CHỦ TỊCH",
            "public": public,
        },
    )
    documents.add_attachments(
        None, document, [documents.Upload(name="ke-hoach.pdf", data=b"%PDF-1.4\n%%EOF\n")]
    )
    documents.submit_for_signature(None, document)
    documents.sign(None, document)
    return documents.issue(None, document).document


def test_public_documents_are_listed_searched_and_downloaded(client, tree, lc_portal):
    shown = _document(tree.lc, True, "Kế hoạch tổ chức Tháng Công nhân năm 2026")
    hidden = _document(tree.lc, False, "Kế hoạch kiểm tra tài chính công đoàn")
    page = html(client.get("/p/laocai/van-ban/"))
    assert shown.subject in page and hidden.subject not in page
    assert shown.subject in html(client.get("/p/laocai/"))  # "Văn bản mới"
    found = html(client.get("/p/laocai/van-ban/", {"q": "thang cong nhan"}))
    assert shown.subject in found.split("<aside")[0]
    detail = html(client.get(f"/p/laocai/van-ban/{shown.pk}/"))
    file = shown.attachments.get()
    assert f'href="/p/laocai/van-ban/tep/{file.pk}/"' in detail
    download = client.get(f"/p/laocai/van-ban/tep/{file.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(f"/p/laocai/van-ban/{hidden.pk}/").status_code == 404
    assert client.get(f"/p/laocai/van-ban/tep/{hidden.attachments.get().pk}/").status_code == 404
    # Another federation's portal does not serve Lào Cai's documents.
    make_portal(tree.ht, "hatinh")
    assert client.get(f"/p/hatinh/van-ban/tep/{file.pk}/").status_code == 404


# --- feeds, sitemap, robots -----------------------------------------------------------------


def test_rss_is_valid_xml_with_the_published_articles(client, lc_portal):
    other = services.create_category(None, lc_portal, {"name": "Chính sách", "slug": "chinh-sach"})
    news = publish(lc_portal, SEED_TITLE, summary="Hướng đến mục tiêu xây dựng chính quyền")
    policy = publish(lc_portal, "Chính sách mới về tiền lương", category=other)
    services.create_article(None, lc_portal, {"title": "Bản nháp", "category": other})
    response = client.get("/p/laocai/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert channel.findtext("title") == lc_portal.name
    assert [i.findtext("title") for i in items] == [policy.title, news.title]
    assert items[1].findtext("link") == f"http://testserver/p/laocai/tin-tuc/{news.slug}.html"
    assert items[1].findtext("description") == news.summary
    category = ET.fromstring(client.get("/p/laocai/chinh-sach/rss/").content)
    assert [i.findtext("title") for i in category.iter("item")] == [policy.title]
    assert client.get("/p/laocai/khong-co/rss/").status_code == 404


def test_sitemap_lists_published_articles_and_robots_points_to_it(client, lc_portal):
    live = publish(lc_portal, SEED_TITLE)
    draft = services.create_article(
        None, lc_portal, {"title": "Bản nháp", "category": lc_portal.categories.get()}
    )
    hidden = publish(lc_portal, "Nội bộ", internal=True)
    response = client.get("/p/laocai/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [e.text for e in ET.fromstring(response.content).findall("s:url/s:loc", ns)]
    assert f"http://testserver/p/laocai/tin-tuc/{live.slug}.html" in locations
    assert "http://testserver/p/laocai/" in locations
    assert not any(draft.slug in u or hidden.slug in u for u in locations)
    robots = client.get("/p/laocai/robots.txt")
    text = robots.content.decode()
    assert robots["Content-Type"].startswith("text/plain")
    assert "User-agent: *\nAllow: /\n" in text and "Disallow: /p/laocai/tim-kiem/" in text
    assert "Sitemap: http://testserver/p/laocai/sitemap.xml" in text


# --- the page cache -------------------------------------------------------------------------


def test_second_anonymous_request_asks_the_database_nothing_and_still_counts(
    client, lc_portal, django_assert_num_queries
):
    article = publish(lc_portal, SEED_TITLE)
    url = f"/p/laocai/tin-tuc/{article.slug}.html"
    first = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
    assert first.status_code == 200
    client.get("/p/laocai/", HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
    with django_assert_num_queries(0):
        second = client.get(url, HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
        home = client.get("/p/laocai/", HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0)")
        home_again = client.get("/p/laocai/?utm_source=zalo", HTTP_USER_AGENT="Mozilla/5.0")
    assert second.status_code == 200 and SEED_TITLE in html(second)
    assert home.status_code == home_again.status_code == 200
    counting.flush()
    article.refresh_from_db()
    assert article.view_count == 2
    # The figure on the cached page follows the counter.
    with django_assert_num_queries(0):
        third = client.get(url, HTTP_USER_AGENT="Mozilla/5.0")
    assert ": 3</p>" in html(third)


def test_publishing_shows_the_new_article_at_once(
    client, lc_portal, django_capture_on_commit_callbacks
):
    publish(lc_portal, "Tin cũ")
    assert "Tin mới nhất trong ngày" not in html(client.get("/p/laocai/"))
    with django_capture_on_commit_callbacks(execute=True):
        publish(lc_portal, "Tin mới nhất trong ngày")
    assert "Tin mới nhất trong ngày" in html(client.get("/p/laocai/"))


def test_pages_are_kept_only_until_a_scheduled_article_is_due(client, lc_portal):
    from congdoan.portal.serving import Live, _timeout

    publish(lc_portal, "Tin hẹn giờ", publish_at=timezone.now() + dt.timedelta(seconds=30))
    assert "Tin hẹn giờ" not in html(client.get("/p/laocai/"))
    assert 25 <= _timeout(Live(lc_portal.id), None) <= 31
    assert _timeout(Live(lc_portal.id), 10) == 10


def test_signed_in_readers_are_never_served_from_the_cache(client, users, lc_portal):
    publish(lc_portal, SEED_TITLE)
    client.get("/p/laocai/")  # cached for anonymous readers
    client.force_login(users.nobody)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/p/laocai/")
    assert response.status_code == 200 and len(queries) > 0
    assert response["Cache-Control"] == "no-cache"


def test_bots_and_head_requests_are_not_counted(client, lc_portal):
    article = publish(lc_portal, SEED_TITLE)
    url = f"/p/laocai/tin-tuc/{article.slug}.html"
    for agent in (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "Zalo link preview",
        "",
    ):
        assert client.get(url, HTTP_USER_AGENT=agent).status_code == 200
    assert client.head(url, HTTP_USER_AGENT="Mozilla/5.0").status_code == 200
    counting.flush()
    article.refresh_from_db()
    assert article.view_count == 0
    assert counting.stats(lc_portal.id)["today"] == 0


def test_a_reader_gets_a_visitor_cookie_and_one_visit(client, lc_portal):
    article = publish(lc_portal, SEED_TITLE)
    first = client.get("/p/laocai/", HTTP_USER_AGENT="Mozilla/5.0")
    assert first.cookies[counting.COOKIE]["httponly"]
    client.get(f"/p/laocai/tin-tuc/{article.slug}.html", HTTP_USER_AGENT="Mozilla/5.0")
    client.get("/p/laocai/tim-kiem/?q=lao+cai", HTTP_USER_AGENT="Mozilla/5.0")
    counting.flush()
    assert counting.stats(lc_portal.id) == {"online": 1, "today": 1, "week": 1, "total": 1}


# --- the editors' preview -------------------------------------------------------------------


def test_preview_shows_a_draft_as_readers_will_without_counting_or_caching(tree, lc_portal):
    editor = make_user("editor")
    draft = services.create_article(
        None,
        lc_portal,
        {"title": "Bản nháp chờ duyệt", "category": lc_portal.categories.get(), "body": "<p>A</p>"},
    )
    request = RequestFactory().get("/portal-admin/preview/")
    request.user = editor
    response = render_article(request, lc_portal, draft, preview=True)
    page = html(response)
    assert response.status_code == 200 and "<h1>Bản nháp chờ duyệt</h1>" in page
    assert response["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex">' in page and "<!--cd:" not in page
    assert 'href="/p/laocai/"' in page
    counting.flush()
    draft.refresh_from_db()
    assert draft.view_count == 0


def test_the_first_middleware_serves_a_hit_with_the_stacks_bytes_and_counts_it(
    client, monkeypatch, lc_portal
):
    from django.conf import settings

    from congdoan.portal import serving

    assert settings.MIDDLEWARE[0] == "congdoan.portal.middleware.PortalPageCacheMiddleware"
    served = []
    fast = serving.serve_cached

    def spy(request):
        response = fast(request)
        served.append(response is not None)
        return response

    monkeypatch.setattr(serving, "serve_cached", spy)
    article = publish(lc_portal, SEED_TITLE)
    url = f"/p/laocai/tin-tuc/{article.slug}.html"
    bot = "Mozilla/5.0 (compatible; Googlebot/2.1)"  # not counted: the figures stay the same
    assert client.get(url, HTTP_USER_AGENT=bot).status_code == 200  # rendered and stored
    monkeypatch.setattr(serving, "serve_cached", lambda request: None)
    full = client.get(url, HTTP_USER_AGENT=bot)  # a hit down the whole stack
    monkeypatch.setattr(serving, "serve_cached", spy)
    with CaptureQueriesContext(connection) as queries:
        quick = client.get(url, HTTP_USER_AGENT=bot)
    assert served == [False, True] and len(queries) == 0
    assert quick.content == full.content and SEED_TITLE in html(quick)
    assert dict(quick.headers) == dict(full.headers)
    assert quick["Content-Length"] == str(len(quick.content))

    client.cookies.clear()
    for _ in range(3):
        assert client.get(url, HTTP_USER_AGENT="Mozilla/5.0").status_code == 200
    assert served[-3:] == [True, True, True]
    counting.flush()
    article.refresh_from_db()
    assert article.view_count == 3
    assert counting.stats(lc_portal.id)["today"] == 1  # one reader, one visit (the cookie)


def test_the_first_middleware_never_serves_the_cache_to_signed_in_readers(
    client, monkeypatch, users, lc_portal
):
    from congdoan.portal import serving

    calls = []
    monkeypatch.setattr(serving, "serve_cached", lambda r: calls.append(r) or None)
    publish(lc_portal, SEED_TITLE)
    client.get("/p/laocai/")
    client.get("/p/laocai/")  # cached and complete for anonymous readers
    assert len(calls) == 2
    monkeypatch.undo()
    client.force_login(users.nobody)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/p/laocai/")
    assert response.status_code == 200 and len(queries) > 0
    assert response["Cache-Control"] == "no-cache"
    assert "Content-Language" in response and response.wsgi_request.user.is_authenticated
