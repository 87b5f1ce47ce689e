# A stable public identifier (uid) for hospitals: added empty, filled with a
# fresh UUID per row (the history rows of an object get the object's), then made unique.
import uuid

from django.db import migrations, models

FIELD_OPTIONS = {
    "verbose_name": "identifiant stable",
    "help_text": "Identifiant public des fichiers de données ouvertes et de l'API.",
    "editable": False,
    "default": uuid.uuid4,
}
MODELS = ("hospital",)


def fill(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("hospitals", name)
        history = apps.get_model("hospitals", "historical" + name)
        uids = {}
        objects = list(model.objects.only("pk"))
        for obj in objects:
            obj.uid = uids[obj.pk] = uuid.uuid4()
        model.objects.bulk_update(objects, ["uid"], batch_size=2000)
        rows = list(history.objects.only("history_id", "id"))
        for row in rows:  # a deleted object's history rows share one uid as well
            row.uid = uids.setdefault(row.id, uuid.uuid4())
        history.objects.bulk_update(rows, ["uid"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("hospitals", "0005_postcode_five_digits"),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=prefix + name,
                name="uid",
                field=models.UUIDField(null=True, editable=False),
            )
            for name in MODELS
            for prefix in ("", "historical")
        ],
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        *[
            migrations.AlterField(
                model_name=name,
                name="uid",
                field=models.UUIDField(unique=True, **FIELD_OPTIONS),
            )
            for name in MODELS
        ],
        *[
            migrations.AlterField(
                model_name="historical" + name,
                name="uid",
                field=models.UUIDField(db_index=True, **FIELD_OPTIONS),
            )
            for name in MODELS
        ],
    ]
