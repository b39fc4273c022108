"""The member pages: list and search, member page with masked personal data, transfer and end
forms, statistics, public card check, duplicates and the import flow."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from congdoan.accounts.permissions import Role
from congdoan.conftest import make_user
from congdoan.core.cccd import make_cccd
from congdoan.core.models import AuditEntry, Job
from congdoan.members import services
from congdoan.members.models import DuplicateFlag, Member, Status

D = dt.date
AN_CCCD = make_cccd("010", "M", 1985, 123456)
AN_PHONE = "0912345678"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def add(unit, name, birth, sex, **extra) -> Member:
    data = {"full_name": name, "birth_date": birth, "sex": sex, "joined_on": D(2015, 6, 1)}
    data.update(extra)
    return services.create_member(None, unit, data)


@pytest.fixture
def people(tree):
    class People:
        an = add(tree.lc_g1, "Nguyễn Văn An", D(1985, 3, 4), "M", cccd=AN_CCCD,
                 phone=AN_PHONE, card_number="LC-0001", joined_on=D(2010, 5, 1))  # fmt: skip
        binh = add(tree.lc_g1, "Trần Thị Bình", D(1995, 7, 9), "F", ethnicity="Tày",
                   joined_on=D(dt.date.today().year, 1, 1))  # fmt: skip
        dung = add(tree.lc_g2, "Hoàng Văn Dũng", D(1970, 1, 1), "M")
        dao = add(tree.ht_g1, "Lê Thị Đào", D(1990, 2, 2), "F")

    return People


def page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- list --------------------------------------------------------------------------------


def test_pages_need_login(tree):
    response = Client().get("/members/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_search_with_and_without_diacritics(people, users):
    client = login(users.lc_clerk)
    for q in ["nguyen van an", "Nguyễn Văn An", "NGUYEN VAN", AN_CCCD, "LC-0001", AN_PHONE]:
        html = page(client, "/members/", q=q)
        assert "Nguyễn Văn An" in html, q
        assert "Trần Thị Bình" not in html, q


def test_list_in_vietnamese_name_order(people, users):
    html = page(login(users.admin), "/members/")
    # given name first: An, Bình, Dũng, Đào (d before đ), not by family name
    positions = [html.index(n) for n in ["Nguyễn Văn An", "Trần Thị Bình", "Hoàng Văn Dũng",
                                          "Lê Thị Đào"]]  # fmt: skip
    assert positions == sorted(positions)


def test_list_masks_cccd_and_phone_even_for_those_who_may_see_them(people, users):
    html = page(login(users.lc_clerk), "/members/", q="an")
    assert "Nguyễn Văn An" in html
    assert AN_CCCD not in html and AN_PHONE not in html
    assert AN_CCCD[:3] + "••••••" + AN_CCCD[-3:] in html
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


def test_list_filters_by_union_and_status(people, users):
    services.end_membership(users.lc_clerk, people.binh, Status.LEFT, day=dt.date.today(),
                            reason="Nghỉ việc")  # fmt: skip
    client = login(users.lc_clerk)
    html = page(client, "/members/", unit="LCI-D2")
    assert "Hoàng Văn Dũng" in html and "Nguyễn Văn An" not in html
    html = page(client, "/members/", status="left")
    assert "Trần Thị Bình" in html and "Nguyễn Văn An" not in html
    # a union outside the scope is refused with a message, showing nothing
    html = page(client, "/members/", unit="HTH")
    assert "HTH" in html and "Lê Thị Đào" not in html


def test_grassroots_chair_sees_only_their_members(people, users):
    client = login(users.chair)
    html = page(client, "/members/")
    assert "Nguyễn Văn An" in html
    assert "Hoàng Văn Dũng" not in html and "Lê Thị Đào" not in html
    assert client.get(f"/members/{people.dung.pk}/").status_code == 404
    assert client.get(f"/members/{people.dao.pk}/").status_code == 404
    assert client.post(f"/members/{people.dung.pk}/transfer/", {}).status_code == 404
    assert client.get("/members/999999/").status_code == 404


def test_menu_link_only_for_those_who_see_members(people, users):
    assert 'href="/members/"' in page(login(users.chair), "/")
    assert 'href="/members/"' not in page(login(users.nobody), "/")
    assert login(users.nobody).get("/members/").status_code == 404


# --- member page and personal data ------------------------------------------------------


def test_member_page_masked_for_leader_and_specialist(people, users, tree):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    for user in (leader, users.lc_specialist):
        html = page(login(user), f"/members/{people.an.pk}/")
        assert "Nguyễn Văn An" in html
        assert AN_CCCD not in html and AN_PHONE not in html
        assert AN_CCCD[:3] + "••••••" + AN_CCCD[-3:] in html
        assert 'id="edit-member"' not in html
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


def test_member_page_unmasked_for_chair_and_logged(people, users):
    html = page(login(users.chair), f"/members/{people.an.pk}/")
    assert AN_CCCD in html and AN_PHONE in html
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW)
    assert entry.actor == users.chair
    assert entry.object_id == str(people.an.pk)
    page(login(users.chair), f"/members/{people.an.pk}/")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 2


def test_audit_log_on_member_page_masks_for_leader(people, users, tree):
    services.update_member(users.lc_clerk, people.an, {"phone": "0987654321"})
    leader = make_user("lc.leader", Role.LEADER, tree.lc)  # may read the audit log
    html = page(login(leader), f"/members/{people.an.pk}/")
    assert 'id="audit"' in html
    assert "0987654321" not in html and AN_PHONE not in html
    assert "098•••••21" in html
    # a specialist has no audit right
    assert 'id="audit"' not in page(login(users.lc_specialist), f"/members/{people.an.pk}/")


def test_specialist_cannot_change_members(people, users):
    client = login(users.lc_specialist)
    response = client.post(f"/members/{people.an.pk}/transfer/",
                           {"unit_code": "LCI-D2-G1", "day": "2024-01-01"})  # fmt: skip
    assert response.status_code == 403
    assert client.post(f"/members/{people.an.pk}/end/", {}).status_code == 403
    assert client.get(f"/members/{people.an.pk}/edit/").status_code == 403
    assert client.get("/members/new/").status_code == 404
    assert Member.objects.get(pk=people.an.pk).unit.code == "LCI-D1-G1"


def test_transfer_form_shows_errors_then_moves_the_member(people, users):
    client = login(users.lc_clerk)
    url = f"/members/{people.an.pk}/transfer/"
    response = client.post(url, {"unit_code": "KHONG-CO", "day": "2024-01-01"})
    assert response.status_code == 200
    assert "KHONG-CO" in response.context["transfer_form"].errors["unit_code"][0]
    response = client.post(url, {"unit_code": "LCI-D1", "day": "2024-01-01"})
    assert "unit_code" in response.context["transfer_form"].errors  # not a grassroots union
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"unit_code": "LCI-D2-G1", "day": future})
    assert "day" in response.context["transfer_form"].errors
    assert 'id="transfer" open' in response.content.decode()
    assert Member.objects.get(pk=people.an.pk).unit.code == "LCI-D1-G1"

    response = client.post(url, {"unit_code": "lci-d2-g1", "day": "2024-01-01",
                                 "note": "Quyết định 12/QĐ"})  # fmt: skip
    assert response.status_code == 302
    assert Member.objects.get(pk=people.an.pk).unit.code == "LCI-D2-G1"
    html = page(client, f"/members/{people.an.pk}/")
    history = html[html.index('id="history"') :]
    assert history.index("Trường THCS Bản Vược") < history.index("Khu du lịch Fansipan")
    assert "01/01/2024" in history and "Quyết định 12/QĐ" in history


def test_transfer_out_of_the_chairs_scope(people, users):
    client = login(users.chair)
    response = client.post(f"/members/{people.an.pk}/transfer/",
                           {"unit_code": "HTH-G1", "day": "2024-01-01"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/members/"
    assert client.get(f"/members/{people.an.pk}/").status_code == 404


def test_end_form_shows_errors_then_ends(people, users):
    client = login(users.chair)
    url = f"/members/{people.an.pk}/end/"
    response = client.post(url, {"status": "left", "day": "2024-02-01", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["end_form"].errors
    response = client.post(url, {"status": "left", "day": "31/02/2024", "reason": "x"})
    assert "day" in response.context["end_form"].errors
    assert Member.objects.get(pk=people.an.pk).status == Status.ACTIVE

    response = client.post(url, {"status": "left", "day": "01/02/2024", "reason": "Nghỉ hưu"})
    assert response.status_code == 302
    member = Member.objects.get(pk=people.an.pk)
    assert member.status == Status.LEFT and member.status_date == D(2024, 2, 1)
    html = page(client, f"/members/{people.an.pk}/")
    assert 'id="member-status"' in html and "Nghỉ hưu" in html
    assert "01/02/2024" in html[html.index('id="history"') :]
    assert 'id="transfer"' not in html  # no more changes to an ended membership


def test_edit_shows_field_errors_and_saves(people, users):
    client = login(users.chair)
    url = f"/members/{people.an.pk}/edit/"
    form = page(client, url)
    assert AN_CCCD in form  # the edit form shows personal data: logged like the page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).count() == 1
    data = {"full_name": "Nguyễn Văn An", "birth_date": "1985-03-04", "sex": "M",
            "ethnicity": "Kinh", "cccd": AN_CCCD, "phone": "12345", "joined_on": "2010-05-01",
            "card_number": "LC-0001"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    data["phone"] = "+84 987 654 321"
    data["job"] = "Giáo viên"
    assert client.post(url, data).status_code == 302
    member = Member.objects.get(pk=people.an.pk)
    assert member.phone == "0987654321" and member.job == "Giáo viên"


def test_add_member(people, users):
    client = login(users.chair)
    assert 'value="LCI-D1-G1"' in page(client, "/members/new/", unit="LCI-D1-G1")
    data = {"unit_code": "LCI-D2-G1", "full_name": "Phạm Thị Hoa", "birth_date": "1992-04-05",
            "sex": "F", "joined_on": "2015-01-01"}  # fmt: skip
    response = client.post("/members/new/", data)
    assert "unit_code" in response.context["form"].errors  # outside the chair's union
    data["unit_code"] = "LCI-D1-G1"
    data["joined_on"] = "2000-01-01"  # aged 7
    response = client.post("/members/new/", data)
    assert "joined_on" in response.context["form"].errors
    data["joined_on"] = "2015-01-01"
    response = client.post("/members/new/", data)
    assert response.status_code == 302
    member = Member.objects.get(full_name="Phạm Thị Hoa")
    assert member.unit.code == "LCI-D1-G1"
    assert response["Location"] == f"/members/{member.pk}/"


def test_csrf_is_enforced(people, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.chair)
    response = client.post(f"/members/{people.an.pk}/end/", {"status": "deceased",
                                                            "day": "2024-01-01"})  # fmt: skip
    assert response.status_code == 403
    assert Member.objects.get(pk=people.an.pk).status == Status.ACTIVE


# --- statistics --------------------------------------------------------------------------


def test_stats_page_figures_and_children(people, users):
    html = page(login(users.lc_clerk), "/members/stats/", unit="LCI")
    assert 'id="stat-members">3<' in html
    assert 'id="stat-women">1<' in html and f"{formats.number_format(33.3, 1)}%" in html
    assert 'id="stat-minorities">1<' in html
    assert 'id="stat-new">1<' in html  # Bình joined this year
    assert "<svg" in html
    children = html[html.index('id="stats-children"') :]
    assert "Liên đoàn Lao động huyện Bát Xát" in children and ">2<" in children
    assert "Liên đoàn Lao động huyện Sa Pa" in children and ">1<" in children


def test_stats_on_an_earlier_day_and_bad_date(people, users):
    client = login(users.lc_clerk)
    html = page(client, "/members/stats/", unit="LCI", as_of="2012-01-01")
    assert 'id="stat-members">1<' in html  # only An had joined
    html = page(client, "/members/stats/", unit="LCI", as_of="31/02/2020")
    assert "31/02/2020" in html and 'id="stat-members">3<' in html


def test_stats_default_unit_and_scope(people, users):
    html = page(login(users.chair), "/members/stats/")
    assert "Trường THCS Bản Vược" in html and 'id="stat-members">2<' in html
    assert login(users.chair).get("/members/stats/", {"unit": "LCI"}).status_code == 404


def test_stats_xlsx(people, users):
    response = login(users.lc_clerk).get(
        "/members/stats/", {"unit": "LCI", "as_of": "2030-01-01", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows[_("Members")] == 3
    assert rows[_("Women")] == 1
    assert rows[_("Ethnic minorities")] == 1
    assert "Liên đoàn Lao động huyện Bát Xát (LCI-D1)" in rows


# --- public card check -------------------------------------------------------------------


def test_card_check_shows_only_name_union_validity(people):
    response = Client().get(f"/the/{people.an.card_token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn An" in html and "Trường THCS Bản Vược" in html
    assert 'id="card-validity"><strong style="color:var(--ok)">' in html
    assert '<meta name="robots" content="noindex' in html
    for secret in [AN_CCCD, AN_PHONE, "04/03/1985", "1985", "LC-0001"]:
        assert secret not in html, secret


def test_card_check_of_an_ended_membership_gives_no_reason(people, users):
    services.end_membership(users.chair, people.an, Status.LEFT, day=D(2024, 1, 1),
                            reason="Chuyển công tác riêng")  # fmt: skip
    html = Client().get(f"/the/{people.an.card_token}/").content.decode()
    assert "Nguyễn Văn An" in html and "color:var(--err)" in html
    assert "Chuyển công tác riêng" not in html and "01/01/2024" not in html


def test_unknown_card_is_404(people):
    assert Client().get("/the/khong-co-the-nay/").status_code == 404


# --- duplicates --------------------------------------------------------------------------


def test_duplicates_side_by_side_and_resolved(people, users, tree):
    twin = add(tree.lc_g2, "Nguyễn Văn An", D(1985, 3, 4), "M", phone="0911222333")
    flag = DuplicateFlag.objects.get()
    client = login(users.lc_clerk)
    html = page(client, "/members/duplicates/")
    section = html[html.index(f'id="flag-{flag.pk}"') :]
    assert section.count("Nguyễn Văn An") >= 2
    assert "Trường THCS Bản Vược" in section and "Khu du lịch Fansipan" in section
    assert AN_PHONE not in section and "0911222333" not in section
    response = client.post(f"/members/duplicates/{flag.pk}/resolve/", {"resolution": " "})
    assert response.status_code == 302
    assert DuplicateFlag.objects.get().resolved_at is None
    response = client.post(f"/members/duplicates/{flag.pk}/resolve/",
                           {"resolution": "Hai người khác nhau"})  # fmt: skip
    assert response.status_code == 302
    assert DuplicateFlag.objects.get().resolution == "Hai người khác nhau"
    assert 'id="no-duplicates"' in page(client, "/members/duplicates/")
    # a union outside the scope sees nothing of it
    assert (
        twin.pk
        and login(users.ht_clerk)
        .post(f"/members/duplicates/{flag.pk}/resolve/", {"resolution": "x"})
        .status_code
        == 404
    )


# --- export ------------------------------------------------------------------------------


def test_export_masks_unless_asked_and_logs(people, users):
    client = login(users.chair)
    response = client.get("/members/export/", {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Nguyễn Văn An" in text and "Hoàng Văn Dũng" not in text
    assert AN_CCCD not in text and AN_PHONE not in text
    response = client.get("/members/export/", {"format": "xlsx", "personal": "1"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert AN_CCCD in cells
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("at", "id")
    assert [e.changes["personal_data"][1] for e in exports] == [False, True]


def test_export_with_personal_data_only_where_allowed(people, users, tree):
    leader = make_user("lc.leader", Role.LEADER, tree.lc)
    html = page(login(leader), "/members/")
    assert 'name="personal"' not in html
    assert login(leader).get("/members/export/", {"personal": "1"}).status_code == 404


# --- import ------------------------------------------------------------------------------

IMPORT_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Ngày vào Công đoàn"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_queued_task() -> None:
    """What the worker does with the queued task, run in-process (see org's import test)."""
    from django.utils.module_loading import import_string
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.order_by("enqueued_at").last()
    task = import_string(queued.task_path)
    task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def upload(client: Client, data: bytes, name: str = "doan-vien.xlsx", unit: str = "LCI-D1-G1"):
    return client.post(
        "/members/import/", {"file": SimpleUploadedFile(name, data), "unit_code": unit}
    )


def test_import_template_downloads(tree, users):
    response = login(users.chair).get("/members/import/template.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1


def test_import_with_a_bad_row_lists_errors_and_writes_nothing(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users.chair)
    data = xlsx([
        IMPORT_HEADER,
        ["Phạm Thị Hoa", "05/04/1992", "Nữ", "Kinh", "01/01/2015"],
        ["Vũ Văn Nam", "31/02/1990", "Nam", "Kinh", "01/01/2015"],
    ])  # fmt: skip
    response = upload(client, data)
    assert response.status_code == 302
    job_url = response["Location"]
    waiting = client.get(job_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in waiting
    run_queued_task()
    html = page(client, job_url)
    assert 'id="import-errors"' in html and "31/02/1990" in html
    assert 'id="confirm-import"' not in html
    assert not Member.objects.exists()
    response = client.get(job_url + "errors.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Lỗi" in rows[0]
    marked = [row for row in rows[1:] if row[rows[0].index("Lỗi")]]
    assert len(marked) == 1 and marked[0][0] == "Vũ Văn Nam"


def test_import_preview_then_confirm(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users.chair)
    data = xlsx([
        IMPORT_HEADER,
        ["Phạm Thị Hoa", "05/04/1992", "Nữ", "Kinh", "01/01/2015"],
        ["Vũ Văn Nam", "01/02/1990", "Nam", "Mông", "01/01/2016"],
    ])  # fmt: skip
    job_url = upload(client, data)["Location"]
    run_queued_task()
    html = page(client, job_url)
    assert 'id="count-create">2<' in html
    assert "Phạm Thị Hoa" in html
    assert not Member.objects.exists()  # preview only
    response = client.post(job_url + "confirm/")
    assert response.status_code == 302
    import_url = response["Location"]
    assert import_url != job_url
    run_queued_task()
    html = page(client, import_url)
    assert 'id="import-done"' in html
    assert Job.objects.get(kind="members.import").status == Job.Status.DONE
    assert set(Member.objects.values_list("full_name", flat=True)) == {"Phạm Thị Hoa",
                                                                        "Vũ Văn Nam"}  # fmt: skip
    assert Member.objects.get(full_name="Vũ Văn Nam").unit.code == "LCI-D1-G1"
    # the same confirmation cannot run twice
    assert client.post(job_url + "confirm/").status_code == 302
    assert Job.objects.filter(kind="members.import").count() == 1


def test_import_refuses_a_file_that_is_no_table(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(users.chair)
    response = upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", name="a.xls")
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    response = upload(client, xlsx([IMPORT_HEADER]), unit="HTH-G1")
    assert "unit_code" in response.context["form"].errors
    assert not Job.objects.exists()


def test_import_needs_the_manage_right(tree, users):
    assert login(users.lc_specialist).get("/members/import/").status_code == 404


def test_import_job_of_another_user_is_404(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job_url = upload(login(users.chair), xlsx([IMPORT_HEADER]))["Location"]
    assert login(users.lc_clerk).get(job_url).status_code == 404
