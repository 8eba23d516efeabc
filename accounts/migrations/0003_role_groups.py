"""The role groups of DESIGN §2 with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMAIN = {
    "programmes": [
        "partner",
        "agreement",
        "agreementstageevent",
        "programme",
        "programmedemand",
        "occupation",
        "stageduration",
        "municipality",
    ],
    "candidates": ["candidate", "document", "languageresult", "documentaccesslog"],
    "placements": ["trainingprovider", "trainingbatch", "enrolment", "placement", "placementstageevent", "cohort"],
}
STAFF_WRITES = {
    "candidates": ["candidate", "document", "languageresult"],
    "placements": ["trainingprovider", "trainingbatch", "enrolment", "placement", "cohort"],
}
ADMIN_WRITES = {
    "programmes": ["partner", "agreement", "agreementstageevent", "programme", "programmedemand", "occupation"],
}


def _codenames(actions, models_by_app):
    return [
        (app, f"{action}_{model}") for app, models in models_by_app.items() for model in models for action in actions
    ]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(pairs):
        wanted = set(pairs)
        found = [
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        assert not missing, f"permissions not found: {missing}"
        return found

    view_all = _codenames(["view"], DOMAIN)
    roles = {
        "Staff": view_all + _codenames(["add", "change", "delete"], STAFF_WRITES),
        "Official": view_all,
        "Agreement admin": view_all + _codenames(["add", "change", "delete"], ADMIN_WRITES),
        "National viewer": view_all + [("accounts", "view_all_municipalities")],
    }
    for name, pairs in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(perms(pairs))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Staff", "Official", "Agreement admin", "National viewer"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("programmes", "0002_load_municipalities"),
        ("candidates", "0002_initial"),
        ("placements", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
