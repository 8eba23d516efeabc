from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("programmes/<int:pk>/summary/", views.programme_summary, name="programme_summary"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/action/", views.case_action, name="case_action"),
    path("cases/<int:pk>/escalate/", views.case_escalate, name="case_escalate"),
    path("cases/<int:pk>/resolve/", views.case_resolve, name="case_resolve"),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path("cases/<int:pk>/print/", views.case_print, name="case_print"),
    path("cases/<int:pk>/documents/", views.case_document_add, name="case_document_add"),
    path("cases/<int:pk>/documents/<int:doc_id>/", views.case_document_download, name="case_document_download"),
    path("workers/", views.worker_list, name="worker_list"),
    path("placements/<int:pk>/", views.placement_protection, name="placement"),
    path("placements/<int:pk>/contact/", views.contact_create, name="contact_create"),
    path("placements/<int:pk>/contact-details/", views.contact_record_save, name="contact_record_save"),
    path("placements/<int:pk>/cases/new/", views.case_create, name="case_create"),
    path("placements/<int:pk>/debrief/", views.debrief, name="debrief"),
    path("placements/<int:pk>/follow-up/<int:month>/", views.follow_up, name="follow_up"),
    path("cohorts/<int:pk>/contacts/", views.cohort_contacts, name="cohort_contacts"),
    path("holds/", views.hold_list, name="hold_list"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
]
