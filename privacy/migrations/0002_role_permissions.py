"""The data-protection officer's role group, the personal-data permissions of each role, and the
written retention policies (inactive until the superuser turns them on in the admin).

Staff and the data-protection officer work data subject requests; officials read them; the officer
alone works breaches and reads the personal-data read log; the national viewer gets none of it (named people).
The officer reads candidates, their documents' records and placements, and changes none of them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICER = "Data-protection officer"


def _permissions(apps, app_label):
    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module


def grant(apps, schema_editor):
    for label in ("privacy", "candidates", "placements"):
        _permissions(apps, label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name=OFFICER)

    def perms(pairs):
        found = [
            p
            for p in Permission.objects.select_related("content_type")
            if (p.content_type.app_label, p.codename) in pairs
        ]
        assert len(found) == len(pairs), (
            f"permissions missing: {pairs - {(p.content_type.app_label, p.codename) for p in found}}"
        )
        return found

    work_requests = {("privacy", f"{a}_datarequest") for a in ("view", "add", "change")}
    roles = {
        "Staff": work_requests,
        "Official": {("privacy", "view_datarequest")},
        OFFICER: work_requests
        | {("privacy", f"{a}_breach") for a in ("view", "add", "change")}
        | {("candidates", f"view_{m}") for m in ("candidate", "document", "languageresult", "personaldataread")}
        | {("placements", f"view_{m}") for m in ("placement", "placementstageevent", "cohort", "enrolment")},
    }
    for name, pairs in roles.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*perms(pairs))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="privacy"))
    apps.get_model("auth", "Group").objects.filter(name=OFFICER).delete()


POLICIES = [
    (
        "never_placed",
        5,
        "Data seseorang yang tidak pernah diberangkatkan dan tidak ada perubahan atas datanya selama 5 tahun "
        "dihapus; baris anonim (jenis kelamin, kelompok umur, kecamatan, pendidikan, tahapan) disimpan untuk "
        "statistik.",
    ),
    (
        "documents_after_return",
        2,
        "Berkas dokumen (KTP, KK, paspor, SKCK, surat sehat, surat izin keluarga) dihapus 2 tahun setelah "
        "kepulangan terakhir, bila tidak ada penempatan yang masih berjalan; catatan jenis dan tanggalnya disimpan.",
    ),
]


def load_policies(apps, schema_editor):
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    for rule, years, text in POLICIES:
        RetentionPolicy.objects.get_or_create(rule=rule, defaults={"years": years, "text": text, "active": False})


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0003_role_groups"),
        ("candidates", "0007_merge"),
        ("placements", "0008_external_ids"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.RunPython(load_policies, migrations.RunPython.noop),
    ]
