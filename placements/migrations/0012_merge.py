# Joins the eligibility facts to the stage counts and the reminder facts.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0011_candidate_facts"),
        ("placements", "0011_merge"),
    ]

    operations = []
