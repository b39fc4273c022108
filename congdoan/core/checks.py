"""System checks that stop an unsafe deployment.

The SECRET_KEY check is a deployment check (`manage.py check --deploy`): maintenance
commands such as `makemigrations` run anywhere, while the WSGI/ASGI entry points (and so
`runserver`) refuse to serve with the default key when DEBUG is off.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


def insecure_secret_key() -> bool:
    """True when DEBUG is off and SECRET_KEY is still the development default or short."""
    from congdoan.settings import DEFAULT_SECRET_KEY

    return not settings.DEBUG and (
        settings.SECRET_KEY == DEFAULT_SECRET_KEY or len(settings.SECRET_KEY) < 32
    )


@register("security", deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[Error]:
    if insecure_secret_key():
        return [
            Error(
                "SECRET_KEY is the development default (or shorter than 32 characters) "
                "while DEBUG is off.",
                hint="Set SECRET_KEY in the environment to a long random value.",
                id="congdoan.E001",
            )
        ]
    return []


def assert_safe_to_serve() -> None:
    """Called by the WSGI/ASGI entry points: refuse to serve with an unsafe configuration."""
    if insecure_secret_key():
        raise ImproperlyConfigured(
            "Refusing to start: DEBUG is off and SECRET_KEY is the default. "
            "Set SECRET_KEY in the environment."
        )
