from django.urls import path

from congdoan.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("inbox/<int:pk>/register/", views.register_delivery, name="register_delivery"),
    path("outbox/", views.outbox, name="outbox"),
    path("incoming/", views.incoming_list, name="incoming"),
    path("incoming/new/", views.register_incoming, name="register_incoming"),
    path("incoming/edxml/", views.import_edxml, name="import_edxml"),
    path("new/", views.compose, name="compose"),
    path("new/recipient-row/", views.recipient_row, name="recipient_row"),
    path("units/", views.unit_options, name="unit_options"),
    path("search/", views.search_page, name="search"),
    path("registers/", views.registers, name="registers"),
    path("reports/timeliness/", views.timeliness, name="timeliness"),
    path("tasks/", views.tasks, name="tasks"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("assignments/<int:pk>/<str:name>/", views.assignment_step, name="assignment_step"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/print.docx", views.print_docx, name="print_docx"),
    path("<int:pk>/print.pdf", views.print_pdf, name="print_pdf"),
    path("<int:pk>/edxml/", views.export_edxml, name="edxml"),
    path("<int:pk>/slip.pdf", views.handling_slip, name="slip"),
    path("<int:pk>/<str:name>/", views.step, name="step"),
]
