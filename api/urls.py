from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from . import views
from .errors import not_found

app_name = "api"

# Ids are integers in the URL (<int:pk>): anything else is a 404 from the catch-all below.
router = SimpleRouter(use_regex_path=False)
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("language-results", views.LanguageResultViewSet, basename="languageresult")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("placement-events", views.StageEventViewSet, basename="placementevent")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("training-batches", views.TrainingBatchViewSet, basename="trainingbatch")
router.register("enrolments", views.EnrolmentViewSet, basename="enrolment")
router.register("cohorts", views.CohortViewSet, basename="cohort")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("v1/schema/", views.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.docs, name="docs"),
    # Anything else under /api/: the JSON error shape, not the HTML 404 page.
    re_path(r"^.*$", not_found, name="not_found"),
]
