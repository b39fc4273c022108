"""Search: words with or without diacritics, metadata matches ranked before text matches,
newest first, pages that cross from one to the other, scope."""

from __future__ import annotations

import pytest

from congdoan.documents import search, services
from congdoan.documents.models import Document

pytestmark = pytest.mark.django_db


def register(unit, actor, subject, *, summary="", symbol=""):
    return services.register_incoming(
        actor, unit, {"subject": subject, "issuer_name": "UBND tỉnh", "summary": "",
                      "symbol": symbol} | ({"summary": summary} if summary else {})
    )  # fmt: skip


def test_metadata_matches_come_before_text_matches_then_newest_first(tree, users):
    in_text = register(tree.lc, users.lc_clerk, "Giấy mời họp",
                       summary="Bàn về Tháng Công nhân")  # fmt: skip
    old_title = register(tree.lc, users.lc_clerk, "Kế hoạch Tháng Công nhân năm 2025")
    new_title = register(tree.lc, users.lc_clerk, "Kế hoạch Tháng Công nhân năm 2026")
    # The summary is part of the metadata; move it to the text to make a text-only match.
    Document.objects.filter(pk=in_text.pk).update(
        search_title="giay moi hop", search_text="giay moi hop ban ve thang cong nhan"
    )
    register(tree.lc, users.lc_clerk, "Báo cáo quý III")
    found = search.search(users.lc_clerk, "thang cong nhan")
    assert [d.pk for d in found[:10]] == [new_title.pk, old_title.pk, in_text.pk]
    assert [d.rank for d in found[:10]] == [2.0, 2.0, 1.0]
    assert found.count() == 3
    # With diacritics the same.
    assert [d.pk for d in search.search(users.lc_clerk, "Tháng Công nhân")[:10]] == [
        new_title.pk, old_title.pk, in_text.pk,
    ]  # fmt: skip
    # A page that starts in the first tier and ends in the second, and one inside the second.
    assert [d.pk for d in found[1:3]] == [old_title.pk, in_text.pk]
    assert [d.pk for d in found[2:5]] == [in_text.pk]


def test_search_is_scoped_and_empty_query_lists_newest(tree, users):
    mine = register(tree.lc, users.lc_clerk, "Kế hoạch tập huấn")
    register(tree.ht, users.ht_clerk, "Kế hoạch tập huấn")
    assert [d.pk for d in search.search(users.lc_clerk, "ke hoach tap huan")] == [mine.pk]
    assert [d.pk for d in search.search(users.lc_clerk, "")] == [mine.pk]
    assert search.search(users.chair, "ke hoach").count() == 0


def test_count_stops_at_the_limit(tree, users, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    for n in range(4):
        register(tree.lc, users.lc_clerk, f"Thông báo số {n}")
    found = search.search(users.lc_clerk, "thong bao")
    assert found.count() == 2 and found.more
    assert len(found[0:4]) == 4  # slicing still reads the rows asked for
