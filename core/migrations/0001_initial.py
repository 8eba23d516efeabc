"""Municipality moves from programmes to core, state only: the table and its data are unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    # The table programmes_municipality (created and filled by programmes 0001/0002) stays where it
    # is, with its rows; only Django's idea of which app owns the model changes.
    dependencies = [
        ("programmes", "0002_load_municipalities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Municipality",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(max_length=5, unique=True, verbose_name="Kemendagri code")),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "kind",
                            models.CharField(
                                choices=[("kota", "City (kota)"), ("kabupaten", "Regency (kabupaten)")],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        ("province_code", models.CharField(max_length=2, verbose_name="province code")),
                        ("province", models.CharField(max_length=100, verbose_name="province")),
                    ],
                    options={
                        "verbose_name": "municipality",
                        "verbose_name_plural": "municipalities",
                        "db_table": "programmes_municipality",
                        "ordering": ["code"],
                    },
                )
            ]
        ),
    ]
