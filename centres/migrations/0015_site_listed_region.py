from django.db import migrations, models

from common.migration_ops import SQLiteOnlySQL

# The SQLite-only covering index of 0014 for Site.in_region, by hospital and own région:
# in_region now reads listed_region (centres_site_pub_region_idx, on both databases).
AREA_INDEX = "centres_site_area_sqlite_idx"
# SQLite: Django adds a NOT NULL column by making the table again, which drops the
# indexes that migrations made in SQL (0014's): the ranking one is made again here. A
# later migration that makes centres_site again on SQLite must do the same, and make
# 0016's triggers again (tests/test_indexes.py and tests/centres/test_tallies.py fail
# without them).
# Backwards, Django drops the column with ALTER TABLE where SQLite can (3.35 and later),
# and makes the table again where it cannot: either way the first operation's reverse,
# which runs last, makes 0014's indexes (IF NOT EXISTS).
RANK_INDEX = (
    "CREATE INDEX IF NOT EXISTS centres_site_rank_sqlite_idx ON centres_site (centre_id, "
    "is_published, role, kind, hospital_id, city, position_x, position_y, position_z)"
)
CREATE_AREA_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {AREA_INDEX} ON centres_site (hospital_id, region, "
    "is_published, kind, centre_id, age_group)"
)

# The rule of communes.places (Locatable.region): the hospital's région when the site has
# a hospital, else its own. Then Site.save and refresh_site_positions keep it.
FILL = (
    "UPDATE centres_site SET listed_region = COALESCE(("
    "SELECT h.region FROM hospitals_hospital h WHERE h.id = centres_site.hospital_id"
    "), centres_site.region)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0014_site_rank_index_sqlite"),
        ("hospitals", "0006_stable_uid"),
    ]

    operations = [
        SQLiteOnlySQL(
            sql=f"DROP INDEX IF EXISTS {AREA_INDEX}",
            reverse_sql=[CREATE_AREA_INDEX, RANK_INDEX],
        ),
        migrations.AddField(
            model_name="site",
            name="listed_region",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                max_length=2,
                verbose_name="région retenue",
            ),
        ),
        migrations.RunSQL(sql=FILL, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="site", name="centres_site_pub_area_idx"),
        migrations.AddIndex(
            model_name="site",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["listed_region", "kind", "centre", "age_group", "is_published"],
                name="centres_site_pub_region_idx",
            ),
        ),
        SQLiteOnlySQL(sql=RANK_INDEX, reverse_sql=migrations.RunSQL.noop),
    ]
