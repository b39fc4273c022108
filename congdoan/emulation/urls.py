from django.urls import path

from congdoan.emulation import views

app_name = "emulation"

urlpatterns = [
    path("", views.home, name="home"),
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/mine/", views.my_initiatives, name="my_initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative"),
    path("initiatives/<int:pk>/council/", views.initiative_put_before, name="put_before"),
    path("initiatives/<int:pk>/score/", views.initiative_score, name="score"),
    path("initiatives/<int:pk>/decide/", views.initiative_decide, name="decide"),
    path("initiatives/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("score/", views.to_score, name="to_score"),
    path("councils/", views.council_list, name="councils"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("awards/", views.award_list, name="awards"),
    path("awards/new/", views.award_new, name="award_new"),
    path("candidates/", views.candidates, name="candidates"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/<str:step>/", views.proposal_step, name="proposal_step"),
    path("reports/", views.report, name="report"),
    path("members/<int:pk>/initiatives/", views.member_initiatives, name="member_initiatives"),
    # --- movements and contests (below)
    path("movements/", views.movement_list, name="movements"),
    path("movements/new/", views.movement_new, name="movement_new"),
    path("movements/<int:pk>/", views.movement_detail, name="movement"),
    path("movements/<int:pk>/register/", views.movement_register, name="movement_register"),
    path("movements/<int:pk>/reviews/new/", views.movement_review, name="movement_review"),
    path("contests/", views.contest_list, name="contests"),
    path("contests/new/", views.contest_new, name="contest_new"),
    path("contests/jury/", views.jury_home, name="jury"),
    path("contests/<int:pk>/", views.contest_detail, name="contest"),
    path("contests/<int:pk>/phases/", views.contest_phases, name="contest_phases"),
    path("contests/<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("contests/<int:pk>/prizes/", views.contest_prizes, name="contest_prizes"),
    path("contests/<int:pk>/rounds/<int:number>/", views.round_detail, name="round"),
    path("contests/<int:pk>/rounds/<int:number>/jurors/", views.round_assign, name="round_assign"),
    path(
        "contests/<int:pk>/rounds/<int:number>/advance/",
        views.round_advance,
        name="round_advance",
    ),
    path("contests/<int:pk>/rounds/<int:number>/jury/", views.jury_round, name="jury_round"),
    path(
        "contests/<int:pk>/rounds/<int:number>/jury/<int:entry>/",
        views.jury_score,
        name="jury_score",
    ),
    path("contests/<slug:slug>/results/", views.contest_results, name="contest_results"),
]
