from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("programmes/", views.programme_list, name="programme_list"),
    # /programmes/<id>/ is the programme dashboard, served by dashboards (config/urls.py): it
    # needs placements and candidates, which this app may not import.
]
