"""The editors' pages of the portals, under ``/portal-admin/``."""

from django.urls import path

from congdoan.portal import views

app_name = "portal_staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("article/<int:pk>/", views.detail, name="article"),
    path("article/<int:pk>/edit/", views.edit, name="edit"),
    path("article/<int:pk>/preview/", views.preview, name="preview"),
    path("article/<int:pk>/revisions/", views.revisions, name="revisions"),
    path("article/<int:pk>/revisions/compare/", views.compare, name="compare"),
    path("article/<int:pk>/revisions/<int:number>/revert/", views.revert, name="revert"),
    path("article/<int:pk>/<str:name>/", views.step, name="step"),
    path("image/<int:pk>/", views.image, name="image"),
    path("category/<int:pk>/", views.category, name="category"),
    path("<slug:portal>/", views.articles, name="articles"),
    path("<slug:portal>/new/", views.create, name="create"),
    path("<slug:portal>/images/", views.images, name="images"),
    path("<slug:portal>/categories/", views.categories, name="categories"),
]
