from django.db import migrations

from common.migration_ops import SQLiteOnlySQL

RANK_INDEX = "centres_site_rank_sqlite_idx"
AREA_INDEX = "centres_site_area_sqlite_idx"


class Migration(migrations.Migration):
    dependencies = [("centres", "0013_site_rank_index_by_kind")]

    # SQLite has no INCLUDE: covering indexes made of key columns, so that the lists'
    # counts and rankings read the index alone, not the sites' rows (which hold their
    # sources and notes). Measured at 100,000 sites:
    # - by centre, what PostgreSQL's centres_site_pub_rank_idx (0012, 0013) covers: the
    #   disease page's ranking from 36 to 14 ms, the count of a disease's sites near a
    #   place from 29 to 3 ms;
    # - by hospital and own région (Site.in_region), with the other filters' columns:
    #   the count of /centres/?type=competence&region=44 from 19 to 2.6 ms.
    operations = [
        SQLiteOnlySQL(
            sql=[
                f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} ON centres_site (centre_id, "
                "is_published, role, kind, hospital_id, city, position_x, position_y, position_z)",
                f"CREATE INDEX IF NOT EXISTS {AREA_INDEX} ON centres_site (hospital_id, region, "
                "is_published, kind, centre_id, age_group)",
            ],
            reverse_sql=[
                f"DROP INDEX IF EXISTS {RANK_INDEX}",
                f"DROP INDEX IF EXISTS {AREA_INDEX}",
            ],
        )
    ]
