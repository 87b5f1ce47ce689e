from django.db import migrations

INDEX = "communes_commune_postcodes_trgm"


def create_index(apps, schema_editor):
    # PostgreSQL: every "près de <postcode>" reads the communes whose space-separated
    # codes hold it (LIKE '%51100%'), which scanned the 35,000 communes (4 ms a
    # request); a trigram index finds them directly. SQLite scans (it has no such
    # index). pg_trgm is kept on the way back: the diseases' search uses it too.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON communes_commune "
            "USING gin (postcodes gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("communes", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
