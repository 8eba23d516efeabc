"""The triggers that keep the summaries (dashboards.summaries), and a first recount of existing rows."""

from django.db import migrations

from core.summaries import install_operation


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0001_summaries"),
        ("candidates", "0007_merge"),
        ("placements", "0008_external_ids"),
    ]

    operations = [install_operation("dashboards.summaries")]
