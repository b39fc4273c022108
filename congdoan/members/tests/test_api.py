"""The members API: list and search, a member with masked or audited personal data, adding,
transfers, the statistics of a unit, scopes (404), field errors (400), rights (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from congdoan.accounts.services import create_token
from congdoan.core.audit import entries_for
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry
from congdoan.members import services
from congdoan.members.models import Member, Status
from congdoan.members.tests.conftest import make_member

D = dt.date
AN_CCCD = make_cccd("010", "M", 1985, 123456)


def add(unit: Any, name: str, birth: dt.date, sex: str, **extra: Any) -> Member:
    """A member who joined on 01/09/2012, with a matching CCCD unless one is given."""
    extra.setdefault("joined_on", D(2012, 9, 1))
    return make_member(unit, full_name=name, birth_date=birth, sex=sex, **extra)


@pytest.fixture
def api(users):
    def client_for(user):
        _token, secret = create_token(user, "test")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages checked in English
        return client

    return client_for


@pytest.fixture
def people(tree):
    class People:
        an = add(tree.lc_g1, "Nguyễn Văn An", D(1985, 3, 4), "M", cccd=AN_CCCD,
                 phone="0912345678", card_number="LC-0001", joined_on=D(2010, 5, 1))  # fmt: skip
        mai = add(tree.lc_g1, "Đặng Thị Mai", D(1991, 8, 19), "F", ethnicity="Dao")
        binh = add(tree.lc_g2, "Nguyễn Thị Bình", D(1979, 12, 1), "F", ethnicity="Tày")
        dao = add(tree.ht_g1, "Lê Thị Đào", D(1988, 2, 2), "F",
                  cccd=make_cccd("042", "F", 1988, 654321))  # fmt: skip

    return People


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


NEW = {
    "unit": "LCI-D1-G1",
    "full_name": "Vàng Thị Dung",
    "birth_date": "1996-04-30",
    "sex": "F",
    "ethnicity": "H'Mông",
    "cccd": make_cccd("010", "F", 1996, 777001),
    "phone": "0978 111 222",
    "joined_on": "2019-10-01",
    "card_number": "LC-0777",
    "job": "Giáo viên mầm non",
}


# --- authentication and list -------------------------------------------------------------


def test_requires_a_token(people):
    assert Client().get("/api/v1/members").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer cds_not-a-real-token")
    assert bad.get(f"/api/v1/members/{people.an.pk}").status_code == 401
    assert post(Client(), "/api/v1/members", NEW).status_code == 401


def test_list_is_scoped_sorted_and_masked(api, people, users):
    data = api(users.chair).get("/api/v1/members").json()
    assert data["count"] == 2
    assert [m["full_name"] for m in data["items"]] == ["Nguyễn Văn An", "Đặng Thị Mai"]
    an = data["items"][0]
    assert an["id"] == people.an.pk
    assert an["unit"] == "LCI-D1-G1"
    assert an["cccd"] == AN_CCCD[:3] + "••••••" + AN_CCCD[-3:]
    assert an["phone"] == "091•••••78"
    assert an["card_number"] == "LC-0001"
    assert AN_CCCD not in str(data) and "0912345678" not in str(data)
    clerk = api(users.lc_clerk).get("/api/v1/members").json()
    assert clerk["count"] == 3  # the province's subtree, not Hà Tĩnh
    assert api(users.nobody).get("/api/v1/members").json()["count"] == 0


def test_search_filters_and_pages(api, people, users):
    client = api(users.admin)

    def found(**params):
        return [m["full_name"] for m in client.get("/api/v1/members", params).json()["items"]]

    assert found(q="nguyen van an") == ["Nguyễn Văn An"]
    assert found(q="dang") == ["Đặng Thị Mai"]
    assert found(q=AN_CCCD) == ["Nguyễn Văn An"]
    assert found(q="0912345678") == ["Nguyễn Văn An"]
    assert found(q="LC-0001") == ["Nguyễn Văn An"]
    assert found(unit="LCI-D2") == ["Nguyễn Thị Bình"]
    assert found(unit="HTH", q="dao") == ["Lê Thị Đào"]
    services.end_membership(None, people.mai, Status.LEFT, day=D(2024, 1, 1), reason="Nghỉ")
    assert found(unit="LCI-D1-G1", status="left") == ["Đặng Thị Mai"]
    assert found(unit="LCI-D1-G1", status="active") == ["Nguyễn Văn An"]
    first = client.get("/api/v1/members", {"page_size": 3}).json()
    second = client.get("/api/v1/members", {"page_size": 3, "page": 2}).json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == 3
    assert [m["full_name"] for m in second["items"]] == ["Đặng Thị Mai"]  # An, Bình, Đào, Mai


def test_list_filter_out_of_scope_or_bad(api, people, users):
    client = api(users.chair)
    assert client.get("/api/v1/members", {"unit": "HTH"}).status_code == 404
    assert client.get("/api/v1/members", {"unit": "NOPE"}).status_code == 404
    response = client.get("/api/v1/members", {"status": "gone"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


# --- one member ----------------------------------------------------------------------------


def test_member_out_of_scope_is_404(api, people, users):
    client = api(users.chair)
    assert client.get(f"/api/v1/members/{people.an.pk}").status_code == 200
    assert client.get(f"/api/v1/members/{people.binh.pk}").status_code == 404
    assert client.get(f"/api/v1/members/{people.dao.pk}").status_code == 404
    assert client.get("/api/v1/members/999999").status_code == 404
    assert api(users.nobody).get(f"/api/v1/members/{people.an.pk}").status_code == 404


def test_personal_data_unmasked_only_with_the_right_and_then_audited(api, people, users):
    an = people.an
    masked = api(users.lc_specialist).get(f"/api/v1/members/{an.pk}").json()
    assert masked["personal_data"] is False
    assert masked["cccd"] == AN_CCCD[:3] + "••••••" + AN_CCCD[-3:]
    assert masked["phone"] == "091•••••78"
    assert not entries_for(an).filter(action=AuditEntry.Action.VIEW).exists()

    data = api(users.lc_clerk).get(f"/api/v1/members/{an.pk}").json()
    assert data["personal_data"] is True
    assert data["cccd"] == AN_CCCD
    assert data["phone"] == "0912345678"
    view = entries_for(an).filter(action=AuditEntry.Action.VIEW).get()
    assert view.actor == users.lc_clerk
    assert data["full_name"] == "Nguyễn Văn An"
    assert data["unit"] == "LCI-D1-G1"
    assert data["birth_date"] == "1985-03-04"
    assert data["history"] == [
        {
            "unit": "LCI-D1-G1",
            "unit_name": "Công đoàn cơ sở Trường THCS Bản Vược",
            "valid_from": "2010-05-01",
            "valid_to": None,
            "start": "joined",
            "end": "",
            "event": None,
            "note": "",
        }
    ]


# --- adding ------------------------------------------------------------------------------------


def test_create_a_member(api, users):
    response = post(api(users.chair), "/api/v1/members", NEW)
    assert response.status_code == 201, response.content
    data = response.json()
    member = Member.objects.get(pk=data["id"])
    assert member.full_name == "Vàng Thị Dung"
    assert member.ethnicity == "H'Mông"
    assert member.phone == "0978111222"
    assert member.unit.code == "LCI-D1-G1"
    assert data["history"][0]["valid_from"] == "2019-10-01"
    assert data["job"] == "Giáo viên mầm non"
    assert entries_for(member).get().actor == users.chair


def test_create_with_the_year_of_birth_only(api, users):
    body = {**NEW, "birth_date": "1996-07-15", "birth_year_only": True}
    response = post(api(users.chair), "/api/v1/members", body)
    assert response.status_code == 201, response.content
    member = Member.objects.get(pk=response.json()["id"])
    assert (member.birth_date, member.birth_year_only) == (D(1996, 1, 1), True)


def test_bad_member_is_400_with_the_fields_and_nothing_is_written(api, users):
    client = api(users.lc_clerk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    cases = [
        ({"cccd": make_cccd("010", "F", 1995, 777001)}, "cccd", "1995"),
        ({"cccd": make_cccd("010", "M", 1996, 777001)}, "cccd", "sex"),
        ({"cccd": "0101960777"}, "cccd", "12 digits"),
        ({"joined_on": "2008-01-01"}, "joined_on", "minimum age"),
        ({"joined_on": tomorrow}, "joined_on", "future"),
        ({"phone": "12"}, "phone", "phone number"),
        ({"unit": "LCI-D1"}, "unit", "not a grassroots union"),
        ({"unit": "HTH-G1"}, "unit", "No union"),  # out of the clerk's scope
        ({"unit": "NOPE"}, "unit", "No union"),
    ]
    for change, field, words in cases:
        response = post(client, "/api/v1/members", {**NEW, **change})
        assert response.status_code == 400, (change, response.content)
        errors = response.json()["errors"]
        assert field in errors, (change, errors)
        assert words in " ".join(errors[field]), (change, errors)
    assert not Member.objects.exists()


def test_the_same_cccd_twice_is_400(api, people, users):
    response = post(api(users.chair), "/api/v1/members", {**NEW, "cccd": people.dao.cccd,
                                                          "birth_date": "1988-02-02"})  # fmt: skip
    assert response.status_code == 400
    assert people.dao.cccd in response.json()["errors"]["cccd"][0]


def test_create_without_the_right_is_403(api, users):
    response = post(api(users.lc_specialist), "/api/v1/members", NEW)
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_missing_fields_are_refused(api, users):
    body = {k: v for k, v in NEW.items() if k != "full_name"}
    response = post(api(users.chair), "/api/v1/members", body)
    assert response.status_code in (400, 422)
    assert "full_name" in response.content.decode()
    assert not Member.objects.exists()


# --- transfers -----------------------------------------------------------------------------------


def test_transfer(api, people, users):
    client = api(users.lc_clerk)
    body = {"unit": "LCI-D2-G1", "date": "2021-09-01", "note": "Quyết định số 7/QĐ-CĐ"}
    response = post(client, f"/api/v1/members/{people.an.pk}/transfer", body)
    assert response.status_code == 200, response.content
    assert response.json()["unit"] == "LCI-D2-G1"
    assert response.json()["cccd"] != AN_CCCD  # masked
    history = client.get(f"/api/v1/members/{people.an.pk}").json()["history"]
    assert [(p["unit"], p["valid_from"], p["valid_to"]) for p in history] == [
        ("LCI-D1-G1", "2010-05-01", "2021-09-01"),
        ("LCI-D2-G1", "2021-09-01", None),
    ]
    assert history[1]["note"] == "Quyết định số 7/QĐ-CĐ"


def test_a_chair_transfers_out_of_scope_and_then_gets_404(api, people, users):
    client = api(users.chair)
    response = post(client, f"/api/v1/members/{people.an.pk}/transfer",
                    {"unit": "HTH-G1", "date": "2022-01-01"})  # fmt: skip
    assert response.status_code == 200, response.content
    assert client.get(f"/api/v1/members/{people.an.pk}").status_code == 404
    assert [m["full_name"] for m in client.get("/api/v1/members").json()["items"]] == [
        "Đặng Thị Mai"
    ]
    assert api(users.ht_clerk).get(f"/api/v1/members/{people.an.pk}").status_code == 200


def test_bad_transfer_is_400_with_the_fields(api, people, users):
    client = api(users.chair)
    url = f"/api/v1/members/{people.an.pk}/transfer"
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    cases = [
        ({"unit": "LCI-D2-G1", "date": tomorrow}, "date"),
        ({"unit": "LCI-D2-G1", "date": "2009-01-01"}, "date"),  # before they joined
        ({"unit": "LCI-D2", "date": "2020-01-01"}, "unit"),
        ({"unit": "LCI-D1-G1", "date": "2020-01-01"}, "unit"),
        ({"unit": "NOPE", "date": "2020-01-01"}, "unit"),
    ]
    for body, field in cases:
        response = post(client, url, body)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    people.an.refresh_from_db()
    assert people.an.unit.code == "LCI-D1-G1"
    assert people.an.memberships.count() == 1


def test_transfer_scope_and_rights(api, people, users):
    body = {"unit": "LCI-D2-G1", "date": "2020-01-01"}
    response = post(api(users.chair), f"/api/v1/members/{people.binh.pk}/transfer", body)
    assert response.status_code == 404
    response = post(api(users.lc_specialist), f"/api/v1/members/{people.an.pk}/transfer", body)
    assert response.status_code == 403
    people.an.refresh_from_db()
    assert people.an.unit.code == "LCI-D1-G1"


# --- statistics ----------------------------------------------------------------------------------


def test_unit_stats(api, people, users):
    client = api(users.lc_specialist)
    data = client.get("/api/v1/org/units/LCI/stats", {"as_of": "2015-01-01"}).json()
    assert data == {
        "unit": "LCI",
        "as_of": "2015-01-01",
        "members": 3,
        "women": 2,
        "ethnic_minorities": 2,
        "age_bands": {"<30": 2, "30-39": 1, "40-49": 0, "50-59": 0, "60+": 0},
        "new_this_year": 0,
        "left_this_year": 0,
    }
    early = client.get("/api/v1/org/units/LCI/stats", {"as_of": "2011-01-01"}).json()
    assert early["members"] == 1  # only An had joined
    today = client.get("/api/v1/org/units/LCI-D1/stats").json()
    assert today["as_of"] == timezone.localdate().isoformat()
    assert today["members"] == 2


def test_unit_stats_scope(api, people, users):
    chair = api(users.chair)
    assert chair.get("/api/v1/org/units/LCI-D1-G1/stats").json()["members"] == 2
    assert chair.get("/api/v1/org/units/LCI/stats").status_code == 404
    assert chair.get("/api/v1/org/units/HTH-G1/stats").status_code == 404
    assert chair.get("/api/v1/org/units/NOPE/stats").status_code == 404
    assert api(users.nobody).get("/api/v1/org/units/LCI/stats").status_code == 404
    response = chair.get("/api/v1/org/units/LCI-D1-G1/stats", {"as_of": "31/02/2020"})
    assert response.status_code in (400, 422)


# --- documentation ---------------------------------------------------------------------------


def test_openapi_lists_the_member_paths(api, users):
    schema = api(users.admin).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/members"]) == {"get", "post"}
    assert "get" in paths["/api/v1/members/{member_id}"]
    assert "post" in paths["/api/v1/members/{member_id}/transfer"]
    assert "get" in paths["/api/v1/org/units/{code}/stats"]
    assert "/api/v1/org/units/{code}/tree" in paths  # the org API is still there
