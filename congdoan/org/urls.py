from django.urls import path

from congdoan.org import views

app_name = "org"

urlpatterns = [
    path("chart/", views.chart, name="chart"),
    path("chart/node/<str:code>/", views.chart_node, name="chart_node"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("units/<str:code>/streamlining/", views.streamlining, name="streamlining"),
    path("units/<str:code>/audit/", views.unit_audit, name="audit"),
    path("units/<str:code>/export.<str:fmt>", views.export, name="export"),
    path("units/<str:code>/events/new/", views.record_event, name="record_event"),
    path("import/", views.import_units, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
