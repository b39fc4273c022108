from django.urls import path

from congdoan.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("healthz", views.healthz, name="healthz"),
]
