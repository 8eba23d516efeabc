"""Foreign keys now name core.Municipality; state only (same table, same constraint)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("placements", "0006_placement_cohort_cover_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="cohort",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="placement",
                    name="municipality",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="placementevent",
                    name="municipality",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="trainingbatch",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.AlterField(
                    model_name="trainingprovider",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
            ]
        ),
    ]
