"""Portal pages under load on PostgreSQL: cached pages through gunicorn, against baselines.

What it builds
--------------
A fresh PostgreSQL database (``--database-url``; dropped first when it exists), migrated, with
the demo federation and its portals (laocai, hatinh, thainguyen; the parts of ``loaddemo``
they need) and ``--articles`` (10,000)
published articles in the Lào Cai portal, written with ``bulk_create``: Vietnamese titles
made of a subject, an action and an object, a summary, a body of a few paragraphs, spread
over the portal's categories and the last two years, with their folded search text.
``collectstatic`` fills ``STATIC_ROOT`` for the static-file baseline.

What it measures
----------------
The production server: ``gunicorn congdoan.wsgi`` on 127.0.0.1 (``--workers``,
``--worker-class sync|gthread``, ``--threads``), ``DEBUG=0``, a ``SECRET_KEY``,
``ALLOWED_HOSTS=127.0.0.1`` and ``REDIS_URL=--redis-url`` (db 15 by default, emptied first, so
every worker shares the page cache; ``--redis-url ''`` compares process-local memory). After a
warm-up, ``wrk -t2 -c32 -d15s --latency`` with ``User-Agent: Mozilla/5.0`` drives, one after
the other, the home page, the demo article and the search page ``?q=cong+doan``, then the
baselines on the same server settings:

* a static file served by the same gunicorn through WhiteNoise (``/static/...``);
* a plain Wagtail site serving the same article (title and body in a ``RichTextField``):
  a throwaway virtualenv under ``/tmp`` (``pip install wagtail==8.0.1 gunicorn``; kept between
  runs), a minimal project generated there with SQLite, run with the same gunicorn settings.

The report gives requests/s and p50/p99 latency per page, and the ratios article ÷ Wagtail
and article ÷ static file (targets on 2 cores: the article ≥ 1,500 req/s with p99 < 50 ms,
≥ 3× Wagtail).

Then the count check: a fresh server, ``--views`` (20,000) article views fired by
``--clients`` (32) threads over keep-alive connections, each with a reader's user agent and a
visitor cookie ``cdv=<20 hex>``; ``--visitors`` (15,000) distinct visitors, the rest of the
views repeat a visitor already sent (not a new visit). The server is stopped with SIGTERM (its
workers write what they counted at exit); the article's ``view_count`` must have grown by
exactly ``--views`` and the day's ``DailyVisits`` by exactly ``--visitors``. (With
``--redis-url ''`` and several workers a repeated visitor served by another worker counts as a
new visit: the "visit" is per process without Redis.)

Running it
----------
::

    apt-get install -y wrk        # Debian's package; the script says so and stops without it
    .venv/bin/python benchmarks/portal_load.py \\
        [--database-url postgres://postgres@127.0.0.1:5432/congdoan_portal_bench] \\
        [--redis-url redis://127.0.0.1:6379/15 | --redis-url ''] [--workers 3] \\
        [--worker-class sync|gthread] [--threads 4] [--duration 15] [--connections 32] \\
        [--articles 10000] [--views 20000] [--visitors 15000] [--no-wagtail] [--reuse]

Every server runs on loopback, is stopped by the script (SIGTERM, then SIGKILL after 30 s)
and every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SECRET = "portal-load-benchmark-secret-key-0123456789abcdef"  # noqa: S105 - loopback only
ARTICLE = "/p/laocai/hoat-dong-cong-doan/cong-doan-lao-cai-day-manh-cai-cach-hanh-chinh.html"
HOME = "/p/laocai/"
SEARCH = "/p/laocai/tim-kiem/?q=cong+doan"
WAGTAIL_VENV = Path(tempfile.gettempdir()) / "cd_wagtail_venv"
WAGTAIL_DIR = Path(tempfile.gettempdir()) / "cd_wagtail_bench"
WAGTAIL_PIN = "wagtail==8.0.1"  # the baseline measured in the README
AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"

SUBJECTS = [
    "Công đoàn tỉnh Lào Cai",
    "Liên đoàn Lao động thành phố Lào Cai",
    "Công đoàn ngành Giáo dục",
    "Công đoàn ngành Y tế",
    "Công đoàn cơ sở Công ty Apatit Việt Nam",
    "Công đoàn viên chức tỉnh",
    "Ban Nữ công",
    "Công đoàn Khu kinh tế",
    "Liên đoàn Lao động huyện Bảo Thắng",
    "Liên đoàn Lao động thị xã Sa Pa",
    "Công đoàn ngành Xây dựng",
    "Công đoàn các Khu công nghiệp",
    "Công đoàn cơ sở Trường THPT số 1 Bát Xát",
    "Công đoàn Bệnh viện Đa khoa tỉnh",
]
ACTIONS = [
    "tổ chức",
    "phát động",
    "tổng kết",
    "triển khai",
    "hưởng ứng",
    "trao tặng",
    "ra quân",
    "đẩy mạnh",
    "sơ kết",
    "khai mạc",
    "tập huấn",
    "ký kết",
    "thăm hỏi",
    "biểu dương",
]
OBJECTS = [
    "Tháng Công nhân năm {y}",
    "phong trào thi đua lao động giỏi",
    "Mái ấm Công đoàn",
    "chương trình Tết Sum vầy",
    "hội nghị người lao động",
    "thỏa ước lao động tập thể",
    "hội thi an toàn vệ sinh lao động",
    "giải bóng đá công nhân viên chức",
    "cải cách hành chính",
    "phong trào Xanh - Sạch - Đẹp",
    "quà cho đoàn viên có hoàn cảnh khó khăn",
    "lớp bồi dưỡng cán bộ công đoàn cơ sở",
    "chuyển đổi số trong hoạt động công đoàn",
    "học bổng cho con đoàn viên",
    "ngày hội văn hóa các dân tộc",
    "đối thoại với người lao động",
]
SENTENCES = [
    "Tham dự có đại diện lãnh đạo Liên đoàn Lao động tỉnh và đông đảo đoàn viên, người lao động.",
    "Hoạt động góp phần chăm lo đời sống vật chất, tinh thần cho đoàn viên công đoàn.",
    "Các đơn vị đã chủ động xây dựng kế hoạch, bám sát cơ sở và lắng nghe ý kiến người lao động.",
    "Nhiều mô hình hay, cách làm sáng tạo được nhân rộng trong toàn tỉnh.",
    "Dịp này, Ban Tổ chức đã trao giấy khen cho các tập thể và cá nhân có thành tích xuất sắc.",
    "Công đoàn cơ sở tiếp tục đổi mới nội dung, phương thức hoạt động hướng về cơ sở.",
    "Phong trào thu hút hàng nghìn lượt đoàn viên tham gia, tạo khí thế thi đua sôi nổi.",
    "Đồng chí Chủ tịch đề nghị các cấp công đoàn phát huy hơn nữa vai trò đại diện, bảo vệ.",
]


# --- the database ---------------------------------------------------------------------------


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=args.redis_url,
        SECURE_COOKIES="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="congdoan.settings",
    )
    return env


def create_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(args: argparse.Namespace, *command: str) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", *command],
        cwd=ROOT,
        env=server_env(args),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def load_data(args: argparse.Namespace) -> None:
    """The demo federation and its portals (the parts of ``loaddemo`` the portals need: its
    contests and initiatives are left out), then ``--articles`` published articles in the Lào
    Cai portal, in one bulk insert."""
    os.environ.update(server_env(args))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction

    from congdoan.org.demo import DemoBuilder
    from congdoan.portal.demo import load_demo_portals

    with transaction.atomic():
        DemoBuilder(log=lambda _text: None).build()
    load_demo_portals(log=lambda _text: None)
    print("  demo portals loaded", flush=True)
    from django.utils import timezone
    from django.utils.text import slugify

    from congdoan.core.text import fold
    from congdoan.portal import pagecache
    from congdoan.portal.models import Article, Category, Portal

    portal = Portal.objects.get(slug="laocai")
    categories = list(Category.objects.filter(portal=portal, internal=False))
    rnd = random.Random(42)
    now = timezone.now()
    rows = []
    for n in range(args.articles):
        year = rnd.choice((2024, 2025, 2026))
        title = f"{rnd.choice(SUBJECTS)} {rnd.choice(ACTIONS)} {rnd.choice(OBJECTS).format(y=year)}"
        summary = " ".join(rnd.sample(SENTENCES, 2))
        paragraphs = [" ".join(rnd.sample(SENTENCES, 3)) for _ in range(rnd.randint(3, 6))]
        body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
        published = now - dt.timedelta(minutes=rnd.randint(60, 2 * 365 * 24 * 60))
        rows.append(
            Article(
                portal=portal,
                category=rnd.choice(categories),
                title=title,
                slug=f"{slugify(fold(title))[:150]}-{n + 1}",
                summary=summary,
                body=body,
                byline="Phóng viên",
                status=Article.Status.PUBLISHED,
                publish_at=published,
                published_at=published,
                view_count=rnd.randint(0, 3000),
                search_text=fold(f"{title} {summary} {' '.join(paragraphs)}"),
            )
        )
    Article.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pagecache.invalidate(portal.id)
    connection.close()


def has_database(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM portal_article").fetchone()[0] > 1000
    except Exception:
        return False


def figures(url: str) -> tuple[int, int]:
    """(the demo article's view_count, the Lào Cai portal's visits today)."""
    import psycopg

    day = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    with psycopg.connect(url) as conn:
        views = conn.execute(
            "SELECT a.view_count FROM portal_article a JOIN portal_portal p ON p.id = a.portal_id"
            " WHERE p.slug = 'laocai' AND a.slug = %s",
            ["cong-doan-lao-cai-day-manh-cai-cach-hanh-chinh"],
        ).fetchone()[0]
        row = conn.execute(
            "SELECT d.visits FROM portal_dailyvisits d JOIN portal_portal p ON p.id = d.portal_id"
            " WHERE p.slug = 'laocai' AND d.day = %s",
            [day],
        ).fetchone()
    return int(views), int(row[0]) if row else 0


def article_content(url: str) -> tuple[str, str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT title, body FROM portal_article WHERE slug = %s",
            ["cong-doan-lao-cai-day-manh-cai-cach-hanh-chinh"],
        ).fetchone()


# --- servers --------------------------------------------------------------------------------


class Server:
    """A gunicorn on 127.0.0.1:port, stopped with SIGTERM (SIGKILL after 30 s)."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], probe: str) -> None:
        self.port = int(command[command.index("--bind") + 1].rsplit(":", 1)[1])
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the server's life
            prefix="portal_load_", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log, stderr=self.log, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                status, _ = get(self.port, probe)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"the server did not start; its log: {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def gunicorn_command(
    binary: Path | str, app: str, args: argparse.Namespace, port: int
) -> list[str]:
    command = [str(binary), app, "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    command += ["--worker-class", args.worker_class, "--log-level", "warning"]
    command += ["--keep-alive", "30", "--backlog", "2048"]
    if args.worker_class == "gthread":
        command += ["--threads", str(args.threads)]
    return command


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"User-Agent": AGENT, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- wrk ------------------------------------------------------------------------------------


def wrk(args: argparse.Namespace, port: int, path: str) -> dict[str, float]:
    command = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency", "-H", f"User-Agent: {AGENT}", f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=args.duration + 60
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result = {"rps": float(found.group(1)) if found else 0.0}
    for name, label in (("p50", "50%"), ("p99", "99%")):
        hit = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if hit:
            scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[hit.group(2)]
            result[name] = float(hit.group(1)) * scale
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non2xx"] = int(errors.group(1)) if errors else 0
    failed = re.search(r"Socket errors:.*", out)
    result["socket"] = failed.group(0) if failed else ""
    return result


def line(name: str, r: dict[str, float]) -> str:
    extra = f"  non-2xx {r['non2xx']}" if r.get("non2xx") else ""
    extra += f"  {r['socket']}" if r.get("socket") else ""
    return (
        f"  {name:<28} {r['rps']:>9.0f} req/s   p50 {r.get('p50', 0):>7.2f} ms"
        f"   p99 {r.get('p99', 0):>7.2f} ms{extra}"
    )


# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SETTINGS = """
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = {secret!r}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "article",
    "wagtail.contrib.redirects", "wagtail.sites", "wagtail.users", "wagtail.documents",
    "wagtail.images", "wagtail.search", "wagtail.admin", "wagtail",
    "modelcluster", "taggit",
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "wagbench.urls"
TEMPLATES = [{{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"], "APP_DIRS": True,
    "OPTIONS": {{"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]}},
}}]
WSGI_APPLICATION = "wagbench.wsgi.application"
DATABASES = {{
    "default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
}}
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WAGTAIL_SITE_NAME = "bench"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
"""

WAGTAIL_FILES = {
    "manage.py": """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagbench.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
""",
    "wagbench/__init__.py": "",
    "wagbench/urls.py": """
from django.urls import include, path
from wagtail import urls as wagtail_urls
urlpatterns = [path("", include(wagtail_urls))]
""",
    "wagbench/wsgi.py": """
import os
from django.core.wsgi import get_wsgi_application
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagbench.settings")
application = get_wsgi_application()
""",
    "article/__init__.py": "",
    "article/models.py": """
from wagtail.fields import RichTextField
from wagtail.models import Page
class ArticlePage(Page):
    body = RichTextField(blank=True)
    content_panels = Page.content_panels + ["body"]
""",
    "templates/article/article_page.html": """{% load wagtailcore_tags %}<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main><article><h1>{{ page.title }}</h1>{{ page.body|richtext }}</article></main></body>
</html>
""",
    "create_page.py": """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wagbench.settings")
import django
django.setup()
from wagtail.models import Page, Site
from article.models import ArticlePage
title, body = open(sys.argv[1], encoding="utf-8").read().split("\\n", 1)
home = Site.objects.get(is_default_site=True).root_page
home.add_child(instance=ArticlePage(title=title, slug="bai-viet", body=body))
""",
}


def wagtail_env() -> dict[str, str]:
    """This environment without the project's Django settings: the Wagtail site's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO")}
    env["DJANGO_SETTINGS_MODULE"] = "wagbench.settings"
    return env


def wagtail_ready(args: argparse.Namespace) -> bool:
    """The throwaway Wagtail virtualenv and project under /tmp (made when missing)."""
    gunicorn = WAGTAIL_VENV / "bin" / "gunicorn"
    if not gunicorn.exists():
        print(f"  making {WAGTAIL_VENV} (pip install wagtail gunicorn) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(WAGTAIL_VENV)], check=True)
        pip = [str(WAGTAIL_VENV / "bin" / "pip"), "install", "-q", WAGTAIL_PIN, "gunicorn"]
        if subprocess.run(pip, check=False, timeout=900).returncode != 0:
            return False
    if WAGTAIL_DIR.exists():
        shutil.rmtree(WAGTAIL_DIR)
    for name, text in WAGTAIL_FILES.items():
        target = WAGTAIL_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (WAGTAIL_DIR / "wagbench" / "settings.py").write_text(
        WAGTAIL_SETTINGS.format(secret=SECRET), encoding="utf-8"
    )
    title, body = article_content(args.database_url)
    (WAGTAIL_DIR / "article.txt").write_text(f"{title}\n{body}", encoding="utf-8")
    python = str(WAGTAIL_VENV / "bin" / "python")
    for step in (
        ["manage.py", "makemigrations", "article"],
        ["manage.py", "migrate", "--noinput"],
        ["create_page.py", "article.txt"],
    ):
        done = subprocess.run(
            [python, *step],
            cwd=WAGTAIL_DIR,
            env=wagtail_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            print(f"  Wagtail baseline: {' '.join(step)} failed:\n{done.stderr[-2000:]}")
            return False
    return True


# --- the count check ------------------------------------------------------------------------


def fire_views(port: int, views: int, visitors: int, clients: int) -> tuple[int, int]:
    """``views`` article views by ``visitors`` distinct visitor cookies over ``clients``
    keep-alive connections; returns (200 answers, other answers)."""
    rnd = random.Random(7)
    ids = [f"{rnd.getrandbits(80):020x}" for _ in range(visitors)]
    plan = ids + [rnd.choice(ids) for _ in range(views - visitors)]
    rnd.shuffle(plan)
    lock = threading.Lock()
    done = {"ok": 0, "bad": 0}
    position = iter(range(len(plan)))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ok = bad = 0
        while True:
            with lock:
                n = next(position, None)
            if n is None:
                break
            headers = {"User-Agent": f"{AGENT} r{n}", "Cookie": f"cdv={plan[n]}"}
            for attempt in range(3):
                try:
                    conn.request("GET", ARTICLE, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        ok += 1
                    else:
                        bad += 1
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    if attempt == 2:
                        bad += 1
        conn.close()
        with lock:
            done["ok"] += ok
            done["bad"] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return done["ok"], done["bad"]


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/congdoan_portal_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--views", type=int, default=20_000)
    parser.add_argument("--visitors", type=int, default=15_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--no-wagtail", action="store_true", help="skip the Wagtail baseline")
    parser.add_argument("--no-count", action="store_true", help="skip the count check")
    parser.add_argument("--reuse", action="store_true", help="keep the database if loaded")
    args = parser.parse_args()
    args.visitors = min(args.visitors, args.views)

    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install -y wrk  (Debian's package), then run again.")
        sys.exit(0)

    started = time.monotonic()
    if args.reuse and has_database(args.database_url):
        print("database: reused", flush=True)
    else:
        print("database: creating, migrating, loading the demo ...", flush=True)
        create_database(args.database_url)
        manage(args, "migrate", "--noinput")
        t = time.monotonic()
        load_data(args)
        print(f"  {args.articles} articles in {time.monotonic() - t:.1f} s", flush=True)
    manage(args, "collectstatic", "--noinput")
    static = next(
        p for p in sorted((ROOT / "staticfiles").rglob("*.css")) if not p.name.endswith(".gz")
    )
    static_path = "/static/" + static.relative_to(ROOT / "staticfiles").as_posix()
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()

    env = server_env(args)
    settings = f"--workers {args.workers} --worker-class {args.worker_class}"
    if args.worker_class == "gthread":
        settings += f" --threads {args.threads}"
    print(f"server: gunicorn congdoan.wsgi {settings}, cache {args.redis_url or 'local memory'}")
    results: dict[str, dict[str, float]] = {}
    server = Server(gunicorn_command(GUNICORN, "congdoan.wsgi", args, args.port), ROOT, env, HOME)
    try:
        for path in (HOME, ARTICLE, SEARCH):
            for _ in range(5 * args.workers):  # every worker renders once, then hits
                status, _body = get(args.port, path)
                if status != 200:
                    sys.exit(f"{path} answered {status}")
        for name, path in (
            ("home", HOME),
            ("article", ARTICLE),
            ("search", SEARCH),
            ("static file (whitenoise)", static_path),
        ):
            results[name] = wrk(args, args.port, path)
            print(line(name, results[name]), flush=True)
    finally:
        server.stop()

    if not args.no_wagtail:
        if wagtail_ready(args):
            wag_env = wagtail_env()
            command = gunicorn_command(
                WAGTAIL_VENV / "bin" / "gunicorn", "wagbench.wsgi", args, args.port + 1
            )
            wag = Server(command, WAGTAIL_DIR, wag_env, "/bai-viet/")
            try:
                get(args.port + 1, "/bai-viet/")
                results["wagtail article"] = wrk(args, args.port + 1, "/bai-viet/")
                print(line("wagtail article", results["wagtail article"]), flush=True)
            finally:
                wag.stop()
        else:
            print("  wagtail: not ready (see above); baseline skipped")

    count = None
    if not args.no_count:
        before = figures(args.database_url)
        server = Server(
            gunicorn_command(GUNICORN, "congdoan.wsgi", args, args.port), ROOT, env, HOME
        )
        t = time.monotonic()
        try:
            ok, bad = fire_views(args.port, args.views, args.visitors, args.clients)
        finally:
            elapsed = time.monotonic() - t
            server.stop()
        after = figures(args.database_url)
        count = (ok, bad, elapsed, after[0] - before[0], after[1] - before[1])

    print()
    print("=" * 78)
    print(f"Portal load — gunicorn {settings}; cache {args.redis_url or 'local memory'};")
    print(
        f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s; {os.cpu_count()} CPUs"
    )
    for name, r in results.items():
        print(line(name, r))
    article = results["article"]
    verdict = "PASS" if article["rps"] >= 1500 and article.get("p99", 1e9) < 50 else "MISS"
    print(f"  article ≥ 1,500 req/s and p99 < 50 ms: {verdict}")
    static_rps = results["static file (whitenoise)"]["rps"]
    print(f"  article ÷ static file: {article['rps'] / static_rps:.2f}")
    if "wagtail article" in results:
        ratio = article["rps"] / results["wagtail article"]["rps"]
        print(f"  article ÷ Wagtail:     {ratio:.2f}   (≥ 3×: {'PASS' if ratio >= 3 else 'MISS'})")
    if count:
        ok, bad, elapsed, views, visits = count
        exact = views == args.views and visits == args.visitors and bad == 0
        print(
            f"  count check: {ok} answers 200 ({bad} other) in {elapsed:.1f} s "
            f"({ok / elapsed:.0f}/s); view_count +{views} (sent {args.views}), "
            f"DailyVisits +{visits} (distinct visitors {args.visitors}): "
            f"{'PASS' if exact else 'MISS'}"
        )
    print(f"  ({time.monotonic() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
