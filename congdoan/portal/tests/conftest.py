"""Portal fixtures shared by the editors' and the public tests: ``make_portal`` makes a portal
for a federation's unit (``tree.lc``, ``tree.ht`` from ``congdoan/conftest.py``)."""

from __future__ import annotations

import pytest

from congdoan.portal.models import Category, Portal


def make_portal(unit, slug: str, host: str = "") -> Portal:
    """A portal for ``unit`` with one ordinary category ("tin-tuc")."""
    portal = Portal.objects.create(
        unit=unit, slug=slug, host=host, name=f"Cổng thông tin {unit.name}"
    )
    Category.objects.create(portal=portal, name="Tin tức", slug="tin-tuc", order=1)
    return portal


@pytest.fixture
def lc_portal(tree) -> Portal:
    return make_portal(tree.lc, "laocai")


@pytest.fixture
def ht_portal(tree) -> Portal:
    return make_portal(tree.ht, "hatinh")


@pytest.fixture(autouse=True)
def _portal_media(settings, tmp_path):
    """Uploaded pictures go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _public_state(settings):
    """Readers' side: no flush thread (tests call ``counting.flush()``), empty page cache,
    counters and portal map for every test."""
    from django.core.cache import cache

    from congdoan.portal import counting, routing

    settings.PORTAL_COUNT_FLUSH_SECONDS = 0
    cache.clear()
    counting.reset()
    routing.forget()
    yield
    counting.reset()
    cache.clear()
