from django.db import migrations

from common.migration_ops import PostgreSQLOnlySQL

INDEX = "communes_commune_postcodes_trgm"


class Migration(migrations.Migration):
    dependencies = [("communes", "0001_initial")]

    # PostgreSQL: every "près de <postcode>" reads the communes whose space-separated
    # codes hold it (LIKE '%51100%'), which scanned the 35,000 communes (4 ms a
    # request); a trigram index finds them directly. SQLite scans (it has no such
    # index). pg_trgm is kept on the way back: the diseases' search uses it too.
    operations = [
        PostgreSQLOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON communes_commune "
                "USING gin (postcodes gin_trgm_ops)",
            ],
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
