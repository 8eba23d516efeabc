from django.urls import path

from . import views

app_name = "scholarships"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/action/", views.round_action, name="round_action"),
    path("rounds/<int:pk>/reviewers/", views.round_reviewers, name="round_reviewers"),
    path("rounds/<int:pk>/apply/", views.application_register, name="application_register"),
    path("rounds/<int:pk>/announcement/", views.announcement, name="announcement"),
    path("rounds/<int:pk>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("applications/<int:pk>/score/", views.application_score, name="application_score"),
    path("applications/<int:pk>/conflict/", views.application_conflict, name="application_conflict"),
    path("applications/<int:pk>/semester/", views.semester_report, name="semester_report"),
    path("applications/<int:pk>/commitment/", views.commitment, name="commitment"),
]
