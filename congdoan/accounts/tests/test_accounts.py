"""Login, lockout, passwords, personal API tokens, roles and their scopes."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client

from congdoan.accounts.models import ApiToken, RoleAssignment
from congdoan.accounts.permissions import MANAGE_ORG, VIEW_ORG, Role
from congdoan.accounts.selectors import can, scope_for
from congdoan.accounts.services import grant_role, revoke_role
from congdoan.core.models import AuditEntry

PASSWORD = "mật-khẩu-dài-1"


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout(users):
    client = Client()
    response = post_login(client, "lc.clerk", PASSWORD)
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Liên đoàn Lao động tỉnh Lào Cai" in home
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_shows_the_form_again(users):
    client = Client()
    response = post_login(client, "lc.clerk", "sai")
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert client.get("/").status_code == 302


def test_lockout_after_repeated_failures(users, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        post_login(client, "lc.clerk", "sai")
    response = post_login(client, "lc.clerk", PASSWORD)  # right password, but locked now
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2(users):
    users.lc_clerk.refresh_from_db()
    assert users.lc_clerk.password.startswith("argon2")


def test_password_change(users):
    client = Client()
    post_login(client, "lc.clerk", PASSWORD)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Công-đoàn-số-2026!", "new_password2":
         "Công-đoàn-số-2026!"},
    )  # fmt: skip
    assert response.status_code == 302
    other = Client()
    assert post_login(other, "lc.clerk", PASSWORD).status_code == 200
    assert post_login(other, "lc.clerk", "Công-đoàn-số-2026!").status_code == 302


def test_password_change_errors_name_the_field(users):
    client = Client()
    post_login(client, "lc.clerk", PASSWORD)
    response = client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": "a", "new_password2": "b"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"old_password", "new_password2"}


def test_token_page_shows_secret_once_and_stores_only_a_hash(users):
    client = Client()
    client.force_login(users.lc_clerk)
    page = client.post("/accounts/tokens/", {"name": "Báo cáo tự động"}).content.decode()
    token = ApiToken.objects.get(user=users.lc_clerk)
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/accounts/tokens/").content.decode()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(users):
    from congdoan.accounts.services import create_token

    token, _secret = create_token(users.lc_clerk, "mine")
    client = Client()
    client.force_login(users.ht_clerk)
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_createtoken_command(users, capsys):
    call_command("createtoken", "lc.clerk")
    secret = capsys.readouterr().out.strip()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/org/units/LCI")
    assert response.status_code == 200


def test_role_covers_the_whole_subtree_only(tree, users):
    assert can(users.lc_clerk, VIEW_ORG, tree.lc_g1.path)
    assert can(users.lc_clerk, MANAGE_ORG, tree.lc_g1.path)
    assert not can(users.lc_clerk, VIEW_ORG, tree.ht.path)
    assert not can(users.lc_clerk, VIEW_ORG, tree.root.path)
    assert not can(users.lc_specialist, MANAGE_ORG, tree.lc.path)
    assert scope_for(users.nobody).is_empty
    assert scope_for(users.admin).prefixes == (tree.root.path,)


def test_scope_follows_a_move(tree, users):
    from congdoan.org import services

    services.move_unit(users.admin, tree.lc_d1, tree.ht, effective_date=__import__(
        "datetime").date(2020, 1, 1), legal_basis="QĐ")  # fmt: skip
    tree.refresh()
    users.lc_clerk._active_assignments = None
    users.ht_clerk._active_assignments = None
    assert not can(users.lc_clerk, VIEW_ORG, tree.lc_g1.path)
    assert can(users.ht_clerk, VIEW_ORG, tree.lc_g1.path)


def test_granting_and_revoking_roles_is_audited_and_scoped(tree, users):
    assignment = grant_role(users.admin, user=users.nobody, unit=tree.lc_d1, role=Role.SPECIALIST)
    assert AuditEntry.objects.filter(action="grant", object_id=str(assignment.pk)).exists()
    with pytest.raises(PermissionDenied):
        grant_role(users.lc_clerk, user=users.nobody, unit=tree.lc_d2, role=Role.ADMIN)
    revoke_role(users.admin, assignment)
    assert RoleAssignment.objects.get(pk=assignment.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action="revoke", object_id=str(assignment.pk)).exists()


def test_language_defaults_to_vietnamese(users):
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get("/accounts/login/").content.decode()


def test_vietnamese_even_when_the_browser_asks_for_english(users):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
