"""What each role may do with messages: staff send and record consent, the agreement admin manages
templates, officials and national viewers read."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["contactconsent", "messagetemplate", "broadcast", "message"]
ROLES = {
    "Staff": [f"view_{m}" for m in READ] + ["add_contactconsent", "change_contactconsent", "add_broadcast"],
    "Official": [f"view_{m}" for m in READ],
    "Agreement admin": [f"view_{m}" for m in READ]
    + ["add_messagetemplate", "change_messagetemplate", "delete_messagetemplate"],
    "National viewer": [f"view_{m}" for m in READ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; this migration needs them now.
    app_config = apps.get_app_config("messaging")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = list(Permission.objects.filter(content_type__app_label="messaging", codename__in=codenames))
        assert len(perms) == len(codenames), f"permissions not found for {name}"
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="messaging"))


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_ready_templates"),
        ("accounts", "0003_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
