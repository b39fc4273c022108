"""The emulation API as a client sees it: initiatives (submit, list, one, council, scores,
decision), awards and the report; errors (400 naming the field or author row, 403, 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from congdoan.accounts.permissions import Role
from congdoan.accounts.services import create_token
from congdoan.conftest import make_user
from congdoan.emulation import services
from congdoan.emulation.tests.conftest import council_of, recognise, submit
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date
BASE = "/api/v1"


@pytest.fixture
def api(users):
    def client_for(user):
        _token, secret = create_token(user, "test")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return client_for


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def body(**changes: Any) -> dict[str, Any]:
    data = {
        "unit": "LCI-D1-G1",
        "name": "Dạy tăng cường tiếng Việt cho học sinh lớp 6 người H'Mông",
        "field": "Giáo dục và đào tạo",
        "first_applied_on": "05/09/2024",
        "description": "Tổ chức 2 tiết/tuần đọc hiểu với tài liệu song ngữ.",
        "expected_benefit_vnd": "12.000.000",
        "applied_by": "Tổ Ngữ văn",
        "authors": [
            {"full_name": "Tẩn Thị Sấn", "birth_date": "02/11/1989", "contribution": 70,
             "qualification": "worker", "qualification_text": "Cao đẳng Sư phạm"},
            {"full_name": "Giàng A Páo", "birth_date": "1984-03-12", "contribution": "30",
             "qualification": "university"},
        ],
    }  # fmt: skip
    data.update(changes)
    return data


def test_submit_list_and_read(api, users, tree):
    chair = api(users.chair)
    response = post(chair, f"{BASE}/initiatives", body())
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["unit"] == "LCI-D1-G1"
    assert created["expected_benefit_vnd"] == 12_000_000
    assert created["first_applied_on"] == "2024-09-05"
    assert [(a["full_name"], a["contribution"]) for a in created["authors"]] == [
        ("Tẩn Thị Sấn", 70.0),
        ("Giàng A Páo", 30.0),
    ]
    assert created["history"][0]["message"] == "Initiative submitted"
    assert created["certificate_url"] is None
    listed = api(users.lc_specialist).get(f"{BASE}/initiatives", {"unit": "LCI-D1"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == created["id"]
    assert api(users.chair).get(f"{BASE}/initiatives", {"mine": "true"}).json()["count"] == 1
    assert api(users.ht_clerk).get(f"{BASE}/initiatives").json()["count"] == 0
    assert api(users.ht_clerk).get(f"{BASE}/initiatives/{created['id']}").status_code == 404
    assert api(users.ht_clerk).get(f"{BASE}/initiatives", {"unit": "LCI"}).status_code == 404
    bad_status = api(users.lc_clerk).get(f"{BASE}/initiatives", {"status": "won"})
    assert bad_status.status_code == 400 and "status" in bad_status.json()["errors"]


def test_submit_errors_name_the_field_and_author_row(api, users):
    chair = api(users.chair)
    authors = body()["authors"]
    authors[1]["contribution"] = 20
    response = post(chair, f"{BASE}/initiatives", body(authors=authors))
    assert response.status_code == 400
    assert response.json()["errors"]["authors"] == [
        "The contributions add up to 90%; they must add up to exactly 100%."
    ]
    authors[1]["contribution"] = 0
    response = post(chair, f"{BASE}/initiatives", body(authors=authors))
    assert response.json()["errors"]["authors"] == [
        "author 2: the contribution must be more than 0%"
    ]
    response = post(chair, f"{BASE}/initiatives", body(unit="HTH-G1"))
    assert response.status_code == 400
    assert response.json()["errors"]["unit"] == ["No unit has the code “HTH-G1”."]
    response = post(chair, f"{BASE}/initiatives", body(name=" ", expected_benefit_vnd="nhiều"))
    assert set(response.json()["errors"]) == {"name", "expected_benefit_vnd"}
    nobody = post(api(users.nobody), f"{BASE}/initiatives", body())
    assert nobody.status_code == 400  # no unit in scope: the unit is unknown to them
    assert Client().get(f"{BASE}/initiatives").status_code == 401


def test_member_link_in_the_api(api, users, tree):
    member = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    authors = [{"member": member.pk, "contribution": 100, "qualification": "university"}]
    response = post(api(users.chair), f"{BASE}/initiatives", body(authors=authors))
    assert response.status_code == 201
    [row] = response.json()["authors"]
    assert (row["member"], row["full_name"], row["birth_date"]) == (
        member.pk,
        "Giàng A Páo",
        "1984-03-12",
    )


@pytest.fixture
def before_council(tree, users):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    author_user = make_user("san")
    author_user.full_name = "Tẩn Thị Sấn"
    author_user.save()
    council = council_of(tree.lc, 2026)
    services.add_council_member(None, council, leader, role="chair")
    services.add_council_member(None, council, author_user)
    return council, leader, author_user


def test_council_scores_and_decision(api, users, before_council):
    council, leader, author_user = before_council
    created = post(api(users.chair), f"{BASE}/initiatives", body()).json()
    url = f"{BASE}/initiatives/{created['id']}"
    # The province's council is out of a grassroots chair's sight; a specialist sees it but
    # does not manage it.
    assert post(api(users.chair), f"{url}/council", {"council": council.pk}).status_code == 400
    specialist = post(api(users.lc_specialist), f"{url}/council", {"council": council.pk})
    assert specialist.status_code == 403
    missing = post(api(users.lc_clerk), f"{url}/council", {"council": 999})
    assert missing.status_code == 400 and "council" in missing.json()["errors"]
    response = post(api(users.lc_clerk), f"{url}/council", {"council": council.pk})
    assert response.status_code == 200 and response.json()["status"] == "review"

    scores = {"novelty": 80, "applicability": "70,5", "benefit": 90, "note": "Hiệu quả"}
    response = post(api(leader), f"{url}/scores", scores)
    assert response.status_code == 200, response.content
    assert response.json()["scores"] == {"novelty": 80.0, "applicability": 70.5, "benefit": 90.0}
    assert response.json()["council_means"]["applicability"] == 70.5
    # The author on the council cannot score their own; someone off the council neither.
    conflict = post(api(author_user), f"{url}/scores", scores)
    assert conflict.status_code == 403 and "never scores their own" in conflict.json()["detail"]
    assert post(api(users.lc_clerk), f"{url}/scores", scores).status_code == 403
    assert post(api(users.ht_clerk), f"{url}/scores", scores).status_code == 404
    bad = post(api(leader), f"{url}/scores", {**scores, "novelty": 120})
    assert bad.status_code == 400 and bad.json()["errors"]["novelty"]

    decision = {
        "recognised": True,
        "decided_on": dt.date.today().strftime("%d/%m/%Y"),
        "decision_reference": "Quyết định số 45/QĐ-LĐLĐ",
        "benefit_vnd": 125_000_000,
        "scope": "province",
    }
    assert post(api(users.chair), f"{url}/decision", decision).status_code == 403
    missing_scope = post(api(users.lc_clerk), f"{url}/decision", {**decision, "scope": ""})
    assert missing_scope.status_code == 400 and "scope" in missing_scope.json()["errors"]
    response = post(api(users.lc_clerk), f"{url}/decision", decision)
    assert response.status_code == 200, response.content
    decided = response.json()
    assert (decided["status"], decided["benefit_vnd"], decided["scope"]) == (
        "recognised",
        125_000_000,
        "province",
    )
    assert decided["certificate_url"].endswith("/certificate.pdf")
    assert decided["history"][0]["changes"]["status"] == ["review", "recognised"]
    again = post(api(users.lc_clerk), f"{url}/decision", decision)
    assert again.status_code == 400


def test_not_recognised_by_api(api, users, tree, before_council):
    council, *_ = before_council
    initiative = submit(tree.lc_g1)
    services.put_before_council(None, initiative, council)
    url = f"{BASE}/initiatives/{initiative.pk}/decision"
    decision = {"recognised": False, "decided_on": dt.date.today().isoformat(),
                "decision_reference": "QĐ 46"}  # fmt: skip
    response = post(api(users.lc_clerk), url, decision)
    assert response.status_code == 400 and "reasons" in response.json()["errors"]
    response = post(api(users.lc_clerk), url, {**decision, "reasons": "Không có tính mới"})
    assert response.json()["status"] == "rejected"
    assert response.json()["decision_reasons"] == "Không có tính mới"


def test_awards_api(api, users, tree):
    member = make_member(tree.lc_g1, full_name="Tẩn Thị Sấn", birth_date=D(1989, 11, 2))
    clerk = api(users.lc_clerk)
    created = post(clerk, f"{BASE}/awards", {
        "form": "bang-khen-ldld", "granted_by": "LCI", "member": member.pk,
        "decision_reference": "Quyết định số 1201/QĐ-LĐLĐ", "decided_on": "20/12/2024",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    assert (created.json()["person"], created.json()["unit"]) == ("Tẩn Thị Sấn", "LCI-D1-G1")
    post(clerk, f"{BASE}/awards", {
        "form": "co-thi-dua-ldld", "granted_by": "LCI", "unit": "LCI-D2-G1",
        "decision_reference": "QĐ 1250/QĐ-LĐLĐ", "decided_on": "2023-12-28",
    })  # fmt: skip
    everything = clerk.get(f"{BASE}/awards", {"unit": "LCI"}).json()
    assert everything["count"] == 2
    period = clerk.get(f"{BASE}/awards", {"unit": "LCI", "from": "2024-01-01", "to": "2024-12-31"})
    assert [a["form"] for a in period.json()["items"]] == ["bang-khen-ldld"]
    assert clerk.get(f"{BASE}/awards", {"unit": "LCI-D2"}).json()["count"] == 1
    assert api(users.ht_clerk).get(f"{BASE}/awards").json()["count"] == 0
    assert api(users.ht_clerk).get(f"{BASE}/awards", {"unit": "LCI"}).status_code == 404
    backwards = clerk.get(f"{BASE}/awards", {"from": "2024-12-31", "to": "2024-01-01"})
    assert backwards.status_code == 400
    errors = post(clerk, f"{BASE}/awards", {
        "form": "nope", "granted_by": "LCI", "unit": "LCI", "decision_reference": "x",
        "decided_on": "2024-01-01",
    })  # fmt: skip
    assert errors.status_code == 400 and "form" in errors.json()["errors"]
    person_form_to_unit = post(clerk, f"{BASE}/awards", {
        "form": "lao-dong-sang-tao", "granted_by": "TLD", "unit": "LCI-D1-G1",
        "decision_reference": "x", "decided_on": "2024-01-01",
    })  # fmt: skip
    assert "person_name" in person_form_to_unit.json()["errors"]


def test_report_api(api, users, tree):
    recognise(submit(tree.lc_g1, submitted_on=D(2024, 1, 5)), 20_000_000, D(2024, 2, 1))
    clerk = api(users.lc_clerk)
    report = clerk.get(f"{BASE}/emulation/report", {"unit": "LCI", "from": "2018-01-01"}).json()
    assert report["unit"] == "LCI" and report["from"] == "2018-01-01"
    assert (report["initiatives_recognised"], report["benefit_vnd"]) == (1, 20_000_000)
    assert report["by_unit"] == [
        {"unit": "LCI-D1", "name": tree.lc_d1.name, "own": False, "submitted": 1,
         "recognised": 1, "benefit_vnd": 20_000_000, "awards": 0}
    ]  # fmt: skip
    assert report["by_year"][0]["year"] == 2018
    default = clerk.get(f"{BASE}/emulation/report").json()
    assert default["unit"] == "LCI" and default["from"].endswith("-01-01")
    assert api(users.ht_clerk).get(f"{BASE}/emulation/report", {"unit": "LCI"}).status_code == 404
    assert api(users.nobody).get(f"{BASE}/emulation/report").status_code == 404
    backwards = clerk.get(f"{BASE}/emulation/report", {"from": "2025-01-01", "to": "2024-01-01"})
    assert backwards.status_code == 400
