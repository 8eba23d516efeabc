from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from dashboards import views as dashboard_views
from placements import shortlist_views

admin.site.site_header = "Rantau"
admin.site.site_title = "Rantau"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("national/", dashboard_views.national, name="national"),
    # The programme page is the programme dashboard (DESIGN §5); it draws on every app.
    path("programmes/<int:pk>/", dashboard_views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/shortlist/", shortlist_views.programme_shortlist, name="programme_shortlist"),
    path("accounts/", include("accounts.urls")),
    path("candidates/", include("candidates.urls")),
    path("", include("programmes.urls")),
    path("placements/", include("placements.urls")),
    path("messages/", include("messaging.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
