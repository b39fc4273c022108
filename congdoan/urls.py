from django.contrib import admin
from django.urls import include, path

from congdoan.api import api

urlpatterns = [
    path("", include("congdoan.core.urls")),
    path("accounts/", include("congdoan.accounts.urls")),
    path("org/", include("congdoan.org.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
