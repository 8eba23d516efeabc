from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from core import errors as core_errors
from core import views as core_views
from placements.views import shortlist

admin.site.site_header = "Rantau"
admin.site.site_title = "Rantau"

# Error pages in the house layout and the user's language (core.errors); 405 comes from its middleware.
handler400 = core_errors.bad_request
handler403 = core_errors.permission_denied
handler404 = core_errors.page_not_found
handler500 = core_errors.server_error

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
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
