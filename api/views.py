"""The endpoints of /api/v1/. Thin: scoped reads through the apps' selectors, writes through the
screens' forms and services; errors in one JSON shape (api.errors)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Sum
from django.utils.translation import gettext as _
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import require_perm, scope_queryset
from candidates import selectors as candidate_selectors
from candidates import services as candidate_services
from candidates.forms import CandidateForm
from candidates.models import CANDIDATE_DATA_FIELDS, Candidate, Document, LanguageResult
from candidates.readlog import Kind, record_read
from placements import selectors as placement_selectors
from placements import services as placement_services
from placements.forms import LanguageResultForm
from placements.models import Enrolment, PlacementStageEvent
from programmes import selectors as programme_selectors
from programmes.models import ProgrammeDemand

from . import filters
from . import serializers as s
from .auth import TokenAuthentication, client_of, has_personal_data_scope
from .errors import ApiError
from .idempotency import idempotent
from .models import ApiRequestLog

ERRORS = {
    400: inline_serializer(
        "Error",
        {
            "error": inline_serializer(
                "ErrorDetail",
                {
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                    "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
                },
            )
        },
    )
}


class ApiView:
    """Logs each request of a client (method, path without query string, status)."""

    lookup_value_converter = "int"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        client = client_of(request)
        if client is not None:
            ApiRequestLog.objects.create(
                client=client, method=request.method, path=request.path[:255], status=response.status_code
            )
        return response


class ReadViewSet(ApiView, viewsets.ReadOnlyModelViewSet):
    pass


class PersonReadLog:
    """Every read of people's records through the API goes into the read log (candidates.readlog), beside
    the API's technical request log: a list page is one row with its filter and number of rows, a
    record one row naming the person. `person` is the path from a record to its candidate ("" for a
    candidate itself)."""

    person = "candidate"

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            data = response.data
            rows = len(data.get("results", [])) if isinstance(data, dict) else len(data)
            record_read(
                request.user,
                Kind.API_READ,
                filters=request.query_params,
                rows=rows,
                full_identifiers=has_personal_data_scope(request),
                request=request,
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        candidate = getattr(instance, self.person) if self.person else instance
        record_read(
            request.user,
            Kind.API_READ,
            candidate=candidate,
            full_identifiers=has_personal_data_scope(request),
            request=request,
            object_id=instance.pk,
            detail=instance._meta.model_name,
        )
        return Response(data)


def _form_errors(form) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if name == "__all__" else name): [e["message"] for e in errors]
        for name, errors in form.errors.get_json_data().items()
    }


def _form_data(values: dict) -> dict:
    return {name: "" if value is None else str(value) for name, value in values.items()}


# --- candidates ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Candidates in the client's municipality"),
    create=extend_schema(request=s.CandidateWriteSerializer, responses={201: s.CandidateSerializer, 400: ERRORS[400]}),
    partial_update=extend_schema(
        request=s.CandidateUpdateSerializer, responses={200: s.CandidateSerializer, 400: ERRORS[400], 409: ERRORS[400]}
    ),
)
class CandidateViewSet(
    PersonReadLog, ApiView, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = s.CandidateSerializer
    filterset_class = filters.CandidateApiFilter
    person = ""
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, with no client behind it
            return Candidate.objects.none()
        return candidate_selectors.candidate_list(user=self.request.user)

    def _require_personal_data(self):
        # Writing a person's record means sending their NIK and name: the personal-data scope.
        if not has_personal_data_scope(self.request):
            raise ApiError(403, "permission_denied", _("Writing candidates needs the personal-data scope."))

    def _validated_form(self, data: dict, *, instance=None, confirm: bool) -> CandidateForm:
        form = CandidateForm(_form_data(data), user=self.request.user, instance=instance)
        valid = form.is_valid()
        if not valid and confirm and form.needs_confirmation and set(form.errors) == {"__all__"}:
            form = CandidateForm(
                _form_data(data) | {"confirm_warnings": form.warnings_fingerprint},
                user=self.request.user,
                instance=instance,
            )
            valid = form.is_valid()
        if valid:
            return form
        if form.needs_confirmation and set(form.errors) == {"__all__"}:
            raise ApiError(
                400,
                "confirmation_required",
                _("Check the warnings, then send the request again with confirm_warnings: true."),
                {
                    "warnings": form.warnings,
                    "possible_duplicates": [str(c.pk) for c in form.possible_duplicates],
                    # Another office registered someone like this: its name only.
                    "similar_elsewhere": form.similar_elsewhere,
                },
            )
        raise ApiError(400, "invalid", _("The data is not valid."), _form_errors(form))

    @idempotent
    def create(self, request, *args, **kwargs):
        self._require_personal_data()
        require_perm(request.user, "candidates.add_candidate")
        if not request.user.municipality_id:
            raise ApiError(403, "permission_denied", _("Candidates belong to a municipality."))
        payload = s.CandidateWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        confirm = data.pop("confirm_warnings")
        form = self._validated_form(data, confirm=confirm)
        candidate = candidate_services.candidate_create(user=request.user, data=form.candidate_data())
        candidate = candidate_selectors.candidate_list(user=request.user).get(pk=candidate.pk)
        return Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise ApiError(405, "method_not_allowed", _("Use PATCH."))
        self._require_personal_data()
        candidate = candidate_selectors.get_candidate_for_user(request.user, kwargs["pk"], write=True)
        payload = s.CandidateUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        changes = dict(payload.validated_data)
        version = changes.pop("version")
        confirm = changes.pop("confirm_warnings", False)
        current = {name: getattr(candidate, name) for name in CANDIDATE_DATA_FIELDS}
        form = self._validated_form(current | changes, instance=candidate, confirm=confirm)
        candidate_services.candidate_update(
            user=request.user, candidate=candidate, data=form.candidate_data(), expected_version=version
        )
        candidate = candidate_selectors.candidate_list(user=request.user).get(pk=candidate.pk)
        return Response(self.get_serializer(candidate).data)


class DocumentViewSet(PersonReadLog, ReadViewSet):
    """Document metadata; the files are downloaded on the screens, never through the API."""

    serializer_class = s.DocumentSerializer
    filterset_class = filters.DocumentApiFilter

    def get_queryset(self):
        return scope_queryset(Document.objects.all(), self.request.user, "candidate__municipality")


@extend_schema_view(
    create=extend_schema(
        request=s.LanguageResultWriteSerializer, responses={201: s.LanguageResultSerializer, 400: ERRORS[400]}
    )
)
class LanguageResultViewSet(PersonReadLog, ApiView, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.LanguageResultSerializer
    filterset_class = filters.LanguageResultApiFilter

    def get_queryset(self):
        return scope_queryset(LanguageResult.objects.all(), self.request.user, "candidate__municipality")

    @idempotent
    def create(self, request, *args, **kwargs):
        payload = s.LanguageResultWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        placement = placement_selectors.get_placement_for_user(request.user, data.pop("placement"), write=True)
        require_perm(request.user, "candidates.add_languageresult")
        form = LanguageResultForm(_form_data(data))
        if not form.is_valid():
            raise ApiError(400, "invalid", _("The data is not valid."), _form_errors(form))
        result = placement_services.language_result_record(placement=placement, user=request.user, **form.cleaned_data)
        return Response(self.get_serializer(result).data, status=status.HTTP_201_CREATED)


# --- placements ------------------------------------------------------------------------------------


class PlacementViewSet(PersonReadLog, ReadViewSet):
    serializer_class = s.PlacementSerializer
    filterset_class = filters.PlacementApiFilter

    def get_queryset(self):
        return placement_selectors.placement_list(user=self.request.user)

    @extend_schema(
        request=s.PlacementMoveSerializer,
        responses={200: s.PlacementSerializer, 400: ERRORS[400], 409: ERRORS[400], 422: ERRORS[400]},
        summary="Move a placement to another stage (the screens' gates; 422 says which failed)",
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    @idempotent
    def move(self, request, pk=None):
        placement = placement_selectors.get_placement_with_gate_data(request.user, pk, write=True)
        payload = s.PlacementMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        placement_services.placement_move(
            placement=placement,
            to_stage=data["to_stage"],
            user=request.user,
            note=data["note"],
            reason=data["reason"],
            on_date=data["on_date"],
            version=data["version"],
        )
        placement = placement_selectors.placement_list(user=request.user).get(pk=placement.pk)
        return Response(self.get_serializer(placement).data)


class StageEventViewSet(ReadViewSet):
    serializer_class = s.StageEventSerializer
    filterset_class = filters.StageEventApiFilter

    def get_queryset(self):
        return scope_queryset(PlacementStageEvent.objects.all(), self.request.user, "placement__municipality")


# --- programmes, agreements, training, cohorts -----------------------------------------------------


class ProgrammeViewSet(ReadViewSet):
    serializer_class = s.ProgrammeSerializer
    filterset_class = filters.ProgrammeApiFilter

    def get_queryset(self):
        demands = ProgrammeDemand.objects.select_related("occupation").order_by("occupation__name")
        return programme_selectors.programme_list(user=self.request.user).prefetch_related(
            Prefetch("demands", queryset=demands)
        )


class AgreementViewSet(ReadViewSet):
    serializer_class = s.AgreementSerializer
    filterset_class = filters.AgreementApiFilter

    def get_queryset(self):
        return programme_selectors.agreement_list(user=self.request.user)


class TrainingBatchViewSet(ReadViewSet):
    serializer_class = s.TrainingBatchSerializer
    filterset_class = filters.BatchApiFilter

    def get_queryset(self):
        return placement_selectors.batch_list(user=self.request.user)


class EnrolmentViewSet(ReadViewSet):
    serializer_class = s.EnrolmentSerializer
    filterset_class = filters.EnrolmentApiFilter

    def get_queryset(self):
        return scope_queryset(Enrolment.objects.all(), self.request.user, "placement__municipality")


class CohortViewSet(ReadViewSet):
    serializer_class = s.CohortSerializer
    filterset_class = filters.CohortApiFilter

    def get_queryset(self):
        return placement_selectors.cohort_list(user=self.request.user)


# --- statistics ------------------------------------------------------------------------------------


class StatisticsView(ApiView, APIView):
    """Counts only, no person: placements per municipality, programme and stage, and per occupation
    code (ISCO-08 and KBJI 2014); demand per programme and occupation code; candidates per
    municipality. The one endpoint a national client may read."""

    national_allowed = True

    @extend_schema(
        responses={200: s.StatisticsSerializer},
        parameters=[OpenApiParameter("programme", int, description="Only this programme's placements")],
    )
    def get(self, request):
        placements = placement_selectors.placement_list(user=request.user).select_related(None).order_by()
        programme = request.query_params.get("programme")
        if programme:
            if not programme.isdigit():
                raise ApiError(400, "invalid", _("The data is not valid."), {"programme": [_("Enter a number.")]})
            placements = placements.filter(programme_id=int(programme))
        stage_rows = (
            placements.values("municipality__code", "programme_id", "stage")
            .annotate(count=Count("*"))
            .order_by("municipality__code", "programme_id", "stage")
        )
        occupation_rows = (
            placements.values("municipality__code", "programme_id", "occupation__isco_code", "occupation__kbji_code")
            .annotate(count=Count("*"))
            .order_by("municipality__code", "programme_id", "occupation__isco_code", "occupation__kbji_code")
        )
        demands = ProgrammeDemand.objects.filter(
            programme__in=programme_selectors.programme_list(user=request.user).order_by().values("pk")
        )
        if programme:
            demands = demands.filter(programme_id=int(programme))
        demand_rows = (
            demands.values("programme_id", "occupation__isco_code", "occupation__kbji_code")
            .annotate(requested=Sum("requested"))
            .order_by("programme_id", "occupation__isco_code", "occupation__kbji_code")
        )
        candidate_rows = (
            candidate_selectors.candidates_to_count(user=request.user)
            .order_by()
            .values("municipality__code")
            .annotate(count=Count("*"))
            .order_by("municipality__code")
        )
        data = {
            "placements": [
                {
                    "municipality": r["municipality__code"],
                    "programme": r["programme_id"],
                    "stage": r["stage"],
                    "count": r["count"],
                }
                for r in stage_rows
            ],
            "placements_by_occupation": [
                {
                    "municipality": r["municipality__code"],
                    "programme": r["programme_id"],
                    "isco_code": r["occupation__isco_code"] or None,
                    "kbji_code": r["occupation__kbji_code"] or None,
                    "count": r["count"],
                }
                for r in occupation_rows
            ],
            "demand_by_occupation": [
                {
                    "programme": r["programme_id"],
                    "isco_code": r["occupation__isco_code"] or None,
                    "kbji_code": r["occupation__kbji_code"] or None,
                    "requested": r["requested"],
                }
                for r in demand_rows
            ],
            "candidates": [{"municipality": r["municipality__code"], "count": r["count"]} for r in candidate_rows],
        }
        return Response(s.StatisticsSerializer(data).data)


# --- schema and documentation ------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: for API clients and for signed-in staff reading the docs page."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = []
    # JSON first: the schema (and a 401) in JSON unless YAML is asked for.
    renderer_classes = [OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored drf-spectacular-sidecar assets; its script is a separate file
    (no inline script, so the Content-Security-Policy holds)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = []
    template_name = "api/docs.html"
    url_name = "api:schema"


docs = login_required(DocsView.as_view())
