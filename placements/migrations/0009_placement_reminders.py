"""The reminder facts per placement (placements.reminder_facts): the table, its triggers, a first recount."""

import django.db.models.deletion
from django.db import migrations, models

from core.summaries import install_operation


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("placements", "0008_external_ids"),
        ("candidates", "0007_merge"),
        ("programmes", "0005_alter_programme_required_documents_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlacementReminder",
            fields=[
                (
                    "placement",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="placements.placement",
                    ),
                ),
                ("documents_due", models.PositiveSmallIntegerField(default=0)),
                ("passport_due", models.BooleanField(default=False)),
                (
                    "municipality",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="core.municipality",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("documents_due__gt", 0)),
                        fields=["municipality", "documents_due"],
                        name="reminder_documents_due_idx",
                    ),
                    models.Index(
                        condition=models.Q(("passport_due", True)),
                        fields=["municipality"],
                        name="reminder_passport_due_idx",
                    ),
                ],
            },
        ),
        install_operation("placements.reminder_facts"),
    ]
