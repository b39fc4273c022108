from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from congdoan.api import api
from congdoan.members import views as member_views

urlpatterns = [
    path("", include("congdoan.core.urls")),
    path("accounts/", include("congdoan.accounts.urls")),
    path("org/", include("congdoan.org.urls")),
    path("members/", include("congdoan.members.urls")),
    path("documents/", include("congdoan.documents.urls")),
    path("portal-admin/", include("congdoan.portal.urls_staff")),
    path("emulation/", include("congdoan.emulation.urls")),
    path("the/<str:token>/", member_views.verify_card, name="card_verify"),
    path("p/<slug:portal_slug>/", include("congdoan.portal.urls_public")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Uploaded public files (portal pictures) in development; in production the reverse proxy
# serves MEDIA_ROOT/portal/ at MEDIA_URL/portal/. Nothing under MEDIA_ROOT/private/ (document
# attachments, import files) is ever served as a file: the documents' own views check scope.
if settings.DEBUG:
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/portal/(?P<path>.*)$",
            serve,
            {"document_root": Path(settings.MEDIA_ROOT) / "portal"},
        )
    ]
