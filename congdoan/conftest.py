"""Shared fixtures: a small federation and named users holding roles in it."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.accounts.models import User
from congdoan.accounts.permissions import Role
from congdoan.accounts.services import grant_role
from congdoan.org import services
from congdoan.org.models import UnitKind
from congdoan.org.services import NewUnit

D = dt.date
BASIS = "Quyết định số 01/QĐ-TLĐ"


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    settings.AXES_ENABLED = True


def kind(code: str) -> UnitKind:
    return UnitKind.objects.get(code=code)


def make_unit(code, name, kind_code, parent, since=None, abbreviation=""):
    since = since or D(2000, 1, 1)
    _event, unit = services.create_unit(
        None,
        NewUnit(
            code=code, name=name, kind=kind(kind_code), parent=parent, abbreviation=abbreviation
        ),
        effective_date=since,
        legal_basis=BASIS,
    )
    return unit


class Tree:
    """TLĐ → two provinces → districts → grassroots unions, and departments."""

    def __init__(self) -> None:
        self.root = make_unit("TLD", "Tổng Liên đoàn Lao động Việt Nam", "confederation", None,
                              D(1929, 7, 28), "TLĐ")  # fmt: skip
        self.lc = make_unit("LCI", "Liên đoàn Lao động tỉnh Lào Cai", "province", self.root,
                            D(1991, 10, 1), "LĐLĐ")  # fmt: skip
        self.ht = make_unit("HTH", "Liên đoàn Lao động tỉnh Hà Tĩnh", "province", self.root,
                            D(1991, 9, 1), "LĐLĐ")  # fmt: skip
        self.lc_vp = make_unit("LCI-VP", "Văn phòng", "department", self.lc, D(1991, 10, 1), "VP")
        self.lc_d1 = make_unit("LCI-D1", "Liên đoàn Lao động huyện Bát Xát", "district", self.lc)
        self.lc_d2 = make_unit("LCI-D2", "Liên đoàn Lao động huyện Sa Pa", "district", self.lc)
        self.lc_g1 = make_unit("LCI-D1-G1", "Công đoàn cơ sở Trường THCS Bản Vược", "grassroots",
                               self.lc_d1)  # fmt: skip
        self.lc_g2 = make_unit("LCI-D2-G1", "Công đoàn cơ sở Khu du lịch Fansipan", "grassroots",
                               self.lc_d2)  # fmt: skip
        self.ht_g1 = make_unit("HTH-G1", "Công đoàn cơ sở Bảo hiểm Xã hội tỉnh Hà Tĩnh",
                               "grassroots", self.ht)  # fmt: skip

    def refresh(self) -> None:
        for value in vars(self).values():
            value.refresh_from_db()


@pytest.fixture
def tree(db) -> Tree:
    return Tree()


def make_user(username: str, role: str | None = None, unit=None, password: str = "mật-khẩu-dài-1"):  # noqa: S107
    user = User.objects.create_user(username=username, password=password, full_name=username)
    if role:
        grant_role(None, user=user, unit=unit, role=role)
    return user


@pytest.fixture
def users(tree):
    class Users:
        admin = make_user("admin", Role.ADMIN, tree.root)
        lc_clerk = make_user("lc.clerk", Role.CLERK, tree.lc)
        lc_specialist = make_user("lc.specialist", Role.SPECIALIST, tree.lc)
        ht_clerk = make_user("ht.clerk", Role.CLERK, tree.ht)
        chair = make_user("chair", Role.CHAIR, tree.lc_g1)
        nobody = make_user("nobody")

    return Users
