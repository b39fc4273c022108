"""The documents API as a client sees it: search, a document and its scope, drafting to issue,
the inbox, registering incoming documents, processing, symbols, authentication."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from congdoan.accounts.permissions import Role
from congdoan.accounts.services import create_token
from congdoan.conftest import make_user
from congdoan.documents import services

pytestmark = pytest.mark.django_db

BASE = "/api/v1/documents"
SUBJECT = "Tổ chức các hoạt động Tháng Công nhân năm 2026"


@pytest.fixture
def api(users):
    def client_for(user):
        _token, secret = create_token(user, "test")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages checked in English
        return client

    return client_for


@pytest.fixture
def leader(tree):
    return make_user("lc.leader", Role.LEADER, tree.lc)


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def draft_body(**changes: Any) -> dict[str, Any]:
    body = {
        "unit": "LCI",
        "doc_type": "KH",
        "subject": SUBJECT,
        "summary": "Kế hoạch triển khai Tháng Công nhân",
        "body": "Thực hiện Kế hoạch của Tổng Liên đoàn…",
        "signer_name": "Nguyễn Hữu Long",
        "signer_position": "CHỦ TỊCH",
        "signer_authority": "TM. BAN THƯỜNG VỤ",
        "drafting_unit": "LCI-VP",
        "copies": 3,
        "legal_references": "Kế hoạch số 45/KH-TLĐ",
        "recipients": [{"unit": "LCI", "mode": "grassroots"}],
    }
    body.update(changes)
    return body


def issued_by_services(unit, **overrides):
    """A document issued without the API, for tests about reading."""
    data = {
        "doc_type": "KH",
        "subject": SUBJECT,
        "recipient_spec": [{"unit": unit.code, "mode": "grassroots"}],
    }
    data.update(overrides)
    document = services.create_outgoing(None, unit, data)
    services.submit_for_signature(None, document)
    services.sign(None, document)
    return services.issue(None, document).document


def incoming_form(**changes: Any) -> dict[str, Any]:
    form = {
        "unit": "LCI",
        "doc_type": "NĐ",
        "symbol": "30/2020/NĐ-CP",
        "issuer_name": "Chính phủ",
        "issued_on": "05/03/2020",
        "subject": "Về công tác văn thư",
        "urgency": "0",
        "source": "paper",
    }
    form.update(changes)
    return form


# --- authentication --------------------------------------------------------------------------


def test_unauthenticated_is_401(tree):
    anonymous = Client()
    assert anonymous.get(f"{BASE}/search").status_code == 401
    assert anonymous.get(f"{BASE}/symbol", {"parse": "704/HD-TLĐ"}).status_code == 401
    assert anonymous.get(f"{BASE}/inbox").status_code == 401
    assert post(anonymous, f"{BASE}/outgoing", draft_body()).status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer cds_not-a-real-token")
    assert bad.get(f"{BASE}/search").status_code == 401


def test_token_and_session_both_work(api, users):
    assert api(users.lc_clerk).get(f"{BASE}/search").status_code == 200
    browser = Client()
    browser.force_login(users.lc_clerk)
    assert browser.get(f"{BASE}/search").status_code == 200


# --- search and reading ----------------------------------------------------------------------


def test_search_with_and_without_diacritics_stays_in_scope(api, tree, users):
    ours = issued_by_services(tree.lc)
    theirs = issued_by_services(tree.ht)  # the same subject in Hà Tĩnh
    client = api(users.lc_clerk)

    def found(**params: Any) -> list[int]:
        response = client.get(f"{BASE}/search", params)
        assert response.status_code == 200, response.json()
        return [d["id"] for d in response.json()["items"]]

    assert found(q="tháng công nhân") == [ours.pk]
    assert found(q="thang cong nhan") == [ours.pk]
    assert found(q="THANG CONG NHAN 2026") == [ours.pk]
    assert theirs.pk not in found()
    assert found(q="thang cong nhan", type="KH", status="issued") == [ours.pk]
    assert found(q="thang cong nhan", type="HD") == []
    today = timezone.localdate()
    assert found(**{"from": today.isoformat(), "to": today.isoformat()}) == [ours.pk]
    assert found(**{"from": (today + dt.timedelta(days=1)).isoformat()}) == []
    assert found(issuer="Lào Cai") == [ours.pk]
    item = client.get(f"{BASE}/search", {"q": "thang cong nhan"}).json()["items"][0]
    assert item["symbol"] == "01/KH-LĐLĐ"
    assert item["type_name"] == "Kế hoạch"
    assert item["direction"] == "out" and item["status"] == "issued"
    assert item["issuer_name"] == "Liên đoàn Lao động tỉnh Lào Cai"
    assert item["date"] == today.isoformat()
    assert item["url"] == f"/documents/{ours.pk}/"
    assert item["rank"] is not None
    # Hà Tĩnh's clerk finds only Hà Tĩnh's.
    other = api(users.ht_clerk).get(f"{BASE}/search", {"q": "thang cong nhan"}).json()
    assert [d["id"] for d in other["items"]] == [theirs.pk]


def test_search_filters_are_checked(api, users):
    client = api(users.lc_clerk)
    response = client.get(f"{BASE}/search", {"type": "XYZ", "status": "lost"})
    assert response.status_code == 400
    assert {"type", "status"} <= set(response.json()["errors"])
    response = client.get(f"{BASE}/search", {"from": "2026-02-01", "to": "2026-01-01"})
    assert response.status_code == 400 and "to" in response.json()["errors"]


def test_document_out_of_scope_is_404(api, tree, users):
    document = issued_by_services(tree.lc)
    pending = services.create_outgoing(None, tree.lc, {"doc_type": "TB", "subject": "Dự thảo"})
    assert api(users.lc_clerk).get(f"{BASE}/{document.pk}").status_code == 200
    assert api(users.ht_clerk).get(f"{BASE}/{document.pk}").status_code == 404
    assert api(users.nobody).get(f"{BASE}/{document.pk}").status_code == 404
    assert api(users.chair).get(f"{BASE}/{document.pk}").status_code == 200  # a recipient
    assert api(users.chair).get(f"{BASE}/{pending.pk}").status_code == 404  # not sent to it
    assert api(users.lc_clerk).get(f"{BASE}/999999").status_code == 404


def test_a_recipient_sees_no_delivery_summary_and_its_opening_is_recorded(api, tree, users):
    document = issued_by_services(tree.lc)
    mine = api(users.chair).get(f"{BASE}/{document.pk}").json()
    assert mine["delivery_summary"] is None
    assert mine["delivery"]["recipient"] == "LCI-D1-G1"
    sender = api(users.lc_clerk).get(f"{BASE}/{document.pk}").json()
    assert sender["delivery_summary"] == {
        "total": 2,
        "opened": 1,
        "acknowledged": 0,
        "registered": 0,
    }


# --- from draft to issue ---------------------------------------------------------------------


def test_create_submit_sign_issue(api, tree, users, leader):
    drafter = api(users.lc_specialist)
    response = post(drafter, f"{BASE}/outgoing", draft_body())
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "draft" and created["symbol"] == ""
    assert created["unit"] == "LCI" and created["drafting_unit"] == "LCI-VP"
    assert created["file_unit"] == "LCI-VP"
    assert created["recipients"] == [{"unit": "LCI", "mode": "grassroots"}]
    assert created["url"] == f"/documents/{created['id']}/"
    doc = f"{BASE}/{created['id']}"

    submitted = post(drafter, f"{doc}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "review"
    assert post(drafter, f"{doc}/sign").status_code == 403  # a chuyên viên does not sign
    signed = post(api(leader), f"{doc}/sign", {"note": "Đồng ý"})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert post(api(leader), f"{doc}/issue").status_code == 403  # the văn thư issues

    response = post(api(users.lc_clerk), f"{doc}/issue")
    assert response.status_code == 200, response.json()
    result = response.json()
    assert result["symbol"] == "01/KH-LĐLĐ" and result["number"] == 1
    assert result["recipients"] == 2
    assert result["issued_on"] == timezone.localdate().isoformat()

    detail = api(users.lc_clerk).get(doc).json()
    assert detail["status"] == "issued" and detail["symbol"] == "01/KH-LĐLĐ"
    actions = [e["action"] for e in detail["history"]]
    assert actions == ["created", "submitted", "signed", "issued"]
    assert detail["history"][2]["note"] == "Đồng ý"
    assert detail["delivery_summary"]["total"] == 2


def test_drafting_errors_name_the_fields(api, users):
    client = api(users.lc_specialist)
    response = post(client, f"{BASE}/outgoing", draft_body(subject="  ", doc_type="ZZ"))
    assert response.status_code == 400
    assert {"subject", "doc_type"} <= set(response.json()["errors"])
    response = post(client, f"{BASE}/outgoing", draft_body(doc_type="CV", drafting_unit=None))
    assert "drafting_unit" in response.json()["errors"]
    response = post(client, f"{BASE}/outgoing", draft_body(recipients=[{"unit": "NOPE"}]))
    assert response.status_code == 400
    assert "NOPE" in " ".join(response.json()["errors"]["recipients"])
    for code in ("HTH", "NOPE"):  # out of scope or unknown: the same answer
        response = post(client, f"{BASE}/outgoing", draft_body(unit=code))
        assert response.status_code == 400
        assert code in response.json()["errors"]["unit"][0]
    assert post(api(users.nobody), f"{BASE}/outgoing", draft_body()).status_code == 400


def test_return_needs_a_note_and_recall_a_reason(api, tree, users, leader):
    created = post(api(users.lc_specialist), f"{BASE}/outgoing", draft_body()).json()
    doc = f"{BASE}/{created['id']}"
    post(api(users.lc_specialist), f"{doc}/submit")
    response = post(api(leader), f"{doc}/return", {"note": " "})
    assert response.status_code == 400 and "note" in response.json()["errors"]
    back = post(api(leader), f"{doc}/return", {"note": "Bổ sung số liệu"})
    assert back.json()["status"] == "draft"
    issued = issued_by_services(tree.lc)
    clerk = api(users.lc_clerk)
    response = post(clerk, f"{BASE}/{issued.pk}/recall", {"reason": " "})
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    recalled = post(clerk, f"{BASE}/{issued.pk}/recall", {"reason": "Ban hành nhầm"}).json()
    assert recalled["recalled_at"] and recalled["recall_reason"] == "Ban hành nhầm"
    inbox = api(users.chair).get(f"{BASE}/inbox").json()
    assert inbox["items"][0]["recalled"] is True


def test_issue_with_a_future_date_is_refused(api, tree, users):
    document = services.create_outgoing(None, tree.lc, {"doc_type": "TB", "subject": "Lịch họp"})
    services.submit_for_signature(None, document)
    services.sign(None, document)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = post(
        api(users.lc_clerk), f"{BASE}/{document.pk}/issue", {"issued_on": str(tomorrow)}
    )
    assert response.status_code == 400 and "issued_on" in response.json()["errors"]


# --- inbox -----------------------------------------------------------------------------------


def test_inbox_acknowledge_and_register(api, tree, users):
    document = issued_by_services(tree.lc)
    chair = api(users.chair)
    response = chair.get(f"{BASE}/inbox")  # the chair keeps one unit's documents
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["document"] == document.pk and item["symbol"] == "01/KH-LĐLĐ"
    assert item["subject"] == SUBJECT and item["issuer"] == "Liên đoàn Lao động tỉnh Lào Cai"
    assert item["state"] == "delivered" and item["registered_as"] is None
    assert item["recalled"] is False
    assert chair.get(f"{BASE}/inbox", {"unit": "LCI-D1-G1", "state": "new"}).json()["count"] == 1

    acknowledged = post(chair, f"{BASE}/deliveries/{item['id']}/acknowledge")
    assert acknowledged.status_code == 200
    assert acknowledged.json()["state"] == "acknowledged"
    summary = api(users.lc_clerk).get(f"{BASE}/{document.pk}").json()["delivery_summary"]
    assert summary["acknowledged"] == 1 and summary["registered"] == 0

    registered = post(chair, f"{BASE}/deliveries/{item['id']}/register")
    assert registered.status_code == 201, registered.json()
    incoming = registered.json()
    assert incoming["direction"] == "in" and incoming["incoming_number"] == 1
    assert incoming["symbol"] == "01/KH-LĐLĐ" and incoming["origin"] == document.pk
    again = post(chair, f"{BASE}/deliveries/{item['id']}/register")
    assert again.status_code == 200 and again.json()["id"] == incoming["id"]
    listed = chair.get(f"{BASE}/inbox", {"state": "unregistered"}).json()
    assert listed["count"] == 0
    summary = api(users.lc_clerk).get(f"{BASE}/{document.pk}").json()["delivery_summary"]
    assert summary["registered"] == 1


def test_inbox_scope_and_states(api, tree, users):
    delivery = issued_by_services(tree.lc).deliveries.get(recipient=tree.lc_g2)
    chair = api(users.chair)
    assert chair.get(f"{BASE}/inbox", {"unit": "LCI-D2-G1"}).status_code == 404
    assert chair.get(f"{BASE}/inbox", {"unit": "NOPE"}).status_code == 404
    response = chair.get(f"{BASE}/inbox", {"state": "lost"})
    assert response.status_code == 400 and "state" in response.json()["errors"]
    assert post(chair, f"{BASE}/deliveries/{delivery.pk}/acknowledge").status_code == 404
    assert post(chair, f"{BASE}/deliveries/{delivery.pk}/register").status_code == 404
    response = api(users.nobody).get(f"{BASE}/inbox")  # keeps no unit's documents
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    clerk = api(users.lc_clerk).get(f"{BASE}/inbox", {"unit": "LCI-D2-G1"})
    assert clerk.json()["count"] == 1  # the province reads its unions' inboxes


# --- incoming --------------------------------------------------------------------------------


def test_register_incoming_and_refuse_the_duplicate(api, tree, users):
    client = api(users.lc_clerk)
    response = client.post(f"{BASE}/incoming", incoming_form())
    assert response.status_code == 201, response.json()
    document = response.json()
    assert document["direction"] == "in" and document["incoming_number"] == 1
    assert document["symbol"] == "30/2020/NĐ-CP"
    assert (document["number"], document["year"]) == (30, 2020)
    assert document["issued_on"] == "2020-03-05" and document["source"] == "paper"
    assert document["received_on"] == timezone.localdate().isoformat()
    again = client.post(f"{BASE}/incoming", incoming_form(symbol="Số: 30/2020/NĐ-CP"))
    assert again.status_code == 400
    assert "incoming number 1" in again.json()["errors"]["symbol"][0]
    found = client.get(f"{BASE}/search", {"q": "cong tac van thu"}).json()
    assert [d["id"] for d in found["items"]] == [document["id"]]


def test_incoming_form_errors_name_the_fields(api, users):
    client = api(users.lc_clerk)
    response = client.post(
        f"{BASE}/incoming",
        incoming_form(issued_on="31/02/2020", source="fax", subject="", symbol="1/X"),
    )
    assert response.status_code == 400
    assert {"issued_on", "source"} <= set(response.json()["errors"])
    response = client.post(f"{BASE}/incoming", incoming_form(subject="", issuer_name=""))
    assert {"subject", "issuer_name"} <= set(response.json()["errors"])
    response = client.post(f"{BASE}/incoming", incoming_form(unit="HTH"))
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    assert api(users.lc_specialist).post(f"{BASE}/incoming", incoming_form()).status_code == 403


def test_an_attachment_that_is_not_a_document_is_refused_and_nothing_registered(api, users):
    pytest.importorskip("congdoan.documents.files")
    client = api(users.lc_clerk)
    fake = SimpleUploadedFile("quyet-dinh.pdf", b"MZ\x90\x00 this is a program", "application/pdf")
    response = client.post(f"{BASE}/incoming", {**incoming_form(), "attachments": [fake]})
    assert response.status_code == 400
    assert "quyet-dinh.pdf" in response.json()["errors"]["attachments"][0]
    assert client.get(f"{BASE}/search").json()["count"] == 0


def make_pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_incoming_with_pdf_attachments(api, users):
    client = api(users.lc_clerk)
    scans = [
        SimpleUploadedFile("nghi-dinh.pdf", make_pdf("Quy dinh ve the thuc van ban hanh chinh")),
        SimpleUploadedFile("phu-luc.pdf", make_pdf("Phu luc so va ky hieu")),
    ]
    response = client.post(f"{BASE}/incoming", {**incoming_form(), "attachments": scans})
    assert response.status_code == 201, response.json()
    attachments = response.json()["attachments"]
    assert [a["name"] for a in attachments] == ["nghi-dinh.pdf", "phu-luc.pdf"]
    assert all(a["kind"] == "pdf" and a["pages"] == 1 and a["size"] > 0 for a in attachments)
    found = client.get(f"{BASE}/search", {"q": "the thuc van ban"}).json()
    assert [d["id"] for d in found["items"]] == [response.json()["id"]]


def test_edxml_import_registers_the_package(api, users):
    from congdoan.documents import edxml

    doc = edxml.EdxmlDocument(
        document_id="000.00.00.G22,2026/01/05,704/HD-TLĐ",
        sender=edxml.Organ("000.00.00.G22", "Tổng Liên đoàn Lao động Việt Nam"),
        recipients=[edxml.Organ("000.00.00.H37", "Liên đoàn Lao động tỉnh Lào Cai")],
        code_number="704",
        code_notation="HD-TLĐ",
        place="Hà Nội",
        promulgation_date=dt.date(2026, 1, 5),
        type_code="1",
        type_name="Hướng dẫn",
        subject="Hướng dẫn sắp xếp tổ chức công đoàn",
    )
    package = SimpleUploadedFile("goi-tin.edxml", edxml.build(doc), "application/xml")
    response = api(users.lc_clerk).post(
        f"{BASE}/incoming/edxml", {"unit": "LCI", "package": package}
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["direction"] == "in" and data["source"] == "edxml"
    assert data["symbol"] == "704/HD-TLĐ" and data["incoming_number"] == 1


def test_a_broken_edxml_package_is_refused_naming_the_package(api, users, settings):
    client = api(users.lc_clerk)
    broken = SimpleUploadedFile("goi-tin.edxml", b"<not-edxml>", "application/xml")
    response = client.post(f"{BASE}/incoming/edxml", {"unit": "LCI", "package": broken})
    assert response.status_code == 400 and "package" in response.json()["errors"]
    settings.EDXML_MAX_BYTES = 10
    big = SimpleUploadedFile("lon.edxml", b"<x>" + b" " * 100 + b"</x>", "application/xml")
    response = client.post(f"{BASE}/incoming/edxml", {"unit": "LCI", "package": big})
    assert response.status_code == 400 and "package" in response.json()["errors"]
    assert client.get(f"{BASE}/search").json()["count"] == 0


# --- processing ------------------------------------------------------------------------------


def test_assign_work_comment_and_complete(api, tree, users, leader):
    clerk = api(users.lc_clerk)
    document = clerk.post(f"{BASE}/incoming", incoming_form()).json()
    doc = f"{BASE}/{document['id']}"
    deadline = timezone.localdate().isoformat()
    body = {"assignee_unit": "LCI-VP", "instruction": "VP tham mưu", "deadline": deadline}
    assert post(clerk, f"{doc}/assign", body).status_code == 403  # văn thư does not assign
    response = post(api(leader), f"{doc}/assign", body)
    assert response.status_code == 201, response.json()
    item = response.json()
    assert item["assignee_unit"] == "LCI-VP" and item["state"] == "assigned"
    assert item["deadline"] == deadline and item["assigned_by"] == "lc.leader"

    vp = api(make_user("vp", Role.SPECIALIST, tree.lc_vp))
    started = post(vp, f"{BASE}/assignments/{item['id']}/start")
    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    comment = post(api(leader), f"{doc}/comments", {"note": "Khẩn trương trả lời"})
    assert comment.status_code == 201 and comment.json()["action"] == "commented"
    assert comment.json()["actor"] == "lc.leader"
    assert post(api(users.ht_clerk), f"{doc}/comments", {"note": "x"}).status_code == 404
    done = post(vp, f"{BASE}/assignments/{item['id']}/complete", {"note": "Xong"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    detail = clerk.get(doc).json()
    assert detail["status"] == "done"
    assert [a["state"] for a in detail["assignments"]] == ["done"]
    assert "commented" in [e["action"] for e in detail["history"]]


def test_assign_to_a_person_and_forward(api, tree, users, leader):
    document = api(users.lc_clerk).post(f"{BASE}/incoming", incoming_form()).json()
    doc = f"{BASE}/{document['id']}"
    outsider = {"assignee": "ht.clerk"}
    response = post(api(leader), f"{doc}/assign", outsider)
    assert response.status_code == 400 and "assignee" in response.json()["errors"]
    response = post(api(leader), f"{doc}/assign", {"assignee_unit": "HTH-G1"})
    assert response.status_code == 400 and "assignee_unit" in response.json()["errors"]
    response = post(api(leader), f"{doc}/assign", {})
    assert response.status_code == 400 and "assignee_unit" in response.json()["errors"]
    item = post(api(leader), f"{doc}/assign", {"assignee": "lc.specialist"}).json()
    assert item["assignee"] == "lc.specialist"
    forwarded = post(
        api(users.lc_specialist),
        f"{BASE}/assignments/{item['id']}/forward",
        {"assignee_unit": "LCI-VP", "note": "Chuyển Văn phòng"},
    )
    assert forwarded.status_code == 201, forwarded.json()
    assert forwarded.json()["assignee_unit"] == "LCI-VP"
    states = [a["state"] for a in api(leader).get(doc).json()["assignments"]]
    assert states == ["forwarded", "assigned"]
    assert post(api(users.ht_clerk), f"{BASE}/assignments/{item['id']}/start").status_code == 404


# --- symbols and documentation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("704/HD-TLĐ", {"style": "state", "number": 704, "type_abbreviation": "HD",
                        "issuer_abbreviation": "TLĐ"}),
        ("123/LĐLĐ-VP", {"style": "cong_van", "number": 123, "issuer_abbreviation": "LĐLĐ",
                         "drafting_abbreviation": "VP"}),
        ("30/2020/NĐ-CP", {"style": "legal", "number": 30, "year": 2020,
                           "type_abbreviation": "NĐ", "issuer_abbreviation": "CP"}),
        ("03-ĐA/TU", {"style": "party", "number": 3, "type_abbreviation": "ĐA",
                      "issuer_abbreviation": "TU"}),
    ],
)  # fmt: skip
def test_symbol_parse(api, users, written, expected):
    response = api(users.nobody).get(f"{BASE}/symbol", {"parse": f"Số: {written}"})
    assert response.status_code == 200
    data = response.json()
    assert data["written"] == written
    assert {key: data[key] for key in expected} == expected


def test_openapi_lists_the_document_paths(api, users):
    response = api(users.admin).get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, method in [
        ("/api/v1/documents/search", "get"),
        ("/api/v1/documents/{document_id}", "get"),
        ("/api/v1/documents/outgoing", "post"),
        ("/api/v1/documents/{document_id}/issue", "post"),
        ("/api/v1/documents/inbox", "get"),
        ("/api/v1/documents/deliveries/{delivery_id}/register", "post"),
        ("/api/v1/documents/incoming", "post"),
        ("/api/v1/documents/incoming/edxml", "post"),
        ("/api/v1/documents/symbol", "get"),
        ("/api/v1/documents/assignments/{assignment_id}/forward", "post"),
    ]:
        assert method in paths[path], path
    assert "/api/v1/members" in paths  # the other routers are still there
