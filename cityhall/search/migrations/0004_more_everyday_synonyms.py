"""More everyday words residents use (found in searches written without seeing the catalog):
"robbed" for a theft, "street racing" for speeding. Ordinary synonym groups staff can edit or
switch off; groups that already exist are left alone."""

from django.db import migrations

GROUPS = [
    ["stolen", "theft", "robbed", "robbery", "burglary", "break in", "robo", "robado",
     "me robaron"],
    ["speeding", "street racing", "drag racing", "racing", "reckless driving",
     "exceso de velocidad", "arrancones", "carreras de carros"],
]  # fmt: skip


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    existing = {tuple(sorted(g.terms)) for g in SynonymGroup.objects.all()}
    for terms in GROUPS:
        terms = [t.strip().lower() for t in terms]
        if tuple(sorted(terms)) not in existing:
            SynonymGroup.objects.create(terms=terms)


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    ours = {tuple(sorted(t.strip().lower() for t in terms)) for terms in GROUPS}
    for group in SynonymGroup.objects.all():
        if tuple(sorted(group.terms)) in ours:
            group.delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_everyday_synonyms")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
