"""Search: words with or without diacritics, metadata matches ranked before text matches,
newest first, pages that cross from one to the other, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

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


def test_documents_keep_their_units_path_and_follow_a_move(tree, users):
    """The scope lexemes of the search vectors come from ``unit_path``: a moved unit's
    documents are found by searches in the new parent's subtree and no longer in the old."""
    from congdoan.accounts.permissions import Role
    from congdoan.accounts.services import grant_role
    from congdoan.conftest import BASIS, make_user
    from congdoan.org.services import move_unit

    district_clerk = make_user("d1.clerk", Role.CLERK, tree.lc_d1)
    chair_doc = register(tree.lc_g1, users.chair, "Báo cáo tổng kết phong trào thi đua")
    assert chair_doc.unit_path == tree.lc_g1.path
    assert [d.pk for d in search.search(district_clerk, "tong ket thi dua")] == [chair_doc.pk]

    move_unit(None, tree.lc_g1, tree.lc_d2, effective_date=dt.date(2026, 7, 1), legal_basis=BASIS)
    tree.refresh()
    chair_doc.refresh_from_db()
    assert chair_doc.unit_path == tree.lc_g1.path
    assert chair_doc.unit_path.startswith(tree.lc_d2.path)
    assert search.search(district_clerk, "tong ket thi dua").count() == 0
    other_clerk = make_user("d2.clerk")
    grant_role(None, user=other_clerk, unit=tree.lc_d2, role=Role.CLERK)
    found = search.search(other_clerk, "tong ket thi dua")
    assert [d.pk for d in found] == [chair_doc.pk]
    # The province still sees it, in the text tier too.
    Document.objects.filter(pk=chair_doc.pk).update(search_title="bao cao")
    assert [d.pk for d in search.search(users.lc_clerk, "tong ket thi dua")] == [chair_doc.pk]


def test_scope_lexemes_narrow_below_the_top_only(tree, users):
    assert search.scope_lexemes(users.admin) == ""  # the whole tree: nothing to narrow
    assert search.scope_lexemes(users.nobody) == ""
    assert search.scope_lexemes(users.lc_clerk) == f"'#{tree.lc.pk}'"
    # Words can never reach the scope lexemes: "#" is not a letter or digit.
    assert search.words(f"#{tree.lc.pk} ke hoach") == [str(tree.lc.pk), "ke", "hoach"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vectors are PostgreSQL's")
def test_postgresql_vectors_hold_the_units_ancestors(tree, users):
    doc = register(tree.lc_g1, users.chair, "Kế hoạch 35 năm")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title_vector::text, search_vector::text FROM documents_document WHERE id = %s",
            [doc.pk],
        )
        title, text = cursor.fetchone()
    for unit in (tree.root, tree.lc, tree.lc_d1, tree.lc_g1):
        assert f"'#{unit.pk}'" in title and f"'#{unit.pk}'" in text
    assert f"'#{tree.ht.pk}'" not in title
    # A word that is a number is not a unit: "35" alone does not match '#35'.
    assert "'35'" in title
