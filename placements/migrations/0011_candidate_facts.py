"""Eligibility facts per candidate, kept by PostgreSQL (issue 14).

placements_facts_refresh(ids) recounts the facts of the given candidates from their rows; statement-
level AFTER triggers with transition tables call it for the candidates each statement touched, so
that imports, bulk updates, the admin, erasure and deletions keep the facts in the same transaction
and a 10,000-row statement recounts once, not 10,000 times. Plain RunSQL rather than django-pgtrigger:
the triggers sit on tables of another app (candidates), whose models and migrations this app does not
own, and one recount function serves them all. Kept in step with placements.facts (RECOUNT_SQL, the
same rules set-based for rebuild_all), which tests/placements/test_facts.py compares it with.

Constants: 'passport' is DocumentType.PASSPORT, 'passed' is Enrolment.Result.PASSED.
"""

import django.db.models.deletion
from django.db import migrations, models


REFRESH = """
CREATE FUNCTION placements_facts_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- Two transactions touching the same person's rows recount one after the other: the lock waits
    -- for the other's commit, and the recount below then reads with a snapshot that sees its rows.
    PERFORM 1 FROM placements_candidatefacts WHERE candidate_id = ANY (ids) ORDER BY candidate_id FOR UPDATE;
    INSERT INTO placements_candidatefacts AS f
        (candidate_id, municipality_id, passport_expires_on, training_hours, documents)
    SELECT
        c.id,
        c.municipality_id,
        (SELECT max(d.expires_on) FROM candidates_document d
          WHERE d.candidate_id = c.id AND d.doc_type = 'passport'),
        (SELECT coalesce(sum(e.attended_hours), 0) FROM placements_placement p
           JOIN placements_enrolment e ON e.placement_id = p.id
          WHERE p.candidate_id = c.id AND e.result = 'passed'),
        (SELECT coalesce(jsonb_object_agg(v.doc_type, v.valid_until), '{}'::jsonb)
           FROM (SELECT d.doc_type,
                        CASE WHEN bool_or(d.expires_on IS NULL) THEN 'infinity'
                             ELSE to_char(max(d.expires_on), 'YYYY-MM-DD') END AS valid_until
                   FROM candidates_document d
                  WHERE d.candidate_id = c.id AND d.verified_at IS NOT NULL
                  GROUP BY d.doc_type) v)
    FROM candidates_candidate c
    WHERE c.id = ANY (ids)
    ON CONFLICT (candidate_id) DO UPDATE SET
        municipality_id = excluded.municipality_id,
        passport_expires_on = excluded.passport_expires_on,
        training_hours = excluded.training_hours,
        documents = excluded.documents
    WHERE (f.municipality_id, f.passport_expires_on, f.training_hours, f.documents)
        IS DISTINCT FROM
        (excluded.municipality_id, excluded.passport_expires_on, excluded.training_hours, excluded.documents);
END
$$;
"""

ON_CANDIDATE = """
CREATE FUNCTION placements_facts_on_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM placements_facts_refresh(ARRAY(SELECT id FROM new_rows));
    ELSIF TG_OP = 'UPDATE' THEN
        -- A transfer moves the person's facts to the new municipality.
        PERFORM placements_facts_refresh(ARRAY(
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE n.municipality_id IS DISTINCT FROM o.municipality_id));
    ELSE
        DELETE FROM placements_candidatefacts WHERE candidate_id IN (SELECT id FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
"""

ON_DOCUMENT = """
CREATE FUNCTION placements_facts_on_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM placements_facts_refresh(ARRAY(SELECT DISTINCT candidate_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM placements_facts_refresh(ARRAY(SELECT DISTINCT candidate_id FROM old_rows));
    ELSE
        -- Only changes of what the facts read (a new number or file changes nothing).
        PERFORM placements_facts_refresh(ARRAY(
            SELECT DISTINCT unnest(ARRAY[o.candidate_id, n.candidate_id])
              FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE (o.candidate_id, o.doc_type, o.expires_on, o.verified_at IS NULL)
                   IS DISTINCT FROM (n.candidate_id, n.doc_type, n.expires_on, n.verified_at IS NULL)));
    END IF;
    RETURN NULL;
END
$$;
"""

ON_ENROLMENT = """
CREATE FUNCTION placements_facts_on_enrolment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM placements_facts_refresh(ARRAY(
            SELECT DISTINCT p.candidate_id FROM placements_placement p
             WHERE p.id IN (SELECT placement_id FROM new_rows WHERE result = 'passed')));
    ELSIF TG_OP = 'DELETE' THEN
        -- A placement deleted before its enrolments has recounted already (placements_facts_on_placement).
        PERFORM placements_facts_refresh(ARRAY(
            SELECT DISTINCT p.candidate_id FROM placements_placement p
             WHERE p.id IN (SELECT placement_id FROM old_rows WHERE result = 'passed')));
    ELSE
        PERFORM placements_facts_refresh(ARRAY(
            SELECT DISTINCT p.candidate_id FROM placements_placement p
             WHERE p.id IN (
                SELECT unnest(ARRAY[o.placement_id, n.placement_id])
                  FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE (o.placement_id, o.result, o.attended_hours)
                       IS DISTINCT FROM (n.placement_id, n.result, n.attended_hours)
                   AND 'passed' IN (o.result, n.result))));
    END IF;
    RETURN NULL;
END
$$;
"""

ON_PLACEMENT = """
CREATE FUNCTION placements_facts_on_placement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM placements_facts_refresh(ARRAY(SELECT DISTINCT candidate_id FROM old_rows));
    ELSE
        -- A placement moved to another person (a correction) moves its training hours.
        PERFORM placements_facts_refresh(ARRAY(
            SELECT DISTINCT unnest(ARRAY[o.candidate_id, n.candidate_id])
              FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE o.candidate_id IS DISTINCT FROM n.candidate_id));
    END IF;
    RETURN NULL;
END
$$;
"""


def _triggers(table: str, function: str, events: tuple[str, ...]) -> str:
    """One statement-level trigger per event: a trigger with transition tables takes one event."""
    referencing = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
    }
    return "\n".join(
        f"CREATE TRIGGER placements_facts_{event.lower()} AFTER {event} ON {table} "
        f"{referencing[event]} FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
        for event in events
    )


def _drop_triggers(table: str, events: tuple[str, ...]) -> str:
    return "\n".join(f"DROP TRIGGER IF EXISTS placements_facts_{event.lower()} ON {table};" for event in events)


ALL = ("INSERT", "UPDATE", "DELETE")
TRIGGERS = [
    ("candidates_candidate", "placements_facts_on_candidate", ALL),
    ("candidates_document", "placements_facts_on_document", ALL),
    ("placements_enrolment", "placements_facts_on_enrolment", ALL),
    # A new placement has no enrolment yet.
    ("placements_placement", "placements_facts_on_placement", ("UPDATE", "DELETE")),
]

FORWARD = "\n".join(
    [
        REFRESH,
        ON_CANDIDATE,
        ON_DOCUMENT,
        ON_ENROLMENT,
        ON_PLACEMENT,
        *(_triggers(*t) for t in TRIGGERS),
        # Everyone already on file.
        "SELECT placements_facts_refresh(ARRAY(SELECT id FROM candidates_candidate));",
    ]
)
BACKWARD = "\n".join(
    [
        *(_drop_triggers(table, events) for table, _function, events in TRIGGERS),
        *(f"DROP FUNCTION IF EXISTS {function}();" for _table, function, _events in TRIGGERS),
        "DROP FUNCTION IF EXISTS placements_facts_refresh(bigint[]);",
    ]
)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_merge"),
        ("core", "0001_initial"),
        ("placements", "0010_stage_count_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="CandidateFacts",
            fields=[
                (
                    "candidate",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="eligibility_facts",
                        serialize=False,
                        to="candidates.candidate",
                    ),
                ),
                ("passport_expires_on", models.DateField(null=True)),
                ("training_hours", models.PositiveIntegerField(default=0)),
                ("documents", models.JSONField(default=dict)),
                (
                    "municipality",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.municipality",
                    ),
                ),
            ],
            options={
                "verbose_name": "eligibility facts",
                "verbose_name_plural": "eligibility facts",
                "default_permissions": (),
                "indexes": [
                    models.Index(
                        fields=["municipality", "training_hours", "passport_expires_on"],
                        name="candidatefacts_muni_idx",
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
