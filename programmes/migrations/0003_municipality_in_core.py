"""Municipality leaves programmes for core (state only); required documents name their choices."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Permissions on municipalities (given to the role groups) follow the model to core. On a fresh
    # database the role-group migration may already have made core's, so merge into that one.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="programmes", model="municipality").first()
    if old is None:
        return
    new = ContentType.objects.filter(app_label="core", model="municipality").first()
    if new is None:
        old.app_label = "core"
        old.save(update_fields=["app_label"])
        return
    for perm in Permission.objects.filter(content_type=old):
        twin, _ = Permission.objects.get_or_create(
            content_type=new, codename=perm.codename, defaults={"name": perm.name}
        )
        for group in perm.group_set.all():
            group.permissions.add(twin)
        for user in perm.user_set.all():
            user.user_permissions.add(twin)
    old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_municipality_in_core"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("candidates", "0005_municipality_in_core"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("placements", "0007_municipality_in_core"),
        ("programmes", "0002_load_municipalities"),
    ]

    operations = [
        migrations.AlterField(
            model_name="programme",
            name="required_documents",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("ktp", "Identity card (KTP)"),
                        ("kk", "Family card (KK)"),
                        ("passport", "Passport"),
                        ("skck", "Police clearance (SKCK)"),
                        ("health", "Health certificate"),
                        ("family_consent", "Family consent letter"),
                        ("competence", "Competence certificate"),
                        ("language", "Language certificate"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                ),
                blank=True,
                default=list,
                size=None,
                verbose_name="documents every placement must carry",
            ),
        ),
        migrations.AlterField(
            model_name="programmeevent",
            name="required_documents",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(
                    choices=[
                        ("ktp", "Identity card (KTP)"),
                        ("kk", "Family card (KK)"),
                        ("passport", "Passport"),
                        ("skck", "Police clearance (SKCK)"),
                        ("health", "Health certificate"),
                        ("family_consent", "Family consent letter"),
                        ("competence", "Competence certificate"),
                        ("language", "Language certificate"),
                        ("other", "Other"),
                    ],
                    max_length=20,
                ),
                blank=True,
                default=list,
                size=None,
                verbose_name="documents every placement must carry",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agreement",
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
                    model_name="partner",
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
                    model_name="agreementevent",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        related_query_name="+",
                        to="core.municipality",
                        verbose_name="municipality",
                    ),
                ),
                migrations.DeleteModel(
                    name="Municipality",
                ),
            ]
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
