"""The JSON API: bearer tokens, scopes, the tree as of a date, events and streamlining."""

import pytest
from django.test import Client

from congdoan.accounts.services import create_token, revoke_token


@pytest.fixture
def api(users):
    def client_for(user):
        _token, secret = create_token(user, "test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return client_for


def test_requires_a_token(tree):
    assert Client().get("/api/v1/org/units").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer cds_not-a-real-token")
    assert bad.get("/api/v1/org/units").status_code == 401


def test_revoked_token_stops_working(users):
    token, secret = create_token(users.lc_clerk, "x")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/org/units").status_code == 200
    revoke_token(users.lc_clerk, token.pk)
    assert client.get("/api/v1/org/units").status_code == 401


def test_search_without_diacritics_is_scoped(api, users):
    response = api(users.lc_clerk).get("/api/v1/org/units", {"q": "lien doan lao dong"})
    codes = [item["code"] for item in response.json()["items"]]
    assert codes == ["LCI", "LCI-D1", "LCI-D2"]  # not Hà Tĩnh's, not the confederation
    response = api(users.admin).get("/api/v1/org/units", {"q": "Bảo hiểm", "kind": "grassroots"})
    assert [i["code"] for i in response.json()["items"]] == ["HTH-G1"]


def test_filter_by_parent(api, users):
    response = api(users.admin).get("/api/v1/org/units", {"parent": "LCI"})
    assert sorted(i["code"] for i in response.json()["items"]) == ["LCI-D1", "LCI-D2", "LCI-VP"]


def test_out_of_scope_unit_is_404(api, users):
    client = api(users.chair)
    assert client.get("/api/v1/org/units/LCI-D1-G1").status_code == 200
    assert client.get("/api/v1/org/units/LCI-D1").status_code == 404
    assert client.get("/api/v1/org/units/HTH").status_code == 404
    assert client.get("/api/v1/org/units/NOPE").status_code == 404


def test_unit_detail_counts(api, users):
    data = api(users.admin).get("/api/v1/org/units/LCI").json()
    assert data["kind"] == "province"
    assert data["children"] == 3
    assert data["subtree_units"] == 5


def test_tree_as_of_a_past_date(api, users):
    client = api(users.admin)
    payload = {
        "kind": "move",
        "effective_date": "2020-01-01",
        "legal_basis": "Quyết định số 12/QĐ-LĐLĐ",
        "unit": "LCI-D1-G1",
        "parent": "LCI-D2",
    }
    response = client.post("/api/v1/org/events", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert {u["code"] for u in response.json()["units"]} == {"LCI-D1-G1", "LCI-D2"}
    old = client.get("/api/v1/org/units/LCI/tree", {"as_of": "2019-06-01"}).json()
    new = client.get("/api/v1/org/units/LCI/tree", {"as_of": "2020-06-01"}).json()

    def kids(tree, code):
        node = next(c for c in tree["children"] if c["code"] == code)
        return [c["code"] for c in node["children"]]

    assert kids(old, "LCI-D1") == ["LCI-D1-G1"]
    assert kids(new, "LCI-D1") == []
    assert sorted(kids(new, "LCI-D2")) == ["LCI-D1-G1", "LCI-D2-G1"]
    assert client.get("/api/v1/org/units/LCI/tree", {"as_of": "1980-01-01"}).status_code == 404


def test_bad_event_names_the_field_and_changes_nothing(api, users):
    client = api(users.lc_clerk)
    response = client.post(
        "/api/v1/org/events",
        {"kind": "dissolve", "effective_date": "2025-07-01", "legal_basis": "x", "unit": "LCI-D1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "receiver" in response.json()["errors"]
    response = client.post(
        "/api/v1/org/events",
        {"kind": "move", "effective_date": "2020-01-01", "legal_basis": "x", "unit": "LCI-D1",
         "parent": "LCI-D1-G1"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "parent" in response.json()["errors"]
    assert client.get("/api/v1/org/units/LCI-D1").json()["parent"] == "LCI"


def test_specialist_may_read_but_not_record(api, users):
    client = api(users.lc_specialist)
    assert client.get("/api/v1/org/units/LCI").status_code == 200
    response = client.post(
        "/api/v1/org/events",
        {"kind": "rename", "effective_date": "2020-01-01", "legal_basis": "x", "unit": "LCI-D1",
         "name": "Tên mới"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_streamlining(api, users):
    client = api(users.admin)
    client.post(
        "/api/v1/org/events",
        {"kind": "dissolve", "effective_date": "2025-07-01", "legal_basis": "Kết luận 127-KL/TW",
         "unit": "LCI-D1", "receiver": "LCI"},
        content_type="application/json",
    )  # fmt: skip
    data = client.get("/api/v1/org/units/LCI/streamlining", {"since": "2025-01-01"}).json()
    assert data["units_removed"] == 1
    assert data["removed_by_kind"] == [
        {"kind": "district", "kind_name": "Liên đoàn Lao động huyện, quận", "count": 1}
    ]
    assert data["events"][0]["legal_basis"] == "Kết luận 127-KL/TW"


def test_openapi_document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/org/units",
        "/api/v1/org/units/{code}",
        "/api/v1/org/units/{code}/tree",
        "/api/v1/org/events",
        "/api/v1/org/units/{code}/streamlining",
    ]:
        assert path in paths
