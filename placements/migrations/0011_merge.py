# Joins the stage counts and the reminder facts.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0009_placement_reminders"),
        ("placements", "0010_stage_count_triggers"),
    ]

    operations = []
