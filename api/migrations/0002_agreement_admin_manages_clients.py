"""Agreement admins manage their municipality's API clients and webhook subscriptions (issue 16)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "add_apiclient",
    "change_apiclient",
    "view_apiclient",
    "add_webhooksubscription",
    "change_webhooksubscription",
    "view_webhooksubscription",
]


def grant(apps, schema_editor):
    config = apps.get_app_config("api")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Agreement admin").first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="api", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"), ("accounts", "0003_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
