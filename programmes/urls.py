from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/move/", views.agreement_move, name="agreement_move"),
    path("agreements/events/<int:event_id>/document/", views.agreement_document, name="agreement_document"),
    path("agreements/partners/", views.partner_list, name="partner_list"),
    path("agreements/partners/new/", views.partner_create, name="partner_create"),
    path("agreements/partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    # /programmes/<id>/ is the programme dashboard, served by dashboards (config/urls.py): it
    # needs placements and candidates, which this app may not import.
]
