from django.urls import path

from . import views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_list, name="candidate_list"),
    path("new/", views.candidate_create, name="candidate_create"),
    path("export/", views.candidate_export, name="candidate_export"),
    path("export/start/", views.candidate_export_start, name="candidate_export_start"),
    path("import/", views.candidate_import, name="candidate_import"),
    path("import/template.<str:fmt>", views.candidate_import_template, name="candidate_import_template"),
    path("import/<str:token>/", views.candidate_import_preview, name="candidate_import_preview"),
    path("import/<str:token>/commit/", views.candidate_import_commit, name="candidate_import_commit"),
    path("import/<str:token>/cancel/", views.candidate_import_cancel, name="candidate_import_cancel"),
    path("wilayah/kelurahan/", views.kelurahan_options, name="kelurahan_options"),
    path("nik/decode/", views.nik_decode, name="nik_decode"),
    path("<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="candidate_edit"),
    path("<int:pk>/data-report/", views.candidate_data_report, name="candidate_data_report"),
    path("<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/documents/new/", views.document_create, name="document_create"),
    path("documents/<int:doc_id>/download/", views.document_download, name="document_download"),
    path("documents/<int:doc_id>/verify/", views.document_verify, name="document_verify"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/new/", views.transfer_request, name="transfer_request"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<int:pk>/refuse/", views.transfer_refuse, name="transfer_refuse"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="transfer_cancel"),
]
