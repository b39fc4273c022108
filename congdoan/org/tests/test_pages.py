"""The pages of the registry: chart by date, unit page, streamlining, audit log, import."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from congdoan.core.models import Job
from congdoan.org.models import Unit


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_login(tree):
    response = Client().get("/org/chart/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_chart_by_date(tree, users):
    from congdoan.org import services

    services.move_unit(users.admin, tree.lc_g1, tree.lc_d2, effective_date=__import__(
        "datetime").date(2020, 1, 1), legal_basis="QĐ 1")  # fmt: skip
    client = login(users.lc_clerk)
    old = client.get("/org/chart/", {"unit": "LCI-D1", "date": "2019-01-01"}).content.decode()
    new = client.get("/org/chart/", {"unit": "LCI-D1", "date": "2021-01-01"}).content.decode()
    assert "Trường THCS Bản Vược" in old
    assert "Trường THCS Bản Vược" not in new


def test_chart_bad_date_warns_and_shows_today(tree, users):
    response = login(users.lc_clerk).get("/org/chart/", {"date": "31/02/2020"})
    assert response.status_code == 200
    assert "31/02/2020" in response.content.decode()


def test_chart_node_fragment_is_scoped(tree, users):
    client = login(users.lc_clerk)
    assert client.get("/org/chart/node/LCI-D1/").status_code == 200
    assert client.get("/org/chart/node/HTH/").status_code == 404


def test_grassroots_chair_sees_only_their_union(tree, users):
    client = login(users.chair)
    assert client.get("/org/units/LCI-D1-G1/").status_code == 200
    for code in ["LCI", "LCI-D1", "LCI-D2-G1", "HTH", "TLD"]:
        assert client.get(f"/org/units/{code}/").status_code == 404, code
    assert client.get("/org/units/LCI/streamlining/").status_code == 404
    assert client.get("/org/units/LCI/export.csv").status_code == 404


def test_unit_list_search_without_diacritics(tree, users):
    page = login(users.lc_clerk).get("/org/units/", {"q": "ban vuoc"}).content.decode()
    assert "Trường THCS Bản Vược" in page
    assert "Bảo hiểm Xã hội" not in page


def test_unit_list_sorts_and_pages(tree, users):
    page = login(users.admin).get("/org/units/", {"sort": "-code"}).content.decode()
    assert page.index("TLD") < page.index("LCI-D1")


def test_unit_page_shows_history_and_audit_link(tree, users):
    from congdoan.org import services

    services.rename_unit(users.lc_clerk, tree.lc_d1, name="LĐLĐ huyện Bát Xát (mới)",
                         effective_date=__import__("datetime").date(2020, 1, 1),
                         legal_basis="Quyết định số 99/QĐ-LĐLĐ")  # fmt: skip
    client = login(users.lc_clerk)
    page = client.get("/org/units/LCI-D1/").content.decode()
    assert "Quyết định số 99/QĐ-LĐLĐ" in page
    audit = client.get("/org/units/LCI-D1/audit/").content.decode()
    assert "LĐLĐ huyện Bát Xát (mới)" in audit
    assert "lc.clerk" in audit
    # a specialist has no audit right
    assert login(users.lc_specialist).get("/org/units/LCI-D1/audit/").status_code == 404


def test_export_downloads(tree, users):
    response = login(users.lc_clerk).get("/org/units/LCI/export.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Mã,Tên,Viết tắt,Loại,Mã cấp trên,Hiệu lực từ"
    assert "LCI-D1-G1" in text and "HTH" not in text


def test_import_page_lists_bad_rows_and_writes_nothing(tree, users):
    body = (
        "Mã,Tên,Viết tắt,Loại,Mã cấp trên,Hiệu lực từ\n"
        "N1,Công đoàn cơ sở A,,grassroots,LCI,01/01/2020\n"
        "N2,Công đoàn cơ sở B,,grassroots,KHONG-CO,01/01/2020\n"
    ).encode()
    client = login(users.lc_clerk)
    response = client.post("/org/import/", {"file": SimpleUploadedFile("u.csv", body)})
    page = response.content.decode()
    assert "KHONG-CO" in page
    assert 'id="import-errors"' in page
    assert not Unit.objects.filter(code__in=["N1", "N2"]).exists()


def test_import_preview_then_confirm_runs_the_job(tree, users):
    body = (
        "Mã,Tên,Viết tắt,Loại,Mã cấp trên,Hiệu lực từ\n"
        "N1,Công đoàn cơ sở Chi cục Thuế Sa Pa,,grassroots,LCI-D2,01/01/2020\n"
    ).encode()
    client = login(users.lc_clerk)
    response = client.post("/org/import/", {"file": SimpleUploadedFile("u.csv", body)})
    page = response.content.decode()
    assert "Chi cục Thuế Sa Pa" in page
    assert not Unit.objects.filter(code="N1").exists()  # preview only
    stored = response.context["stored"]
    response = client.post("/org/import/confirm/", {"stored": stored})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.PENDING
    waiting = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in waiting  # the progress fragment keeps polling until the job ends
    # What the worker does with the queued task (run in-process: the worker itself closes
    # database connections, which would end the test's transaction).
    from django_tasks_db.models import DBTaskResult

    from congdoan.org.tasks import import_units_task

    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("import_units_task")
    import_units_task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.percent == 100
    assert Unit.objects.get(code="N1").parent.code == "LCI-D2"
    progress = client.get(response["Location"]).content.decode()
    assert "100%" in progress


def test_import_refuses_wrong_type_by_content(tree, users):
    client = login(users.lc_clerk)
    fake = SimpleUploadedFile("u.xlsx", b"this is not a zip")
    page = client.post("/org/import/", {"file": fake}).content.decode()
    assert "xlsx" in page
    assert not Job.objects.exists()


def test_import_needs_manage_right(tree, users):
    assert login(users.lc_specialist).get("/org/import/").status_code == 404


def test_streamlining_page(tree, users):
    page = (
        login(users.lc_clerk)
        .get("/org/units/LCI/streamlining/", {"since": "2015-01-01"})
        .content.decode()
    )
    assert 'id="units-removed">0<' in page


def test_csrf_is_enforced(tree, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.lc_clerk)
    response = client.post("/org/import/", {"file": SimpleUploadedFile("u.csv", b"x")})
    assert response.status_code == 403


def test_record_a_change_from_the_unit_page(tree, users):
    client = login(users.lc_clerk)
    page = client.get("/org/units/LCI-D1/").content.decode()
    assert 'id="record-event"' in page
    response = client.post(
        "/org/units/LCI-D1/events/new/",
        {"kind": "dissolve", "effective_date": "2025-07-01", "legal_basis": "Quyết định số 5"},
    )
    assert response.status_code == 200  # refused: the units below need a receiver
    assert "receiver_code" in response.context["form"].errors
    assert Unit.objects.get(code="LCI-D1").valid_to is None
    response = client.post(
        "/org/units/LCI-D1/events/new/",
        {"kind": "dissolve", "effective_date": "2025-07-01", "legal_basis": "Quyết định số 5",
         "receiver_code": "LCI"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Unit.objects.get(code="LCI-D1-G1").parent.code == "LCI"


def test_record_a_change_needs_the_right(tree, users):
    assert login(users.lc_specialist).get("/org/units/LCI-D1/events/new/").status_code == 404
    assert (
        'id="record-event"'
        not in login(users.lc_specialist).get("/org/units/LCI-D1/").content.decode()
    )
