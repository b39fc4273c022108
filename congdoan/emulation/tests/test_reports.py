"""Emulation reports: figures of a unit's subtree over a period, by year and by unit, honours
by form, movement participation; the Lào Cai demo's figures computed from its data."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.http import Http404
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from congdoan.accounts.models import User
from congdoan.emulation import selectors, services
from congdoan.emulation.models import (
    AwardForm,
    Initiative,
    Movement,
    Registration,
)
from congdoan.emulation.tests.conftest import recognise, submit
from congdoan.members.tests.conftest import make_member
from congdoan.org.models import Unit

pytestmark = pytest.mark.django_db
D = dt.date
M = 1_000_000


@pytest.fixture
def figures(tree, users):
    """In Lào Cai: three recognised (two in 2023 under district 1, one in 2024 under district
    2), one not recognised, one pending; an award; a movement with registrations. In Hà Tĩnh:
    one recognised (never counted for Lào Cai)."""
    recognise(submit(tree.lc_g1, submitted_on=D(2023, 2, 1)), 10 * M, D(2023, 3, 1))
    recognise(submit(tree.lc_g1, submitted_on=D(2023, 4, 1)), 5 * M, D(2023, 5, 1))
    recognise(submit(tree.lc_g2, submitted_on=D(2024, 1, 5)), 20 * M, D(2024, 2, 1))
    rejected = submit(tree.lc_g2, submitted_on=D(2024, 1, 6))
    council = services.create_council(None, tree.lc, name="HĐ", year=2024)
    services.put_before_council(None, rejected, council)
    services.decide_initiative(
        None, rejected, recognised=False, decided_on=D(2024, 3, 1),
        decision_reference="QĐ 3", reasons="Không mới",
    )  # fmt: skip
    submit(tree.lc_g1, submitted_on=D(2024, 6, 1))
    recognise(submit(tree.ht_g1, submitted_on=D(2024, 1, 1)), 99 * M, D(2024, 2, 1))
    member = make_member(tree.lc_g1, full_name="Giàng A Páo", birth_date=D(1984, 3, 12))
    for code, kwargs in (
        ("lao-dong-sang-tao", {"member": member, "granted_by": tree.root}),
        ("co-thi-dua-ldld", {"unit": tree.lc_g2, "granted_by": tree.lc}),
    ):
        services.give_award(
            None, form=AwardForm.objects.get(code=code), decided_on=D(2024, 4, 1),
            decision_reference="QĐ", **kwargs,
        )  # fmt: skip
    movement = Movement.objects.create(
        unit=tree.lc, name="Lao động giỏi, lao động sáng tạo", starts_on=D(2023, 1, 1),
        ends_on=D(2025, 12, 31),
    )  # fmt: skip
    Registration.objects.create(movement=movement, unit=tree.lc_g1, registered_on=D(2023, 2, 1))
    Registration.objects.create(movement=movement, unit=tree.lc_g2, registered_on=D(2023, 2, 1))
    Registration.objects.create(
        movement=movement, unit=tree.lc_g1, member=member, registered_on=D(2023, 2, 1)
    )
    Registration.objects.create(movement=movement, unit=tree.ht_g1, registered_on=D(2023, 2, 1))
    return movement


def test_report_figures(tree, users, figures):
    report = selectors.report(users.lc_clerk, tree.lc, D(2023, 1, 1), D(2024, 12, 31))
    assert (report.submitted, report.recognised, report.not_recognised) == (5, 3, 1)
    assert report.benefit_vnd == 35 * M
    assert [(r.year, r.submitted, r.recognised, r.benefit_vnd) for r in report.by_year] == [
        (2023, 2, 2, 15 * M),
        (2024, 3, 1, 20 * M),
    ]
    assert [(r.unit.code, r.submitted, r.recognised, r.benefit_vnd, r.awards)
            for r in report.by_unit] == [
        ("LCI-D1", 3, 2, 15 * M, 1),
        ("LCI-D2", 2, 1, 20 * M, 1),
    ]  # fmt: skip
    assert sorted((f.code, n) for f, n in report.awards_by_form) == [
        ("co-thi-dua-ldld", 1),
        ("lao-dong-sang-tao", 1),
    ]
    assert report.ldst_people == 1
    assert [(m["name"], m["units"], m["people"]) for m in report.movements] == [
        ("Lao động giỏi, lao động sáng tạo", 2, 1)
    ]
    # A period: only 2024; a district's subtree.
    only_2024 = selectors.report(users.lc_clerk, tree.lc, D(2024, 1, 1), D(2024, 12, 31))
    assert (only_2024.recognised, only_2024.benefit_vnd) == (1, 20 * M)
    district = selectors.report(users.lc_clerk, tree.lc_d1, D(2023, 1, 1), D(2024, 12, 31))
    assert (district.recognised, district.benefit_vnd, district.ldst_people) == (2, 15 * M, 1)


def test_report_scope(tree, users, figures):
    with pytest.raises(Http404):
        selectors.report(users.ht_clerk, tree.lc, D(2023, 1, 1), D(2024, 12, 31))
    ht = selectors.report(users.ht_clerk, tree.ht, D(2023, 1, 1), D(2024, 12, 31))
    assert (ht.recognised, ht.benefit_vnd, ht.movements) == (1, 99 * M, [
        {"id": figures.pk, "name": figures.name, "launched_by": "LCI", "starts_on": D(2023, 1, 1),
         "ends_on": D(2025, 12, 31), "units": 1, "people": 0}])  # fmt: skip


def test_report_page_charts_and_xlsx(tree, users, figures):
    client = Client()
    client.force_login(users.lc_clerk)
    params = {"unit": "LCI", "from": "01/01/2023", "to": "2024-12-31"}
    html = client.get("/emulation/reports/", params).content.decode()
    assert html.count("<svg") >= 3 and 'id="fig-recognised">3<' in html
    assert 'id="fig-benefit">35.000.000<' in html
    response = client.get("/emulation/reports/", {**params, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    flat = [v for row in sheet.iter_rows(values_only=True) for v in row]
    assert 35 * M in flat and "Lao động giỏi, lao động sáng tạo" in flat
    assert client.get("/emulation/reports/", {"unit": "HTH"}).status_code == 404
    other = Client()
    other.force_login(users.ht_clerk)
    assert other.get("/emulation/reports/", {"unit": "LCI"}).status_code == 404


def test_lao_cai_demo_figures_come_from_the_data(db):
    """The Lào Cai report's words: since 2018 nearly 6,000 initiatives recognised, worth
    about 17 billion đồng, 26 people honoured "Lao động sáng tạo"."""
    started = timezone.now()
    call_command("loaddemo", "--quiet-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (timezone.now() - started).total_seconds() < 600
    lci = Unit.objects.get(code="LCI")
    clerk = User.objects.get(username="laocai.vanthu")
    report = selectors.report(clerk, lci, D(2018, 1, 1), timezone.localdate())
    in_lci = Initiative.objects.filter(
        unit__path__startswith=lci.path, status="recognised", decided_on__year__gte=2018
    )
    assert report.recognised == in_lci.count()
    assert 5_500 <= report.recognised < 6_000
    assert report.benefit_vnd == in_lci.aggregate(s=Sum("benefit_vnd"))["s"]
    assert 16_500 * M <= report.benefit_vnd <= 17_500 * M
    assert report.ldst_people == 26
    # Each of the 26 qualifies by the rule in the year they were honoured.
    honoured = {
        (a.person_name, a.year) for a in selectors.awards(clerk, unit=lci, form="lao-dong-sang-tao")
    }
    assert len(honoured) == 26
    for year in sorted({y for _n, y in honoured}):
        found = {c.full_name for c in selectors.lao_dong_sang_tao_candidates(clerk, lci, year)}
        assert {n for n, y in honoured if y == year} <= found
    # Authors linked to demo members; the council member who authored one does not score it.
    assert Initiative.objects.filter(authors__member__isnull=False).exists()
    mai = User.objects.get(username="laocai.vanphong")
    leader = User.objects.get(username="laocai.lanhdao")
    assert len(selectors.initiatives_to_score(leader)) == 3
    assert len(selectors.initiatives_to_score(mai)) == 2
    # Loaded once.
    count = Initiative.objects.count()
    call_command("loaddemo", "--quiet-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Initiative.objects.count() == count
