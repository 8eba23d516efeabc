"""Summary tables: the dashboards' counts, kept by PostgreSQL in the same transaction as the rows
they count (dashboards.summaries installs the triggers). Dashboards read only these.

The keys point at their rows without foreign-key constraints: a count is not a reference (no lock on
the programme when a placement moves, no order of deletion to respect), and a programme or
occupation that goes leaves at most rows of zero. Counts of zero stay as rows; readers sum.
"""

from django.db import models


class Summary(models.Model):
    class Meta:
        abstract = True

    def __str__(self):
        return f"{type(self).__name__} {self.pk}"


def _key(model, **kwargs):
    return models.ForeignKey(model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **kwargs)


class StageCount(Summary):
    """Placements per programme, municipality, occupation and current stage (the funnels)."""

    programme = _key("programmes.Programme")
    municipality = _key("core.Municipality")
    occupation = _key("programmes.Occupation", null=True)
    stage = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality", "occupation", "stage"],
                nulls_distinct=False,
                name="stagecount_key",
            )
        ]


class ProfileCount(Summary):
    """Placements per programme and municipality by one attribute (`dimension`, `value`), with how
    many of them reached departure. Dimensions:

    - sex, edu, kec: the candidate's sex, education, kecamatan code;
    - reg: the month registered (first day, ISO); dep: the month departed (any stage, date set);
    - days: registration to departure in days (reached departure, date set): the median's histogram;
    - nodt: reached departure without a departure date (value "");
    - ready: the local day of the latest move to Ready, for placements that reached Ready (the pace).
    """

    programme = _key("programmes.Programme")
    municipality = _key("core.Municipality")
    dimension = models.CharField(max_length=5)
    value = models.CharField(max_length=20)
    n = models.IntegerField(default=0)
    departed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "municipality", "dimension", "value"], name="profilecount_key")
        ]


class BirthCount(Summary):
    """Placements per programme, municipality and the candidate's birth date (or, once erased, the age
    band kept): the age bands are taken on the day of reading by core.dates.age_band_case, the one
    expression every age-band count uses. Field names are the candidate's, so it applies here too."""

    programme = _key("programmes.Programme")
    municipality = _key("core.Municipality")
    birth_date = models.DateField(null=True)
    erased_age_band = models.CharField(max_length=5, blank=True)
    n = models.IntegerField(default=0)
    departed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality", "birth_date", "erased_age_band"],
                nulls_distinct=False,
                name="birthcount_key",
            )
        ]


class EnrolmentCount(Summary):
    """Enrolments per batch programme, placement municipality, training provider and result."""

    programme = _key("programmes.Programme")
    municipality = _key("core.Municipality")
    provider = _key("placements.TrainingProvider")
    result = models.CharField(max_length=10)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality", "provider", "result"], name="enrolmentcount_key"
            )
        ]


class CandidateCount(Summary):
    """Candidates per municipality (the national view)."""

    municipality = models.OneToOneField(
        "core.Municipality", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    n = models.IntegerField(default=0)
