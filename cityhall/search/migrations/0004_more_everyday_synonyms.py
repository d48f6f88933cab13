"""More everyday words residents use (found in searches written without seeing the catalog):
"robbed" for a theft, "street racing" for speeding. Ordinary synonym groups staff can edit or
switch off; groups that already exist are left alone."""

from importlib import import_module

from django.db import migrations

GROUPS = [
    ["stolen", "theft", "robbed", "robbery", "burglary", "break in", "robo", "robado",
     "me robaron"],
    ["speeding", "street racing", "drag racing", "racing", "reckless driving",
     "exceso de velocidad", "arrancones", "carreras de carros"],
]  # fmt: skip


# The same add/remove as 0003 (itself a migration, so it never changes under us).
_starter = import_module("cityhall.search.migrations.0003_everyday_synonyms")


def add_groups(apps, schema_editor):
    _starter.add(apps, GROUPS)


def remove_groups(apps, schema_editor):
    _starter.remove(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_everyday_synonyms")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
