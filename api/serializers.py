"""What the API reads and accepts. Reads are model serializers; writes are checked here for shape
(types, unknown fields: 400) and then by the screens' forms and services for the rules."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from candidates.models import Candidate, Document, LanguageResult
from core.choices import Education, LanguageTest, Sex
from placements.models import Cohort, Enrolment, Placement, PlacementStage, PlacementStageEvent, TrainingBatch
from programmes.models import Agreement, Occupation, Programme, ProgrammeDemand

from .auth import has_personal_data_scope


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class PersonalFieldsMixin:
    """Fields listed in Meta.personal_fields are null unless the client has the personal-data scope."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not has_personal_data_scope(request):
            for name in self.Meta.personal_fields:
                data[name] = None
        return data

    def get_fields(self):
        fields = super().get_fields()
        for name in self.Meta.personal_fields:
            fields[name].allow_null = True
            fields[name].help_text = _("Null unless the API client has the personal-data scope.")
        return fields


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo must not be silently dropped)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


# --- candidates --------------------------------------------------------------------------------


class CandidateSerializer(PersonalFieldsMixin, ReadOnlyModelSerializer):
    municipality = serializers.CharField(source="municipality.code", help_text=_("Kemendagri code, e.g. 36.73"))
    has_consent = serializers.BooleanField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "municipality",
            "nik",
            "full_name",
            "sex",
            "birth_date",
            "birth_place",
            "address",
            "kecamatan_code",
            "kelurahan_code",
            "phone",
            "email",
            "education",
            "registered_on",
            "notes",
            "has_consent",
            "consent_given_on",
            "consent_withdrawn_on",
            "is_demo",
            "version",
            "created_at",
            "updated_at",
        ]
        personal_fields = [
            "nik",
            "full_name",
            "birth_date",
            "birth_place",
            "address",
            "kelurahan_code",
            "phone",
            "email",
            "notes",
        ]


class CandidateWriteSerializer(StrictSerializer):
    nik = serializers.CharField(max_length=32)
    full_name = serializers.CharField(max_length=150)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField()
    birth_place = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    kecamatan_code = serializers.CharField(max_length=8)
    kelurahan_code = serializers.CharField(max_length=13)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    education = serializers.ChoiceField(choices=Education.choices)
    registered_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    confirm_warnings = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Save despite warnings (NIK vs. birth date or sex, possible duplicates), as the screen's tick."),
    )


class CandidateUpdateSerializer(CandidateWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; a different current version answers 409.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False
                if hasattr(field, "default"):
                    field.default = serializers.empty


class DocumentSerializer(PersonalFieldsMixin, ReadOnlyModelSerializer):
    has_file = serializers.SerializerMethodField()
    verified = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "candidate",
            "doc_type",
            "number",
            "issued_on",
            "expires_on",
            "has_file",
            "content_type",
            "size",
            "verified",
            "verified_at",
            "created_at",
            "updated_at",
        ]
        personal_fields = ["number"]

    def get_has_file(self, document) -> bool:
        return bool(document.file)

    def get_verified(self, document) -> bool:
        return document.verified_at is not None


class LanguageResultSerializer(PersonalFieldsMixin, ReadOnlyModelSerializer):
    class Meta:
        model = LanguageResult
        fields = ["id", "candidate", "test", "score", "taken_on", "valid_until", "certificate_number"]
        personal_fields = ["certificate_number"]


class LanguageResultWriteSerializer(StrictSerializer):
    placement = serializers.IntegerField(help_text=_("The placement whose candidate took the test."))
    test = serializers.ChoiceField(choices=LanguageTest.choices)
    score = serializers.IntegerField(min_value=0, max_value=1000)
    taken_on = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    certificate_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


# --- placements ----------------------------------------------------------------------------------


class PlacementSerializer(PersonalFieldsMixin, ReadOnlyModelSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = Placement
        fields = [
            "id",
            "candidate",
            "programme",
            "municipality",
            "occupation",
            "stage",
            "stage_changed_at",
            "registered_on",
            "employer",
            "contract_start",
            "contract_end",
            "visa_number",
            "visa_issued_on",
            "cohort",
            "departed_on",
            "planned_return_on",
            "returned_on",
            "ended_on",
            "return_outcome",
            "end_reason",
            "previous_placement",
            "version",
            "created_at",
            "updated_at",
        ]
        personal_fields = ["visa_number", "end_reason"]


class StageEventSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = PlacementStageEvent
        fields = ["id", "placement", "from_stage", "to_stage", "moved_at", "note", "reason"]


class PlacementMoveSerializer(StrictSerializer):
    to_stage = serializers.ChoiceField(choices=PlacementStage.choices)
    version = serializers.IntegerField(min_value=1, help_text=_("The version you read; 409 when it changed."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text=_("Required for early ends.")
    )
    on_date = serializers.DateField(required=False, allow_null=True, default=None)


# --- programmes, agreements, training, cohorts -------------------------------------------------


class OccupationSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Occupation
        fields = ["id", "name", "name_en", "isco_code", "kbji_code"]


class DemandSerializer(ReadOnlyModelSerializer):
    occupation = OccupationSerializer()

    class Meta:
        model = ProgrammeDemand
        fields = ["occupation", "requested"]


class ProgrammeSerializer(ReadOnlyModelSerializer):
    demands = DemandSerializer(many=True)

    class Meta:
        model = Programme
        exclude = ["required_documents"]


class AgreementSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "municipality",
            "government_body",
            "partner",
            "title",
            "kind",
            "stage",
            "stage_entered_on",
            "valid_from",
            "valid_until",
            "auto_renew",
            "summary",
            "is_demo",
            "created_at",
            "updated_at",
        ]


class TrainingBatchSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = TrainingBatch
        fields = "__all__"


class EnrolmentSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Enrolment
        fields = "__all__"


class CohortSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Cohort
        fields = "__all__"


# --- statistics -----------------------------------------------------------------------------------


class StageCountSerializer(serializers.Serializer):
    municipality = serializers.CharField(allow_null=True)
    programme = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=PlacementStage.choices)
    count = serializers.IntegerField()


class CandidateCountSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    count = serializers.IntegerField()


class OccupationCountSerializer(serializers.Serializer):
    municipality = serializers.CharField(allow_null=True)
    programme = serializers.IntegerField()
    isco_code = serializers.CharField(allow_null=True, help_text="ISCO-08 unit group; null: no occupation or no code")
    kbji_code = serializers.CharField(allow_null=True, help_text="KBJI 2014 code")
    count = serializers.IntegerField()


class DemandCountSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    isco_code = serializers.CharField(allow_null=True)
    kbji_code = serializers.CharField(allow_null=True)
    requested = serializers.IntegerField()


class StatisticsSerializer(serializers.Serializer):
    placements = StageCountSerializer(many=True)
    placements_by_occupation = OccupationCountSerializer(many=True)
    demand_by_occupation = DemandCountSerializer(many=True)
    candidates = CandidateCountSerializer(many=True)
