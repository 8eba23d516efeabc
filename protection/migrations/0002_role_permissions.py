"""The protection permissions of each role group (accounts.migrations.0003_role_groups made the groups).

Staff work cases, contacts, debriefs and follow-ups; officials read them; agreement admins record
partner holds and a programme's protection settings; the national viewer gets none of them, so it
sees the dashboard's counts and never a case.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["case", "caseaction", "contactrecord", "contact", "returndebrief", "followup", "programmehold"]
STAFF_WRITES = ["case", "caseaction", "contactrecord", "contact", "returndebrief", "followup", "reinviteoverride"]
ADMIN_WRITES = ["programmehold", "protectionsettings"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("protection")
    models_module = getattr(app_config, "models_module", None)  # None in a migration's state; kept as it was
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    protection = Permission.objects.filter(content_type__app_label="protection")

    def codenames(actions, models):
        return [f"{action}_{model}" for model in models for action in actions]

    roles = {
        "Staff": codenames(["view"], READ) + codenames(["add", "change"], STAFF_WRITES),
        "Official": codenames(["view"], READ),
        "Agreement admin": codenames(["view"], ["programmehold", "protectionsettings"])
        + codenames(["add", "change"], ADMIN_WRITES),
    }
    for name, wanted in roles.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        found = list(protection.filter(codename__in=wanted))
        assert len(found) == len(set(wanted)), f"protection permissions missing for {name}"
        group.permissions.add(*found)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="protection"))


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
        ("accounts", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
