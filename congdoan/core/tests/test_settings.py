import pytest
from django.core.exceptions import ImproperlyConfigured

from congdoan.core.checks import assert_safe_to_serve, check_secret_key
from congdoan.settings import DEFAULT_SECRET_KEY, env_bool, env_int, env_list


def test_env_bool_reads_and_refuses(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 0) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        env_int("X_NUM", 0)


def test_env_list(monkeypatch):
    monkeypatch.setenv("X_HOSTS", "a.vn, b.vn,,")
    assert env_list("X_HOSTS", []) == ["a.vn", "b.vn"]


def test_default_secret_key_refused_without_debug(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = DEFAULT_SECRET_KEY
    assert [e.id for e in check_secret_key()] == ["congdoan.E001"]
    with pytest.raises(ImproperlyConfigured):
        assert_safe_to_serve()
    settings.SECRET_KEY = "k" * 50
    assert check_secret_key() == []
    assert_safe_to_serve()


def test_default_secret_key_allowed_in_debug(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = DEFAULT_SECRET_KEY
    assert check_secret_key() == []


def _settings_with(env: dict[str, str]) -> dict:
    """Load the settings module afresh in a child process with ``env`` and return DATABASES."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, congdoan.settings as s;"
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_turn_jit_off_unless_asked():
    url = "postgres://postgres@127.0.0.1:5432/whatever"
    assert "-c jit=off" in _settings_with({"DATABASE_URL": url})["options"]
    assert "options" not in _settings_with({"DATABASE_URL": url, "DATABASE_JIT": "true"})


def test_development_serves_the_portals_pictures_but_never_private_files(db, settings, tmp_path):
    """With DEBUG on, /media/portal/… is served from MEDIA_ROOT; attachments and import files
    under MEDIA_ROOT/private/ are not, whatever their name."""
    import importlib

    from django.test import Client
    from django.urls import clear_url_caches

    import congdoan.urls

    (tmp_path / "portal" / "1").mkdir(parents=True)
    (tmp_path / "portal" / "1" / "anh.jpg").write_bytes(b"\xff\xd8 picture")
    (tmp_path / "private" / "documents").mkdir(parents=True)
    (tmp_path / "private" / "documents" / "mat.pdf").write_bytes(b"%PDF secret")
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    try:
        importlib.reload(congdoan.urls)
        clear_url_caches()
        client = Client()
        assert client.get("/media/portal/1/anh.jpg").status_code == 200
        assert client.get("/media/private/documents/mat.pdf").status_code == 404
        escape = client.get("/media/portal/../private/documents/mat.pdf")
        assert escape.status_code in (400, 404)  # refused as a suspicious path, not served
    finally:
        settings.DEBUG = False
        importlib.reload(congdoan.urls)
        clear_url_caches()
    assert Client().get("/media/portal/1/anh.jpg").status_code == 404  # production: the proxy
