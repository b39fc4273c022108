"""Fixtures for the browser tests: a live server with the demo federation, and Chromium.

The tests drive Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM``) through
Playwright; no browser is ever downloaded. Without Chromium or Playwright the tests are
skipped, so the rest of the suite still runs.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the main thread; Django's ORM refuses to run
# where a loop is running unless told that this is fine (it is: nothing here is async).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "congdoan-demo")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 15_000


def _chromium_missing() -> str | None:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (set CHROMIUM to its path); e2e tests skipped"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def demo(transactional_db: None, settings) -> None:  # type: ignore[no-untyped-def]
    """The demo federation and its users in the test database.

    Passwords are hashed with a fast hasher here: Argon2 would cost about a second per test
    for the demo's six users, and the live server shares these settings.
    """
    from importlib import import_module

    from django.apps import apps
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A transactional test earlier in the session may have flushed the tables, taking the
    # unit kinds and post types that a data migration seeds: seed them again (idempotent).
    import_module("congdoan.org.migrations.0002_seed_kinds").seed(apps, None)
    import_module("congdoan.emulation.migrations.0002_seed_forms_and_rules").seed(apps, None)

    call_command("loaddemo", "--quiet-users", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def page(browser, live_server, demo) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) per test, pointed at the live server.

    The context asks for Vietnamese, the default language of the site.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def login(page) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Log in through the login form; returns the page after the redirect."""

    def _login(username: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
        return submit_login(page, username, password)

    return _login


def submit_login(page, username: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
    """Fill in and send the login form; returns the page after the redirect."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page


def sign_in(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    """A new browser context (another person at another computer) signed in as ``username``."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    return submit_login(context.new_page(), username)


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --- the portals' readers ---------------------------------------------------------------------

# Readers' browsers announce an ordinary desktop Chrome: headless Chromium's own user agent
# says "HeadlessChrome", which the portal rightly counts as a robot, not a reader.
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


@pytest.fixture
def portal_state(settings, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """An empty page cache, fresh counters and portal map, and no flush thread (a test writes
    the counts itself with ``counting.flush()``); demo pictures go to tmp_path."""
    from django.core.cache import cache

    from congdoan.portal import counting, routing

    settings.PORTAL_COUNT_FLUSH_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    counting.reset()
    routing.forget()
    yield
    counting.reset()
    cache.clear()
