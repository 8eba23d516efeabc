from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("people/<int:candidate_pk>/requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/report.xlsx", views.request_report_xlsx, name="request_report_xlsx"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_create, name="breach_create"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach_detail"),
    path("breaches/<int:pk>/notified/", views.breach_notified, name="breach_notified"),
    path("breaches/<int:pk>/letters/authority/", views.breach_letter, name="breach_letter_authority"),
    path("breaches/<int:pk>/letters/<int:candidate_pk>/", views.breach_letter, name="breach_letter_person"),
]
