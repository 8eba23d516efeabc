"""What each role may do with scholarships: staff register applicants and run rounds (and may
review), officials review and approve, the agreement admin edits a programme's rules, the national
viewer sees rounds and counts only (no named applicant)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Staff": [
        "view_selectionround",
        "add_selectionround",
        "change_selectionround",
        "view_application",
        "add_application",
        "change_application",
        "add_score",
        "view_score",
        "add_semesterreport",
        "view_semesterreport",
        "view_scholarshiprules",
    ],
    "Official": [
        "view_selectionround",
        "approve_selectionround",
        "view_application",
        "add_score",
        "view_score",
        "view_semesterreport",
        "view_scholarshiprules",
    ],
    "Agreement admin": [
        "view_selectionround",
        "view_application",
        "view_scholarshiprules",
        "add_scholarshiprules",
        "change_scholarshiprules",
    ],
    "National viewer": ["view_selectionround"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this migration needs them now.
    app_config = apps.get_app_config("scholarships")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(Permission.objects.filter(content_type__app_label="scholarships", codename__in=codenames))
        assert len(perms) == len(codenames), f"permissions not found for {name}"
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="scholarships"))


class Migration(migrations.Migration):
    dependencies = [
        ("scholarships", "0001_initial"),
        ("accounts", "0003_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
