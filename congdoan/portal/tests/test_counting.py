"""Counting page views and visits: in memory, exact under concurrency, written in batches,
shown as today / this week / in all / online now, kept across a restart."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.portal import counting
from congdoan.portal.models import Article, Category, DailyVisits

pytestmark = pytest.mark.django_db


def article_of(portal, slug: str = "bai-viet") -> Article:
    category = Category.objects.get(portal=portal, slug="tin-tuc")
    return Article.objects.create(
        portal=portal,
        category=category,
        title="Công đoàn Lào Cai đẩy mạnh cải cách hành chính",
        slug=slug,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def test_thousands_of_views_from_many_threads_are_counted_exactly(lc_portal, ht_portal):
    first, second = article_of(lc_portal, "mot"), article_of(lc_portal, "hai")
    threads_n, views_n = 8, 1500
    start = threading.Barrier(threads_n)

    def reader(n: int) -> None:
        start.wait()
        for i in range(views_n):
            article = first if i % 3 else second
            counting.add(lc_portal.id, article.id, visitor=f"{n:02d}-{i % 25:02d}")
            if i % 10 == 0:
                counting.add(ht_portal.id, None, visitor=f"{n:02d}")

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with CaptureQueriesContext(connection) as queries:
        counting.flush()
    first.refresh_from_db()
    second.refresh_from_db()
    per_thread_second = len(range(0, views_n, 3))
    assert second.view_count == threads_n * per_thread_second
    assert first.view_count == threads_n * (views_n - per_thread_second)
    today = counting.today()
    # A visit is a visitor's first page in 30 minutes: 8 × 25 readers on Lào Cai, 8 on Hà Tĩnh.
    assert DailyVisits.objects.get(portal=lc_portal, day=today).visits == threads_n * 25
    assert DailyVisits.objects.get(portal=ht_portal, day=today).visits == threads_n
    # A batch: a handful of statements, not one per view.
    writes = [q for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) <= 3
    assert counting.flush() == 0  # nothing left


def test_views_show_at_once_and_survive_a_restart(lc_portal):
    article = article_of(lc_portal)
    Article.objects.filter(pk=article.pk).update(view_count=330)
    for _ in range(5):
        counting.add(lc_portal.id, article.id)
    assert counting.article_views(article.id, 330) == 335  # not written yet, shown already
    assert Article.objects.get(pk=article.pk).view_count == 330
    counting.flush()
    assert Article.objects.get(pk=article.pk).view_count == 335
    counting.reset()  # a new process
    assert counting.stats(lc_portal.id) == {"online": 0, "today": 5, "week": 5, "total": 5}


def test_visits_add_to_the_days_row_and_sum_into_today_week_and_total(lc_portal):
    today = counting.today()
    monday = today - dt.timedelta(days=today.weekday())
    DailyVisits.objects.create(portal=lc_portal, day=today, visits=427)
    if monday != today:
        DailyVisits.objects.create(portal=lc_portal, day=monday, visits=4192)
    DailyVisits.objects.create(portal=lc_portal, day=monday - dt.timedelta(days=1), visits=1000)
    week_before = 4192 if monday != today else 0
    for n in range(5):
        counting.add(lc_portal.id, visitor=f"reader-{n}")
    stats = counting.stats(lc_portal.id)
    assert stats["today"] == 432 and stats["online"] == 5
    assert stats["week"] == 432 + week_before
    assert stats["total"] == 1432 + week_before
    counting.flush()
    assert DailyVisits.objects.get(portal=lc_portal, day=today).visits == 432
    assert counting.stats(lc_portal.id) == stats


def test_the_day_is_vietnams(lc_portal):
    evening_utc = dt.datetime(2025, 3, 2, 18, 30, tzinfo=dt.UTC)  # 01:30 on 3 March in Hà Nội
    with mock.patch("django.utils.timezone.now", return_value=evening_utc):
        counting.add(lc_portal.id, visitor="a")
        counting.flush()
    assert DailyVisits.objects.get(portal=lc_portal).day == dt.date(2025, 3, 3)


def test_a_visit_is_the_first_page_in_thirty_minutes_and_online_is_five():
    online = counting._MemoryOnline()
    now = 1_000_000.0
    assert online.touch(1, "a", now) is True
    assert online.touch(1, "a", now + 60) is False  # same visit
    assert online.touch(1, "b", now + 60) is True
    assert online.touch(2, "a", now + 60) is True  # another portal
    assert online.online(1, now + 61) == 2
    assert online.online(1, now + 400) == 0  # nobody in the last 5 minutes
    assert online.touch(1, "a", now + 60 + 31 * 60) is True  # a new visit after 30 minutes


class FakeRedis:
    """The few sorted-set commands the online count uses."""

    def __init__(self) -> None:
        self.sets: dict[str, dict[str, float]] = {}

    def pipeline(self) -> FakeRedis.Pipeline:
        return FakeRedis.Pipeline(self)

    def zcount(self, key: str, low: float, high: str) -> int:
        return sum(1 for score in self.sets.get(key, {}).values() if score >= low)

    class Pipeline:
        def __init__(self, redis: FakeRedis) -> None:
            self.redis, self.calls = redis, []

        def __getattr__(self, name: str):
            return lambda *args: self.calls.append((name, args))

        def execute(self) -> list:
            results = []
            for name, args in self.calls:
                members = self.redis.sets.setdefault(args[0], {})
                if name == "zscore":
                    results.append(members.get(args[1]))
                elif name == "zadd":
                    members.update(args[1])
                    results.append(1)
                elif name == "zremrangebyscore":
                    for member in [m for m, s in members.items() if args[1] <= s <= args[2]]:
                        del members[member]
                    results.append(0)
                else:
                    results.append(True)
            return results


def test_online_and_visits_in_redis_are_shared_by_processes():
    redis = FakeRedis()
    one, two = counting._RedisOnline(redis), counting._RedisOnline(redis)  # two web processes
    now = time.time()
    assert one.touch(7, "a", now) is True
    assert two.touch(7, "a", now + 5) is False  # the other process saw this visitor
    assert two.touch(7, "b", now + 5) is True
    assert one.online(7, now + 6) == 2


def test_redis_down_falls_back_to_memory():
    class Down:
        def pipeline(self):
            raise ConnectionError("refused")

        def zcount(self, *args):
            raise ConnectionError("refused")

    online = counting._RedisOnline(Down())
    assert online.touch(1, "a", 100.0) is True
    assert online.online(1, 101.0) == 1


def test_a_failed_write_keeps_the_counts_for_the_next_flush(lc_portal):
    article = article_of(lc_portal)
    counting.add(lc_portal.id, article.id, visitor="a")
    with (
        mock.patch.object(counting, "_write_visits", side_effect=RuntimeError("db down")),
        pytest.raises(RuntimeError),
    ):
        counting.flush()
    assert counting.article_views(article.id) == 1
    counting.flush()
    article.refresh_from_db()
    assert article.view_count == 1
    assert DailyVisits.objects.get(portal=lc_portal).visits == 1


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; YandexBot/3.0)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; Yahoo! Slurp)",
        "Zalo link preview",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0)",
        "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0",
    ],
)
def test_robots_are_recognised(agent):
    assert counting.is_bot(agent)


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Zalo iOS/471",
        "Mozilla/5.0 (Linux; Android 13) Chrome/124.0 Mobile Safari/537.36 coc_coc_browser/130",
    ],
)
def test_readers_are_not_robots(agent):
    assert not counting.is_bot(agent)


@pytest.fixture
def _seeded_kinds(transactional_db):  # type: ignore[no-untyped-def]
    """A transactional test before this one may have flushed the unit kinds that a data
    migration seeds: seed them again (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    import_module("congdoan.org.migrations.0002_seed_kinds").seed(apps, None)


@pytest.mark.django_db(transaction=True)
def test_the_flush_thread_writes_every_few_seconds(_seeded_kinds, tree, settings):
    from congdoan.portal.tests.conftest import make_portal

    portal = make_portal(tree.lc, "laocai")
    article = article_of(portal)
    settings.PORTAL_COUNT_FLUSH_SECONDS = 0.05
    counting.reset()
    counting.add(portal.id, article.id, visitor="a")
    deadline = time.monotonic() + 5
    while Article.objects.get(pk=article.pk).view_count == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert Article.objects.get(pk=article.pk).view_count == 1
    assert DailyVisits.objects.get(portal=portal).visits == 1
    counting.reset()
