from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

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
# Uploaded files (portal pictures) in development; in production the reverse proxy serves
# MEDIA_ROOT at MEDIA_URL.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
