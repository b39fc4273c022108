"""Page views and visits, counted in memory and written to the database in batches.

Each web process adds views (per article) and visits (per portal and day, in Asia/Ho_Chi_Minh)
to counters under one lock; a daemon thread writes them every ``PORTAL_COUNT_FLUSH_SECONDS``
(2 s by default; 0 turns the thread off, as in the tests) and once more at process exit:
one ``UPDATE ... SET view_count = view_count + CASE ...`` for all articles seen, and one
``INSERT ... ON CONFLICT DO UPDATE SET visits = visits + excluded.visits`` per portal and day.
``flush()`` does the same on demand (tests, commands). Never one write per page view.

* A **visit** is a page view by a visitor not seen on that portal in the last 30 minutes.
  A visitor is a first-party cookie (``cdv``: a random-looking id, set on the first page),
  else the hash of address and browser. Obvious robots (a user agent naming a bot, crawler,
  spider, link preview, or none at all) and HEAD requests are not counted.
* **Online now**: distinct visitors seen in the last 5 minutes: a Redis sorted set per portal
  when ``REDIS_URL`` is set (shared by every process), else this process's memory.
* **Figures** shown to readers: the database's sums (kept in a snapshot, refreshed by the
  flush thread, so a cached page asks no query) plus what this process has not written yet.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import ipaddress
import logging
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONLINE_SECONDS = 300
VISIT_GAP_SECONDS = 1800
SNAPSHOT_SECONDS = 10.0  # the flush thread refreshes the database sums this often
STALE_SECONDS = 60.0  # without the thread, a page refreshes sums older than this
COOKIE = "cdv"
COOKIE_AGE = 365 * 24 * 3600
_VISITOR = re.compile(r"[0-9a-f]{20}")
_BOT = re.compile(
    r"bot|crawl|spider|slurp|scrap|facebookexternalhit|facebookcatalog|preview|"
    r"zalo.?link|mediapartners|headless|lighthouse|pingdom|uptime|monitor|validator|"
    r"feedfetcher|python-urllib|go-http-client|okhttp",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """An obvious robot: no user agent, or one naming a bot, crawler, spider or link preview."""
    return not user_agent.strip() or bool(_BOT.search(user_agent))


def today() -> dt.date:
    return timezone.localdate(timezone=TZ)


def _client_address(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        try:
            behind_proxy = ipaddress.ip_address(address).is_private
        except ValueError:
            behind_proxy = False
        if behind_proxy:  # our own reverse proxy: the reader is the first address it names
            address = forwarded.split(",", 1)[0].strip()
    return address


def visitor_of(request: HttpRequest) -> tuple[str, bool]:
    """(visitor id, whether the cookie must be set)."""
    value = request.COOKIES.get(COOKIE, "")
    if _VISITOR.fullmatch(value):
        return value, False
    raw = f"{_client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20], True


# --- who is online --------------------------------------------------------------------------


class _MemoryOnline:
    """Visitors' last page per portal, in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[int, dict[str, float]] = defaultdict(dict)
        self.pruned: dict[int, float] = {}
        self.figures: dict[int, tuple[float, int]] = {}

    def touch(self, portal_id: int, visitor: str, now: float) -> bool:
        """Note the visitor; True when this starts a new visit."""
        with self.lock:
            seen = self.seen[portal_id]
            last = seen.get(visitor)
            seen[visitor] = now
            if now - self.pruned.get(portal_id, 0.0) > 60:
                self.pruned[portal_id] = now
                for key in [k for k, t in seen.items() if now - t > VISIT_GAP_SECONDS]:
                    del seen[key]
        return last is None or now - last > VISIT_GAP_SECONDS

    def online(self, portal_id: int, now: float) -> int:
        cached = self.figures.get(portal_id)
        if cached and now - cached[0] < 2:
            return cached[1]
        with self.lock:
            since = now - ONLINE_SECONDS
            figure = sum(1 for t in self.seen.get(portal_id, {}).values() if t >= since)
        self.figures[portal_id] = (now, figure)
        return figure


class _RedisOnline:
    """Visitors' last page per portal in a Redis sorted set (member: visitor, score: time),
    shared by every process. A visitor seen by this process in the last minute is not written
    again; the figure is read at most every 2 seconds."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.lock = threading.Lock()
        self.recent: dict[tuple[int, str], float] = {}
        self.figures: dict[int, tuple[float, int]] = {}
        self.memory = _MemoryOnline()  # when Redis does not answer
        self.failed_at = 0.0

    @staticmethod
    def key(portal_id: int) -> str:
        return f"portal:{portal_id}:online"

    def _down(self, exc: Exception) -> None:
        if time.monotonic() - self.failed_at > 60:
            log.warning("Redis unavailable for the online count: %s", exc)
        self.failed_at = time.monotonic()

    def touch(self, portal_id: int, visitor: str, now: float) -> bool:
        with self.lock:
            last_here = self.recent.get((portal_id, visitor))
            if last_here is not None and now - last_here < 60:
                return False
            self.recent[(portal_id, visitor)] = now
            if len(self.recent) > 100_000:
                self.recent = {k: t for k, t in self.recent.items() if now - t < 60}
        key = self.key(portal_id)
        try:
            pipe = self.client.pipeline()
            pipe.zscore(key, visitor)
            pipe.zadd(key, {visitor: now})
            pipe.zremrangebyscore(key, 0, now - VISIT_GAP_SECONDS)
            pipe.expire(key, VISIT_GAP_SECONDS * 2)
            previous = pipe.execute()[0]
        except Exception as exc:  # Redis down: count in memory rather than fail the page
            self._down(exc)
            return self.memory.touch(portal_id, visitor, now)
        return previous is None or now - float(previous) > VISIT_GAP_SECONDS

    def online(self, portal_id: int, now: float) -> int:
        cached = self.figures.get(portal_id)
        if cached and now - cached[0] < 2:
            return cached[1]
        try:
            figure = int(self.client.zcount(self.key(portal_id), now - ONLINE_SECONDS, "+inf"))
        except Exception as exc:
            self._down(exc)
            figure = self.memory.online(portal_id, now)
        self.figures[portal_id] = (now, figure)
        return figure


def _online_backend() -> _MemoryOnline | _RedisOnline:
    url = getattr(settings, "REDIS_URL", "")
    if url:
        import redis

        return _RedisOnline(redis.Redis.from_url(url, socket_timeout=0.5))
    return _MemoryOnline()


# --- the counters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The database's visit sums for one portal, as last read."""

    day: dt.date
    today: int
    week: int
    total: int
    read_at: float


def _add(target: dict, source: dict) -> None:
    for key, value in source.items():
        target[key] = target.get(key, 0) + value


class Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        self.views: dict[int, int] = {}
        self.visits: dict[tuple[int, dt.date], int] = {}
        # Taken by a flush that is writing them: still shown until the sums are read again.
        self.flying_views: dict[int, int] = {}
        self.flying_visits: dict[tuple[int, dt.date], int] = {}
        self.known_views: dict[int, int] = {}
        self.snapshots: dict[int, Snapshot] = {}
        self.online: _MemoryOnline | _RedisOnline | None = None
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()

    # --- adding ---

    def _online(self) -> _MemoryOnline | _RedisOnline:
        if self.online is None:
            with self.lock:
                if self.online is None:
                    self.online = _online_backend()
        return self.online

    def add(
        self, portal_id: int, article_id: int | None = None, visitor: str | None = None
    ) -> None:
        """One page view of ``portal_id`` (and of ``article_id``) by ``visitor``."""
        new_visit = True
        if visitor is not None:
            new_visit = self._online().touch(portal_id, visitor, time.time())
        day = today()
        with self.lock:
            if new_visit:
                self.visits[(portal_id, day)] = self.visits.get((portal_id, day), 0) + 1
            if article_id is not None:
                self.views[article_id] = self.views.get(article_id, 0) + 1
        self._start()

    # --- reading ---

    def remember_views(self, article_id: int, in_database: int) -> None:
        """The figure just read from the database (a page was rendered)."""
        with self.lock:
            if in_database > self.known_views.get(article_id, -1):
                self.known_views[article_id] = in_database

    def article_views(self, article_id: int, base: int = 0) -> int:
        """The article's views: the database's figure (as known) plus those not written yet."""
        with self.lock:
            known = max(base, self.known_views.get(article_id, 0))
            return known + self.views.get(article_id, 0) + self.flying_views.get(article_id, 0)

    def stats(self, portal_id: int) -> dict[str, int]:
        """{online, today, week, total} for the portal."""
        day = today()
        snapshot = self.snapshots.get(portal_id)
        if (
            snapshot is None
            or snapshot.day != day
            or (self.thread is None and time.monotonic() - snapshot.read_at > STALE_SECONDS)
        ):
            snapshot = self._read_snapshot(portal_id, day)
            with self.lock:
                self.snapshots[portal_id] = snapshot
        monday = day - dt.timedelta(days=day.weekday())
        figures = {"today": snapshot.today, "week": snapshot.week, "total": snapshot.total}
        with self.lock:
            for source in (self.visits, self.flying_visits):
                for (pid, when), n in source.items():
                    if pid != portal_id:
                        continue
                    figures["total"] += n
                    if monday <= when <= day:
                        figures["week"] += n
                    if when == day:
                        figures["today"] += n
        figures["online"] = self._online().online(portal_id, time.time())
        return figures

    @staticmethod
    def _read_snapshot(portal_id: int, day: dt.date) -> Snapshot:
        from congdoan.portal.models import DailyVisits

        monday = day - dt.timedelta(days=day.weekday())
        sums = DailyVisits.objects.filter(portal_id=portal_id).aggregate(
            total=Sum("visits"),
            week=Sum("visits", filter=Q(day__gte=monday, day__lte=day)),
            today=Sum("visits", filter=Q(day=day)),
        )
        return Snapshot(
            day=day,
            today=sums["today"] or 0,
            week=sums["week"] or 0,
            total=sums["total"] or 0,
            read_at=time.monotonic(),
        )

    # --- writing ---

    def flush(self) -> int:
        """Write what was counted to the database; returns how many views and visits."""
        with self.flush_lock:
            with self.lock:
                views, self.views = self.views, {}
                visits, self.visits = self.visits, {}
                self.flying_views, self.flying_visits = dict(views), dict(visits)
            if not views and not visits:
                return 0
            try:
                with transaction.atomic():
                    _write_views(views)
                    _write_visits(visits)
            except Exception:
                with self.lock:  # keep them for the next flush
                    _add(self.views, views)
                    _add(self.visits, visits)
                    self.flying_views, self.flying_visits = {}, {}
                raise
            self._reread(views, visits)
            return sum(views.values()) + sum(visits.values())

    def _reread(self, views: dict[int, int], visits: dict[tuple[int, dt.date], int]) -> None:
        """Read the written figures back (they include other processes' counts too)."""
        from congdoan.portal.models import Article

        day = today()
        try:
            fresh_views = dict(
                Article.objects.filter(pk__in=list(views)).values_list("id", "view_count")
            )
            fresh = {pid: self._read_snapshot(pid, day) for pid in {pid for pid, _ in visits}}
        except Exception:
            log.exception("Could not read the visit figures back after writing them")
            with self.lock:  # show the written figures from memory instead
                for article_id, n in views.items():
                    self.known_views[article_id] = self.known_views.get(article_id, 0) + n
                written = {pid for pid, _day in visits}
                self.snapshots = {pid: s for pid, s in self.snapshots.items() if pid not in written}
                self.flying_views, self.flying_visits = {}, {}
            return
        with self.lock:
            for article_id, figure in fresh_views.items():
                self.known_views[article_id] = figure
            self.snapshots.update(fresh)
            self.flying_views, self.flying_visits = {}, {}

    def refresh_snapshots(self) -> None:
        """Re-read the sums of the portals this process shows (the flush thread's chore)."""
        day = today()
        for portal_id, snapshot in list(self.snapshots.items()):
            if snapshot.day != day or time.monotonic() - snapshot.read_at > SNAPSHOT_SECONDS:
                fresh = self._read_snapshot(portal_id, day)
                with self.lock:
                    self.snapshots[portal_id] = fresh

    # --- the flush thread ---

    def _start(self) -> None:
        if self.thread is not None:
            return
        interval = float(getattr(settings, "PORTAL_COUNT_FLUSH_SECONDS", 2.0))
        if interval <= 0:
            return
        with self.lock:
            if self.thread is not None:
                return
            self.thread = threading.Thread(
                target=self._run, args=(interval, self.stop), name="portal-count-flush", daemon=True
            )
            self.thread.start()

    def _run(self, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            try:
                close_old_connections()
                self.flush()
                self.refresh_snapshots()
            except Exception:
                log.exception("Could not write the page view counts")
        connection.close()

    def shutdown(self) -> None:
        """Stop the thread and write what is left (at process exit)."""
        self.stop.set()
        try:
            self.flush()
        except Exception:
            log.exception("Could not write the page view counts at exit")

    def reset(self) -> None:
        """Forget everything (tests; a forked child starts afresh)."""
        self.stop.set()
        self.__init__()


def _write_views(views: dict[int, int]) -> None:
    from congdoan.portal.models import Article

    items = sorted(views.items())
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        Article.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
            view_count=F("view_count")
            + Case(*(When(pk=pk, then=Value(n)) for pk, n in chunk), default=Value(0))
        )


def _write_visits(visits: dict[tuple[int, dt.date], int]) -> None:
    if not visits:
        return
    from congdoan.portal.models import DailyVisits

    table = connection.ops.quote_name(DailyVisits._meta.db_table)
    sql = (
        f"INSERT INTO {table} (portal_id, day, visits) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (portal_id, day) DO UPDATE SET visits = {table}.visits + excluded.visits"
    )
    rows: Iterable[tuple[int, str, int]] = [
        (pid, day.isoformat(), n) for (pid, day), n in sorted(visits.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


_counter = Counter()
atexit.register(lambda: _counter.shutdown())
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: _counter.reset())


# --- the module's interface -----------------------------------------------------------------


def record(request: HttpRequest, portal_id: int, article_id: int | None = None) -> str | None:
    """Count a reader's page view; returns the visitor id when its cookie must be set."""
    if request.method != "GET" or is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return None
    visitor, new_cookie = visitor_of(request)
    _counter.add(portal_id, article_id, visitor)
    return visitor if new_cookie else None


def add(portal_id: int, article_id: int | None = None, visitor: str | None = None) -> None:
    _counter.add(portal_id, article_id, visitor)


def flush() -> int:
    return _counter.flush()


def article_views(article_id: int, base: int = 0) -> int:
    return _counter.article_views(article_id, base)


def remember_views(article_id: int, in_database: int) -> None:
    _counter.remember_views(article_id, in_database)


def stats(portal_id: int) -> dict[str, int]:
    return _counter.stats(portal_id)


def reset() -> None:
    _counter.reset()
