from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from placements.views import shortlist

admin.site.site_header = "Rantau"
admin.site.site_title = "Rantau"

urlpatterns = [
    path("", include("dashboards.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("programmes/<int:pk>/shortlist/", shortlist.programme_shortlist, name="programme_shortlist"),
    path("accounts/", include("accounts.urls")),
    path("candidates/", include("candidates.urls")),
    path("", include("programmes.urls")),
    path("placements/", include("placements.urls")),
    path("protection/", include("protection.urls")),
    path("api/", include("api.urls")),
    path("messages/", include("messaging.urls")),
    path("privacy/", include("privacy.urls")),
    path("scholarships/", include("scholarships.urls")),
    path("jobs/", include("jobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
