from django.db import migrations

from common.migration_ops import PostgreSQLOnlySQL

INDEX = "centres_site_pub_rank_idx"


class Migration(migrations.Migration):
    dependencies = [("centres", "0011_site_search_text")]

    # PostgreSQL: the published sites of given centres, with every column their ranking
    # within a centre reads (kind, role, hospital, city, position; the pk), from the
    # index alone: the disease page ranks thousands of sites at 100,000 sites, and read
    # them from the table one page each (measured: 15 of its 30 ms). SQLite has no
    # covering index of this kind (INCLUDE).
    operations = [
        PostgreSQLOnlySQL(
            sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON centres_site (centre_id) "
            "INCLUDE (id, role, kind, hospital_id, city, position_x, position_y, position_z) "
            "WHERE is_published",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
