"""The operators' admin pages of the emulation catalogues: forms of commendation are added
and renamed, never deleted; a rule version is added with checked parameters and never
changes afterwards, and the candidates of its years follow it."""

from __future__ import annotations

import datetime as dt
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from congdoan.accounts.models import User
from congdoan.emulation.models import AwardForm, EligibilityRule
from congdoan.emulation.selectors import LDST_RULE, rule_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(settings) -> Client:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A transactional test earlier may have flushed what the data migration seeded.
    import_module("congdoan.emulation.migrations.0002_seed_forms_and_rules").seed(apps, None)
    user = User.objects.create_user(
        username="operator", password="mật-khẩu-dài-1", full_name="Vận hành", is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def rule_post(**changes: object) -> dict[str, object]:
    params = {
        "single": {"worker": 100_000_000, "university": 180_000_000, "manager": 250_000_000},
        "three_years": {"worker": 150_000_000},
        "window_years": 3,
    }
    data: dict[str, object] = {
        "code": LDST_RULE,
        "version": "2",
        "valid_from": "01/01/2027",
        "name": "Bằng Lao động sáng tạo: ngưỡng mới",
        "source": "Quyết định số 99/QĐ-TLĐ năm 2026",
        "params": json.dumps(params),
    }
    data.update(changes)
    return data


def test_forms_of_commendation_are_added_and_never_deleted(operator):
    listing = operator.get("/admin/emulation/awardform/").content.decode()
    assert "Lao động tiên tiến" in listing and "Bằng Lao động sáng tạo" in listing
    response = operator.post(
        "/admin/emulation/awardform/add/",
        {
            "code": "ky-niem-chuong",
            "name": "Kỷ niệm chương Vì sự nghiệp xây dựng tổ chức Công đoàn",
            "level": "Tổng Liên đoàn Lao động Việt Nam",
            "recipients": "person",
            "order": "80",
        },
    )
    assert response.status_code == 302
    made = AwardForm.objects.get(code="ky-niem-chuong")
    assert operator.get(f"/admin/emulation/awardform/{made.pk}/delete/").status_code == 403


def test_a_rule_version_with_bad_parameters_is_refused_naming_them(operator):
    before = EligibilityRule.objects.count()
    bad = {"single": {"worker": -5, "manager": "nhiều"}, "window_years": 30, "bonus": 1}
    with translation.override("en"):
        page = operator.post(
            "/admin/emulation/eligibilityrule/add/", rule_post(params=json.dumps(bad))
        ).content.decode()
    assert "“single” → “worker”: the threshold must be whole VND above 0." in page
    assert "“single” → “manager”" in page
    assert "“three_years” must list qualifications" in page
    assert "“window_years” must be a whole number of years from 1 to 10." in page
    assert "Unknown parameters: bonus." in page
    assert EligibilityRule.objects.count() == before  # nothing written


def test_a_new_version_applies_from_its_date_and_never_changes(operator):
    response = operator.post("/admin/emulation/eligibilityrule/add/", rule_post())
    assert response.status_code == 302
    new = EligibilityRule.objects.get(code=LDST_RULE, version=2)
    assert rule_for(LDST_RULE, 2026).version == 1  # the years before keep their rule
    assert rule_for(LDST_RULE, 2027) == new
    assert new.params["single"]["worker"] == 100_000_000
    page = operator.get(f"/admin/emulation/eligibilityrule/{new.pk}/change/").content.decode()
    assert 'name="params"' not in page  # shown, not editable
    operator.post(
        f"/admin/emulation/eligibilityrule/{new.pk}/change/", rule_post(version="2", name="x")
    )
    new.refresh_from_db()
    assert new.name == "Bằng Lao động sáng tạo: ngưỡng mới" and new.valid_from == dt.date(
        2027, 1, 1
    )
    assert operator.get(f"/admin/emulation/eligibilityrule/{new.pk}/delete/").status_code == 403
    # The same version number twice is refused.
    again = operator.post("/admin/emulation/eligibilityrule/add/", rule_post())
    assert again.status_code == 200 and EligibilityRule.objects.filter(version=2).count() == 1
