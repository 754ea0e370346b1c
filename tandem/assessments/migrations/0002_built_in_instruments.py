"""Load the instruments Tandem ships with (tandem/assessments/instruments/*.json)."""

from pathlib import Path

from django.db import migrations

from tandem.lib import instruments as rules

BUILT_IN_DIR = Path(__file__).resolve().parent.parent / "instruments"


def load_built_in(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    for path in sorted(BUILT_IN_DIR.glob("*.json")):
        document = rules.load(path)
        problems = rules.validate(document)
        if problems:
            raise ValueError(f"{path.name}: {problems}")
        Instrument.objects.get_or_create(
            key=document["key"],
            version=document["version"],
            defaults={"name": document["name"], "kind": document["kind"], "document": document},
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_built_in, migrations.RunPython.noop)]
