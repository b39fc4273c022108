"""The emulation pages for each role: submitting with author rows, my initiatives, the
council member's scoring (never their own), the manager's decision and certificate, councils,
awards, "Lao động sáng tạo" candidates and proposals up the tree; scope (404)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.emulation import services
from congdoan.emulation.models import (
    Award,
    Council,
    CouncilMember,
    CouncilScore,
    Initiative,
    Proposal,
)
from congdoan.emulation.tests.conftest import author, council_of, recognise, submit
from congdoan.members.tests.conftest import make_member

pytestmark = pytest.mark.django_db
D = dt.date
M = 1_000_000


def login(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client: Client, url: str, **params: Any) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def application_post(rows: list[dict[str, Any]], **changes: Any) -> dict[str, Any]:
    data = {
        "unit": "LCI-D1-G1",
        "name": "Thư viện xanh trong nhà trường",
        "field": "Giáo dục và đào tạo",
        "first_applied_on": "2024-09-05",
        "description": "Góc đọc ngoài trời với sách song ngữ Việt – Mông.",
        "expected_benefit_vnd": "5.000.000",
        "authors-TOTAL_FORMS": str(len(rows)),
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "0",
        "authors-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"authors-{n}-{key}"] = value
    data.update(changes)
    return data


ROWS = [
    {"full_name": "Lù Văn Dín", "birth_date": "25/06/1979", "qualification": "manager",
     "contribution": "60"},
    {"full_name": "Tẩn Thị Sấn", "birth_date": "02/11/1989", "qualification": "worker",
     "contribution": "30"},
    {"full_name": "", "birth_date": "", "contribution": ""},  # a blank row is left out
]  # fmt: skip


def test_nav_and_home(users):
    html = page(login(users.chair), "/emulation/")
    assert 'id="nav-emulation"' in html and 'id="home-submit"' in html
    assert 'id="nav-emulation"' not in page(login(users.nobody), "/")
    assert login(users.nobody).get("/emulation/").status_code == 404


def test_submit_page_checks_contributions_and_names_the_row(users):
    client = login(users.chair)
    html = page(client, "/emulation/initiatives/new/")
    assert 'name="authors-0-contribution"' in html and "LCI-D1-G1" in html
    response = client.post("/emulation/initiatives/new/", application_post(ROWS))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="author-errors"' in html
    assert "The contributions add up to 90%; they must add up to exactly 100%." in html
    rows = [dict(r) for r in ROWS]
    rows[1]["contribution"] = "0"
    html = client.post("/emulation/initiatives/new/", application_post(rows)).content.decode()
    assert "author 2: the contribution must be more than 0%" in html
    assert not Initiative.objects.exists()
    rows[1]["contribution"] = "40"
    response = client.post("/emulation/initiatives/new/", application_post(rows))
    initiative = Initiative.objects.get()
    assert (
        response.status_code == 302 and response.url == f"/emulation/initiatives/{initiative.pk}/"
    )
    assert [a.full_name for a in initiative.authors.all()] == ["Lù Văn Dín", "Tẩn Thị Sấn"]
    assert initiative.expected_benefit_vnd == 5 * M
    html = page(client, "/emulation/initiatives/mine/")
    assert "Thư viện xanh trong nhà trường" in html
    # A unit out of the user's scope is not a choice.
    response = client.post("/emulation/initiatives/new/", application_post(rows, unit="HTH-G1"))
    assert response.status_code == 200 and Initiative.objects.count() == 1
    assert login(users.nobody).get("/emulation/initiatives/new/").status_code == 404


@pytest.fixture
def council_case(tree, users):
    """The province's council: a leader and a council member who is an author (linked to her
    registry record); an application before it; another not yet."""
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    san_record = make_member(tree.lc_g1, full_name="Tẩn Thị Sấn", birth_date=D(1989, 11, 2))
    san = make_user("san")
    council = council_of(tree.lc, 2026)
    services.add_council_member(None, council, leader, role="chair")
    services.add_council_member(None, council, san, member=san_record)
    rows = [author("Tẩn Thị Sấn", D(1989, 11, 2), 50), author("Lò Văn Sơn", D(1980, 1, 1), 50)]
    before = services.put_before_council(None, submit(tree.lc_g1, authors=rows), council)
    waiting = submit(tree.lc_g1, name="Số hóa sổ điểm")
    return council, leader, san, before, waiting


def test_scoring_only_what_is_assigned_and_never_ones_own(council_case, users):
    _council, leader, san, before, waiting = council_case
    html = page(login(leader), "/emulation/score/")
    assert f"/emulation/initiatives/{before.pk}/score/" in html
    assert f"/emulation/initiatives/{waiting.pk}/" not in html
    # The author on the council is not offered it, and cannot reach the scoring page.
    html = page(login(san), "/emulation/score/")
    assert f"/emulation/initiatives/{before.pk}/" not in html
    assert login(san).get(f"/emulation/initiatives/{before.pk}/score/").status_code == 403
    detail = page(login(san), f"/emulation/initiatives/{before.pk}/")
    assert 'id="conflict"' in detail and 'id="score-link"' not in detail
    # Not before a council of theirs: 404 for the scoring page.
    assert login(leader).get(f"/emulation/initiatives/{waiting.pk}/score/").status_code == 404
    client = login(leader)
    bad = client.post(f"/emulation/initiatives/{before.pk}/score/", {"novelty": "101"})
    assert bad.status_code == 200 and not CouncilScore.objects.exists()
    response = client.post(
        f"/emulation/initiatives/{before.pk}/score/",
        {"novelty": "80", "applicability": "75,5", "benefit": "90", "note": "Tốt"},
    )
    assert response.status_code == 302
    assert CouncilScore.objects.filter(initiative=before).count() == 3
    detail = page(client, f"/emulation/initiatives/{before.pk}/")
    assert 'id="score-total"' in detail


def test_manager_puts_before_council_and_decides(council_case, users, tree):
    council, _leader, _san, before, waiting = council_case
    clerk = login(users.lc_clerk)
    html = page(clerk, f"/emulation/initiatives/{waiting.pk}/")
    assert 'id="put-before"' in html and 'id="decide"' not in html
    response = clerk.post(f"/emulation/initiatives/{waiting.pk}/council/", {"council": council.pk})
    assert response.status_code == 302
    assert Initiative.objects.get(pk=waiting.pk).status == "review"
    # A specialist sees the application but does not decide.
    assert 'id="decide"' not in page(
        login(users.lc_specialist), f"/emulation/initiatives/{before.pk}/"
    )
    assert login(users.lc_specialist).post(
        f"/emulation/initiatives/{before.pk}/decide/", {"recognised": "1"}
    ).status_code in (400, 403)
    html = page(clerk, f"/emulation/initiatives/{before.pk}/")
    assert 'id="decide"' in html
    today = dt.date.today().isoformat()
    response = clerk.post(
        f"/emulation/initiatives/{before.pk}/decide/",
        {"recognised": "1", "decided_on": today, "decision_reference": "QĐ 45/QĐ-LĐLĐ",
         "benefit_vnd": "125.000.000", "scope": ""},
    )  # fmt: skip
    assert response.status_code == 400 and "Choose the scope" in response.content.decode()
    response = clerk.post(
        f"/emulation/initiatives/{before.pk}/decide/",
        {"recognised": "1", "decided_on": today, "decision_reference": "QĐ 45/QĐ-LĐLĐ",
         "benefit_vnd": "125.000.000", "scope": "province"},
    )  # fmt: skip
    assert response.status_code == 302
    html = page(clerk, f"/emulation/initiatives/{before.pk}/")
    assert 'id="certificate"' in html and "125.000.000" in html
    pdf = clerk.get(f"/emulation/initiatives/{before.pk}/certificate.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN SÁNG KIẾN" in text
    assert clerk.get(f"/emulation/initiatives/{waiting.pk}/certificate.pdf").status_code == 404


def test_scope_of_pages(council_case, users, tree):
    _council, _leader, _san, before, _waiting = council_case
    other = login(users.ht_clerk)
    for url in (
        f"/emulation/initiatives/{before.pk}/",
        f"/emulation/initiatives/{before.pk}/certificate.pdf",
        "/emulation/initiatives/?unit=LCI",
        "/emulation/candidates/?unit=LCI",
        "/emulation/awards/?unit=LCI",
        f"/emulation/councils/{_council.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert f"/emulation/initiatives/{before.pk}/" not in page(other, "/emulation/initiatives/")


def test_councils_pages(users, tree):
    clerk = login(users.lc_clerk)
    response = clerk.post(
        "/emulation/councils/",
        {"unit": "LCI", "name": "Hội đồng sáng kiến 2026", "year": "2026",
         "established_by": "QĐ 15/QĐ-LĐLĐ"},
    )  # fmt: skip
    council = Council.objects.get()
    assert response.status_code == 302 and council.unit == tree.lc
    response = clerk.post(
        f"/emulation/councils/{council.pk}/", {"username": "lc.specialist", "role": "member"}
    )
    assert response.status_code == 302
    html = clerk.post(
        f"/emulation/councils/{council.pk}/", {"username": "không-có", "role": "member"}
    ).content.decode()
    assert "No user has the name" in html
    assert CouncilMember.objects.filter(council=council).count() == 1
    assert (
        login(users.lc_specialist)
        .post(f"/emulation/councils/{council.pk}/", {"username": "chair", "role": "member"})
        .status_code
        == 403
    )


def test_awards_pages(users, tree):
    member = make_member(tree.lc_g1, full_name="Tẩn Thị Sấn", birth_date=D(1989, 11, 2))
    clerk = login(users.lc_clerk)
    response = clerk.post(
        "/emulation/awards/new/",
        {"form": _form_pk("bang-khen-ldld"), "member": member.pk, "granted_by": "LCI",
         "decision_reference": "Quyết định số 1201/QĐ-LĐLĐ", "decided_on": "20/12/2024"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    html = clerk.post(
        "/emulation/awards/new/",
        {"form": _form_pk("co-thi-dua-ldld"), "unit": "LCI-D1-G1", "granted_by": "LCI-D2",
         "decision_reference": "QĐ", "decided_on": "2024-12-20"},
    ).content.decode()  # fmt: skip
    assert "is not above" in html
    html = page(clerk, "/emulation/awards/", unit="LCI", **{"from": "2024-01-01"})
    assert "Tẩn Thị Sấn" in html
    xlsx = clerk.get("/emulation/awards/", {"unit": "LCI", "from": "2024-01-01", "format": "xlsx"})
    values = [v for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(
        values_only=True) for v in row]  # fmt: skip
    assert "Tẩn Thị Sấn" in values
    assert login(users.chair).get("/emulation/awards/new/").status_code == 404


def _form_pk(code: str) -> int:
    from congdoan.emulation.models import AwardForm

    return AwardForm.objects.get(code=code).pk


def test_candidates_proposal_and_the_inbox_of_the_next_level(users, tree):
    d1 = make_user("d1.clerk", Role.CLERK, tree.lc_d1)
    recognise(submit(tree.lc_g1, authors=[author("Nông Văn Dền", D(1985, 1, 21), 100)]),
              90 * M, D(2025, 6, 1))  # fmt: skip
    client = login(d1)
    html = page(client, "/emulation/candidates/", unit="LCI-D1", year="2025")
    assert "Nông Văn Dền" in html and "90.000.000" in html and 'id="rule"' in html
    key = html.split('name="candidates" value="')[1].split('"')[0]
    response = client.post("/emulation/candidates/?unit=LCI-D1&year=2025",
                           {"candidates": [key], "note": "Đề nghị"})  # fmt: skip
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and proposal.to_unit == tree.lc
    assert client.post(f"/emulation/proposals/{proposal.pk}/send/").status_code == 302
    # The next level sees it in its inbox and approves it; the district cannot.
    html = page(login(users.lc_clerk), "/emulation/proposals/")
    assert f"/emulation/proposals/{proposal.pk}/" in html.split('id="sent"')[0]
    proposal_page = page(client, f"/emulation/proposals/{proposal.pk}/")
    assert 'id="approve"' not in proposal_page
    assert "21/01/1985" in proposal_page and "1985-01-21" not in proposal_page
    response = login(users.lc_clerk).post(
        f"/emulation/proposals/{proposal.pk}/approve/",
        {"decision_reference": "QĐ 99/QĐ-LĐLĐ", "decided_on": "2026-04-01"},
    )
    assert response.status_code == 302
    [award] = Award.objects.all()
    assert (award.person_name, award.granted_by, award.proposal) == (
        "Nông Văn Dền",
        tree.lc,
        proposal,
    )
    assert login(users.ht_clerk).get(f"/emulation/proposals/{proposal.pk}/").status_code == 404
    # A chair (no right to manage emulation) sees candidates but cannot propose.
    html = page(login(users.chair), "/emulation/candidates/", unit="LCI-D1-G1", year="2025")
    assert 'name="candidates"' not in html


def test_member_initiatives_page(users, tree):
    member = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    initiative = recognise(
        submit(tree.lc_g1, authors=[author(member=member.pk, full_name="", birth_date=None)]),
        5 * M,
        D(2024, 3, 3),
    )
    html = page(login(users.lc_clerk), f"/emulation/members/{member.pk}/initiatives/")
    assert f"/emulation/initiatives/{initiative.pk}/" in html
    # The member's own page lists it too.
    html = page(login(users.lc_clerk), f"/members/{member.pk}/")
    assert 'id="member-initiatives"' in html and f"/emulation/initiatives/{initiative.pk}/" in html
    assert (
        login(users.ht_clerk).get(f"/emulation/members/{member.pk}/initiatives/").status_code == 404
    )


def test_an_error_names_the_row_of_the_table_and_a_partly_filled_row_is_not_dropped(users):
    """Rows left blank between filled ones do not shift the numbers in the messages; a row
    with only a workplace is not silently left out."""
    client = login(users.chair)
    rows = [dict(ROWS[0]), {"full_name": "", "birth_date": "", "contribution": ""}, dict(ROWS[1])]
    rows[2]["contribution"] = "0"
    html = client.post("/emulation/initiatives/new/", application_post(rows)).content.decode()
    assert "author 3: the contribution must be more than 0%" in html
    assert "author 2:" not in html
    rows = [dict(ROWS[0], contribution="100"), {"workplace": "Trường PTDTBT THCS Bản Vược"}]
    html = client.post("/emulation/initiatives/new/", application_post(rows)).content.decode()
    assert "author 2: the full name is missing" in html
    assert not Initiative.objects.exists()
