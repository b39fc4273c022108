"""``/api/v1/portal``: the visitor figures and the public articles, open to anyone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from congdoan.portal import counting, services
from congdoan.portal.models import Category, DailyVisits

pytestmark = pytest.mark.django_db


def publish(portal, title: str, category: Category | None = None, **data):
    category = category or Category.objects.get(portal=portal, slug="tin-tuc")
    article = services.create_article(
        None, portal, {"title": title, "category": category, "body": "<p>Nội dung.</p>", **data}
    )
    return services.approve(None, article)


def test_stats_give_online_today_week_and_total_without_signing_in(client, lc_portal):
    DailyVisits.objects.create(portal=lc_portal, day=counting.today(), visits=431)
    counting.add(lc_portal.id, visitor="reader")
    response = client.get("/api/v1/portal/stats", {"site": "laocai"})
    assert response.status_code == 200
    assert response.json() == {"online": 1, "today": 432, "week": 432, "total": 432}
    assert client.get("/api/v1/portal/stats", {"site": "khong-co"}).status_code == 404


def test_articles_are_only_published_public_ones_with_their_public_address(client, lc_portal):
    live = publish(lc_portal, "Công đoàn Lào Cai đẩy mạnh cải cách hành chính", tags="cải cách")
    publish(lc_portal, "Thông báo nội bộ", internal=True)
    publish(lc_portal, "Sắp đăng", publish_at=timezone.now() + timezone.timedelta(days=1))
    services.create_article(
        None, lc_portal, {"title": "Bản nháp", "category": lc_portal.categories.get()}
    )
    body = client.get("/api/v1/portal/articles", {"site": "laocai"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["title"] == live.title and item["site"] == "laocai"
    assert item["url"] == f"http://testserver/p/laocai/tin-tuc/{live.slug}.html"
    assert item["tags"] == ["cải cách"] and item["category_slug"] == "tin-tuc"
    assert client.get(item["url"]).status_code == 200


@pytest.mark.parametrize("q", ["cải cách", "cai cach", "CAI CÁCH"])
def test_articles_search_with_or_without_diacritics(client, lc_portal, ht_portal, q):
    found = publish(lc_portal, "Công đoàn Lào Cai đẩy mạnh cải cách hành chính")
    publish(lc_portal, "Giải bóng đá công nhân")
    other = publish(ht_portal, "Cải cách hành chính ở Công đoàn Viên chức Hà Tĩnh")
    titles = [i["title"] for i in client.get("/api/v1/portal/articles", {"q": q}).json()["items"]]
    assert sorted(titles) == sorted([found.title, other.title])
    one_site = client.get("/api/v1/portal/articles", {"q": q, "site": "hatinh"}).json()
    assert [i["title"] for i in one_site["items"]] == [other.title]


def test_articles_of_a_category_include_its_sub_categories(client, lc_portal):
    parent = services.create_category(None, lc_portal, {"name": "Hoạt động", "slug": "hoat-dong"})
    child = services.create_category(
        None, lc_portal, {"name": "Nữ công", "slug": "nu-cong", "parent": parent}
    )
    inside = publish(lc_portal, "Hội thi nữ công", category=child)
    publish(lc_portal, "Tin khác")
    body = client.get("/api/v1/portal/articles", {"site": "laocai", "category": "hoat-dong"}).json()
    assert [i["title"] for i in body["items"]] == [inside.title]
    missing = client.get("/api/v1/portal/articles", {"site": "laocai", "category": "khong-co"})
    assert missing.status_code == 404


def test_articles_are_paginated(client, lc_portal):
    for n in range(25):
        publish(lc_portal, f"Tin số {n}")
    first = client.get("/api/v1/portal/articles", {"site": "laocai"}).json()
    second = client.get("/api/v1/portal/articles", {"site": "laocai", "page": 2}).json()
    assert first["count"] == 25 and len(first["items"]) == 20 and len(second["items"]) == 5
