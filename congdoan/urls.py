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
    path("the/<str:token>/", member_views.verify_card, name="card_verify"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
