"""A starter vocabulary of everyday words (English and Spanish) that residents use for what the
catalog calls something else: "laid off" for losing a job, "old folks" for seniors, "passed
away" for a death. Ordinary synonym groups: staff can edit or switch off any of them in the
city admin like the ones they add themselves. Groups that already exist are left alone."""

from django.db import migrations

GROUPS = [
    ["lost my job", "lost job", "job loss", "laid off", "fired", "unemployed", "unemployment",
     "out of work", "perdí mi empleo", "perdí mi trabajo", "despedido", "desempleado",
     "desempleo", "sin trabajo", "sin empleo"],
    ["senior", "seniors", "old folks", "older people", "elderly people", "retirees",
     "personas mayores", "ancianos", "jubilados", "viejitos"],
    ["died", "passed away", "death", "deceased", "funeral", "falleció", "murió",
     "muerte", "fallecimiento"],
    ["heating", "radiator", "furnace", "boiler", "heater", "calefacción", "radiador",
     "caldera", "calentador"],
    ["electronics", "e-waste", "ewaste", "electronic waste", "old computer", "old tv",
     "electrónicos", "aparatos electrónicos", "basura electrónica"],
    ["junk car", "clunker", "old car", "wrecked car", "beater", "carcacha", "carro viejo"],
    ["tax break", "tax credit", "tax relief", "tax exemption", "descuento de impuestos",
     "crédito fiscal", "exención de impuestos"],
    ["electric bill", "power bill", "light bill", "electricity bill", "energy bill",
     "recibo de luz", "factura de luz", "cuenta de luz"],
    ["apartment", "apartamento", "departamento"],
    ["kids", "children", "child", "niños", "hijos"],
    ["pickup", "collection", "recolección", "recogida"],
    ["fix", "repair", "arreglar", "reparar", "reparación"],
    ["house", "home", "casa", "vivienda"],
    ["tap water", "drinking water", "agua de la llave", "agua potable", "agua del grifo"],
    ["phone", "cell phone", "cellphone", "celular", "teléfono"],
    ["tv", "television", "televisión", "televisor"],
    ["status", "track", "follow up", "seguimiento"],
    ["moving", "move", "moved", "new address", "mudanza", "mudarse"],
]  # fmt: skip


def add(apps, groups):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    existing = {tuple(sorted(g.terms)) for g in SynonymGroup.objects.all()}
    for terms in groups:
        terms = [t.strip().lower() for t in terms]
        if tuple(sorted(terms)) not in existing:
            SynonymGroup.objects.create(terms=terms)


def remove(apps, groups):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    ours = {tuple(sorted(t.strip().lower() for t in terms)) for terms in groups}
    for group in SynonymGroup.objects.all():
        if tuple(sorted(group.terms)) in ours:
            group.delete()


def add_groups(apps, schema_editor):
    add(apps, GROUPS)


def remove_groups(apps, schema_editor):
    remove(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_local_interest")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
