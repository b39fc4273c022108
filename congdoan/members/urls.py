from django.urls import path

from congdoan.members import views

app_name = "members"

urlpatterns = [
    path("", views.member_list, name="list"),
    path("export/", views.export, name="export"),
    path("new/", views.member_new, name="new"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("<int:pk>/end/", views.member_end, name="end"),
    path("import/", views.import_members, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:job_id>/", views.import_job, name="import_job"),
    path("import/<uuid:job_id>/errors.xlsx", views.import_errors, name="import_errors"),
    path("import/<uuid:job_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("stats/", views.stats, name="stats"),
    path("cards/", views.cards, name="cards"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/resolve/", views.resolve_duplicate, name="resolve_duplicate"),
]
