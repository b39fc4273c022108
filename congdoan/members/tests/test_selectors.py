"""Reading members: search with and without diacritics, Vietnamese name order, scope, masking,
and the statistics as of a date."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from django.http import Http404
from django.utils import translation

from congdoan.core.cccd import make_cccd
from congdoan.members import selectors, services
from congdoan.members.models import Member, Status
from congdoan.members.tests.conftest import make_member

D = dt.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def add(unit: Any, name: str, birth: dt.date, sex: str, **extra: Any) -> Member:
    """A member who joined on 01/09/2012, with a matching CCCD unless one is given."""
    extra.setdefault("joined_on", D(2012, 9, 1))
    return make_member(unit, full_name=name, birth_date=birth, sex=sex, **extra)


def names(members: Any) -> list[str]:
    return [m.full_name for m in members]


@pytest.fixture
def people(tree):
    class People:
        an = add(tree.lc_g1, "Nguyễn Văn An", D(1985, 3, 4), "M",
                 cccd=make_cccd("010", "M", 1985, 123456), phone="0912345678",
                 card_number="LC-0001")  # fmt: skip
        mai = add(tree.lc_g1, "Đặng Thị Mai", D(1991, 8, 19), "F", ethnicity="Dao",
                  phone="0203 856 112")  # fmt: skip
        binh = add(tree.lc_g2, "Nguyễn Thị Bình", D(1979, 12, 1), "F", ethnicity="Tày")
        an2 = add(tree.lc_g2, "Trần Văn An", D(1990, 6, 6), "M")
        dao = add(tree.ht_g1, "Lê Thị Đào", D(1988, 2, 2), "F",
                  cccd=make_cccd("042", "F", 1988, 654321), card_number="HT-0100")  # fmt: skip

    return People


# --- search ----------------------------------------------------------------------------------


def test_search_by_name_with_or_without_diacritics(people, users):
    admin = users.admin
    assert names(selectors.search_members(admin, "nguyen van an")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "Nguyễn Văn An")) == ["Nguyễn Văn An"]
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn An")
    assert names(selectors.search_members(admin, decomposed)) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "  NGUYEN   van  ")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "dang")) == ["Đặng Thị Mai"]
    assert names(selectors.search_members(admin, "đặng thị")) == ["Đặng Thị Mai"]
    assert names(selectors.search_members(admin, "dao")) == ["Lê Thị Đào"]
    assert names(selectors.search_members(admin, "van an")) == ["Nguyễn Văn An", "Trần Văn An"]
    assert names(selectors.search_members(admin, "hoang")) == []


def test_one_word_finds_the_given_name_else_any_part_of_the_name(people, users, tree):
    admin = users.admin
    add(tree.lc_g1, "Trần Thị Lan", D(1993, 1, 5), "F")
    add(tree.lc_g2, "Võ Văn Anh", D(1994, 2, 6), "M")
    add(tree.lc_g2, "An Thị Hoa", D(1995, 3, 7), "F")
    # "an" is a given name here: Lan, Anh and the family name An do not match.
    assert names(selectors.search_members(admin, "an")) == ["Nguyễn Văn An", "Trần Văn An"]
    assert names(selectors.search_members(admin, "ÁN")) == ["Nguyễn Văn An", "Trần Văn An"]
    assert names(selectors.search_members(admin, "anh")) == ["Võ Văn Anh"]
    # No given name "hoa" in Hà Tĩnh: the names containing it there (none); in the whole
    # list, the given name wins.
    assert names(selectors.search_members(admin, "hoa", unit=tree.ht)) == []
    assert names(selectors.search_members(admin, "hoa")) == ["An Thị Hoa"]
    # Nobody is called "tran": the names containing it, in name order.
    assert names(selectors.search_members(admin, "tran")) == ["Trần Văn An", "Trần Thị Lan"]
    # Several words: the end of a name; else anywhere in it.
    assert names(selectors.search_members(admin, "van an")) == ["Nguyễn Văn An", "Trần Văn An"]
    assert names(selectors.search_members(admin, "văn anh")) == ["Võ Văn Anh"]
    assert names(selectors.search_members(admin, "van a")) == [
        "Nguyễn Văn An",
        "Trần Văn An",
        "Võ Văn Anh",
    ]
    assert names(selectors.search_members(admin, "thi")) == [
        "Nguyễn Thị Bình",
        "Lê Thị Đào",
        "An Thị Hoa",
        "Trần Thị Lan",
        "Đặng Thị Mai",
    ]


@pytest.mark.parametrize("few", [0, 1, 2, 1000])
def test_a_name_with_few_or_many_matches_gives_the_same_answers(
    people, users, tree, monkeypatch, few
):
    """Up to FEW_MATCHES (MANY_MATCHES) the matches in part of the tree are read by id,
    beyond from the name order (the index range): the answers (scope, union and status
    filters, the fallback to "contains", counts and slices) stay the same."""
    monkeypatch.setattr(selectors, "FEW_MATCHES", few)
    monkeypatch.setattr(selectors, "MANY_MATCHES", few)
    admin, chair = users.admin, users.chair
    add(tree.lc_g1, "Võ Văn An", D(1994, 2, 6), "M")
    add(tree.lc_g2, "Lê Văn Anh", D(1995, 3, 7), "M")
    services.end_membership(None, people.an2, Status.LEFT, day=D(2024, 1, 1), reason="Nghỉ")
    search = selectors.search_members
    assert names(search(admin, "an")) == ["Nguyễn Văn An", "Trần Văn An", "Võ Văn An"]
    assert names(search(admin, "van an")) == ["Nguyễn Văn An", "Trần Văn An", "Võ Văn An"]
    assert names(search(admin, "nguyen van an")) == ["Nguyễn Văn An"]
    assert names(search(chair, "an")) == ["Nguyễn Văn An", "Võ Văn An"]
    assert names(search(admin, "van an", unit=tree.lc_d2)) == ["Trần Văn An"]
    assert names(search(admin, "an", status=Status.LEFT)) == ["Trần Văn An"]
    # No An left in Lào Cai's first grassroots union, nor in Hà Tĩnh: then "contains".
    assert names(search(admin, "an", unit=tree.lc_g1, status=Status.LEFT)) == []
    assert names(search(admin, "van an", unit=tree.ht)) == []
    assert names(search(admin, "van an", status=Status.LEFT)) == ["Trần Văn An"]
    assert names(search(admin, "van a", status=Status.ACTIVE)) == [
        "Nguyễn Văn An",
        "Võ Văn An",
        "Lê Văn Anh",
    ]
    assert search(admin, "an").count() == 3
    assert names(search(admin, "an")[1:]) == ["Trần Văn An", "Võ Văn An"]


def test_search_by_cccd_card_number_and_phone(people, users):
    admin = users.admin
    assert names(selectors.search_members(admin, people.an.cccd)) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, " 010085 123456 ")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "LC-0001")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "ht-0100")) == ["Lê Thị Đào"]
    assert names(selectors.search_members(admin, "0912345678")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "0912 345 678")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "+84912345678")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(admin, "0203856112")) == ["Đặng Thị Mai"]
    assert names(selectors.search_members(admin, "0912345679")) == []


def test_filter_by_union_and_status(people, users, tree):
    admin = users.admin
    assert names(selectors.search_members(admin, unit=tree.lc_d2)) == [
        "Trần Văn An",
        "Nguyễn Thị Bình",
    ]
    services.end_membership(None, people.binh, Status.LEFT, day=D(2024, 1, 1), reason="Nghỉ")
    assert names(selectors.search_members(admin, unit=tree.lc, status=Status.LEFT)) == [
        "Nguyễn Thị Bình"
    ]
    active = selectors.search_members(admin, unit=tree.lc, status=Status.ACTIVE)
    assert "Nguyễn Thị Bình" not in names(active)
    assert len(names(selectors.search_members(admin, unit=tree.lc))) == 4  # any status


def test_names_sort_by_given_name_then_middle_then_family(tree, users):
    for name, sex in [
        ("Nguyễn Thị Bình", "F"),
        ("Lê Thị Đào", "F"),
        ("Trần Văn An", "M"),
        ("Hoàng Văn Dũng", "M"),
        ("Lò Thị Ánh", "F"),
        ("Đặng Văn An", "M"),
        ("Bùi Thị Ánh", "F"),
    ]:
        add(tree.lc_g1, name, D(1990, 1, 1), sex)
    assert names(selectors.search_members(users.admin)) == [
        "Đặng Văn An",  # An before Ánh; the same given and middle names: Đặng before Trần
        "Trần Văn An",
        "Bùi Thị Ánh",
        "Lò Thị Ánh",
        "Nguyễn Thị Bình",
        "Hoàng Văn Dũng",  # d before đ
        "Lê Thị Đào",
    ]


# --- scope -----------------------------------------------------------------------------------


def test_a_chair_sees_only_their_unions_members(people, users):
    chair = users.chair
    assert names(selectors.search_members(chair)) == ["Nguyễn Văn An", "Đặng Thị Mai"]
    assert names(selectors.search_members(chair, "nguyen")) == ["Nguyễn Văn An"]
    assert names(selectors.search_members(chair, people.dao.cccd)) == []
    assert selectors.get_member(chair, people.an.pk) == people.an
    for other in (people.binh, people.dao):
        with pytest.raises(Http404):
            selectors.get_member(chair, other.pk)
    with pytest.raises(Http404):
        selectors.get_member(chair, 999999)
    with pytest.raises(Http404):
        selectors.get_member(chair, "abc")


def test_a_province_clerk_sees_the_provinces_subtree(people, users):
    clerk = users.lc_clerk
    assert set(names(selectors.visible_members(clerk))) == {
        "Nguyễn Văn An",
        "Đặng Thị Mai",
        "Nguyễn Thị Bình",
        "Trần Văn An",
    }
    assert names(selectors.visible_members(users.ht_clerk)) == ["Lê Thị Đào"]
    assert not selectors.visible_members(users.nobody).exists()
    with pytest.raises(Http404):
        selectors.get_member(clerk, people.dao.pk)
    assert len(selectors.visible_members(users.admin)) == 5


def test_members_stay_visible_after_leaving(people, users):
    services.end_membership(None, people.an, Status.LEFT, day=D(2024, 1, 1), reason="Nghỉ")
    assert selectors.get_member(users.chair, people.an.pk).status == Status.LEFT


def test_duplicates_are_listed_where_one_of_the_pair_is_in_scope(people, users, tree):
    twin = add(tree.ht_g1, "Nguyễn Văn An", D(1985, 3, 4), "M")
    assert selectors.open_duplicates(users.chair).count() == 1
    assert selectors.open_duplicates(users.ht_clerk).count() == 1
    assert selectors.open_duplicates(users.nobody).count() == 0
    flag = selectors.open_duplicates(users.admin).get()
    assert {flag.member_id, flag.other_id} == {people.an.pk, twin.pk}


# --- masking ---------------------------------------------------------------------------------


def test_mask_keeps_the_ends_only():
    assert selectors.mask("001085012345") == "001••••••345"
    assert selectors.mask("0912345678", 3, 2) == "091•••••78"
    assert selectors.mask("12345") == "•••••"
    assert selectors.mask("") == ""


def test_masked_cccd_and_phone_and_who_sees_them(people, users):
    an = people.an
    assert selectors.masked_cccd(an) == an.cccd[:3] + "••••••" + an.cccd[-3:]
    assert selectors.masked_cccd(an) != an.cccd
    assert selectors.masked_phone(an) == "091•••••78"
    assert selectors.masked_phone(people.binh) == ""  # no phone recorded
    assert selectors.sees_personal_data(users.chair, an)
    assert selectors.sees_personal_data(users.lc_clerk, an)
    assert not selectors.sees_personal_data(users.lc_specialist, an)
    assert not selectors.sees_personal_data(users.ht_clerk, an)


# --- statistics ------------------------------------------------------------------------------

DAY = D(2024, 6, 15)


@pytest.fixture
def population(tree):
    """Members of Lào Cai around 15/06/2024, with their figures worked out by hand.

    On DAY: a, b, c, d, e are members of Lào Cai (f and i left, g not yet joined, h moved
    to Hà Tĩnh).
    """
    g1, g2 = tree.lc_g1, tree.lc_g2

    class P:
        a = add(g1, "Phạm Thị Thu", D(1994, 6, 15), "F", joined_on=D(2015, 1, 5))  # 30 on DAY
        b = add(g1, "Nông Văn Quý", D(1994, 6, 16), "M", ethnicity="Tày",
                joined_on=D(2016, 4, 1))  # 29 on DAY  # fmt: skip
        c = add(g2, "Sùng Thị Dợ", D(1964, 6, 15), "F", ethnicity="H'Mông",
                joined_on=D(2001, 3, 1))  # 60 on DAY  # fmt: skip
        d = add(g2, "Vũ Văn Thành", D(1964, 6, 16), "M", joined_on=D(2002, 1, 1))  # 59
        e = add(g1, "Đỗ Thị Hằng", D(1980, 1, 1), "F", joined_on=D(2024, 2, 1))  # 44, new
        f = add(g1, "Lý Văn Tiến", D(1985, 5, 5), "M", ethnicity="Dao", joined_on=D(2010, 1, 1))
        g = add(g2, "Hà Thị Lan", D(1990, 9, 9), "F", joined_on=D(2024, 7, 1))
        h = add(g2, "Triệu Văn Sơn", D(1975, 3, 3), "M", ethnicity="Dao",
                joined_on=D(2005, 5, 5))  # fmt: skip
        i = add(g1, "Giàng Thị Chi", D(1970, 2, 2), "F", ethnicity="H'Mông",
                joined_on=D(2003, 3, 3))  # fmt: skip

    services.end_membership(None, P.f, Status.LEFT, day=D(2024, 3, 1), reason="Nghỉ việc")
    services.end_membership(None, P.i, Status.DECEASED, day=D(2023, 12, 31))
    services.transfer_member(None, P.h, tree.ht_g1, day=D(2024, 5, 1))
    return P


def test_stats_on_a_day_counted_by_hand(tree, population):
    figures = selectors.stats(tree.lc, DAY)
    assert figures.as_dict() == {
        "unit": "LCI",
        "as_of": "2024-06-15",
        "members": 5,
        "women": 3,
        "ethnic_minorities": 2,
        "age_bands": {"<30": 1, "30-39": 1, "40-49": 1, "50-59": 1, "60+": 1},
        "new_this_year": 1,
        "left_this_year": 1,
    }
    assert figures.share(figures.women) == 60.0


def test_age_bands_move_on_the_birthday(tree, population):
    before = selectors.stats(tree.lc, DAY - dt.timedelta(days=1)).age_bands
    assert before == {"<30": 2, "30-39": 0, "40-49": 1, "50-59": 2, "60+": 0}
    after = selectors.stats(tree.lc, DAY + dt.timedelta(days=1)).age_bands
    assert after == {"<30": 0, "30-39": 2, "40-49": 1, "50-59": 0, "60+": 2}


def test_stats_follow_the_history(tree, population):
    # Before the transfer: h is still in Lào Cai; f has already left.
    april = selectors.stats(tree.lc, D(2024, 4, 30))
    assert (april.members, april.minorities, april.left_this_year) == (6, 3, 1)
    assert selectors.stats(tree.ht, DAY).members == 1
    assert selectors.stats(tree.ht, D(2024, 4, 30)).members == 0
    # Last day of 2023: i died that day (no longer counted, but left this year); e not yet.
    new_year_eve = selectors.stats(tree.lc, D(2023, 12, 31))
    assert (new_year_eve.members, new_year_eve.left_this_year) == (6, 1)
    assert new_year_eve.new_this_year == 0
    assert selectors.stats(tree.lc, D(2024, 1, 1)).left_this_year == 0
    # g joined on 01/07/2024: counted, and new that year.
    july = selectors.stats(tree.lc, D(2024, 7, 1))
    assert (july.members, july.new_this_year) == (6, 2)
    assert selectors.stats(tree.lc, D(1999, 1, 1)).members == 0


def test_stats_of_a_union_and_of_a_district(tree, population):
    assert selectors.stats(tree.lc_g1, DAY).members == 3  # a, b, e
    assert selectors.stats(tree.lc_d2, DAY).members == 2  # c, d
    assert selectors.stats(tree.lc_d2, DAY).women == 1
    assert selectors.stats(tree.root, DAY).members == 6
    empty = selectors.stats(tree.lc_d1, D(2000, 1, 1))
    assert (empty.members, empty.share(empty.women)) == (0, 0.0)


# --- the Django admin ------------------------------------------------------------------------


def test_the_admin_shows_members_read_only_without_personal_data(people):
    from django.test import Client

    from congdoan.accounts.models import User

    operator = User.objects.create_superuser(username="operator", password="mật-khẩu-dài-1")
    client = Client()
    client.force_login(operator)
    listing = client.get("/admin/members/member/", {"q": "dang thi"})
    assert listing.status_code == 200
    assert "Đặng Thị Mai" in listing.content.decode()
    assert "Nguyễn Văn An" not in listing.content.decode()
    page = client.get(f"/admin/members/member/{people.an.pk}/change/")
    assert page.status_code == 200
    assert people.an.cccd not in page.content.decode()
    assert "0912345678" not in page.content.decode()
    assert client.get("/admin/members/member/add/").status_code == 403
    assert client.get("/admin/members/membership/").status_code == 200
    assert client.get("/admin/members/duplicateflag/").status_code == 200
