from django.db import migrations, models

from common.migration_ops import PostgreSQLOnlySQL, SQLiteOnlySQL

# The tallies of the published sites (centres.models.CentreSiteTally, RegionSiteTally),
# kept by the database: a trigger takes a site out of its tallies (OLD) and puts it in
# its new ones (NEW), in the transaction of the write, so that they hold whoever writes
# (a save, loaddata, an import's bulk writes, QuerySet.update(), raw SQL). A row that
# falls to 0 is deleted: a tally holds the centres and régions that have sites.
CENTRE = "centres_centresitetally"
REGION = "centres_regionsitetally"


def _placed(row):
    return f"CASE WHEN {row}.position_z IS NULL THEN 0 ELSE 1 END"


def _take_out(row="OLD"):
    """The statements that take a published site out of its tallies (none for an
    unpublished one; none for a row that is not there: OLD is NULL on an INSERT on
    PostgreSQL)."""
    return [
        f"UPDATE {CENTRE} SET sites = sites - 1, placed = placed - {_placed(row)} "
        f"WHERE centre_id = {row}.centre_id AND {row}.is_published",
        f"DELETE FROM {CENTRE} WHERE centre_id = {row}.centre_id AND sites = 0",
        f"UPDATE {REGION} SET sites = sites - 1 "
        f"WHERE region = {row}.listed_region AND {row}.is_published",
        f"DELETE FROM {REGION} WHERE region = {row}.listed_region AND sites = 0",
    ]


def _put_in(row="NEW"):
    """The statements that put a published site in its tallies. INSERT ... SELECT has
    its WHERE, as SQLite's parser needs before ON CONFLICT."""
    return [
        f"INSERT INTO {CENTRE} (centre_id, sites, placed) "
        f"SELECT {row}.centre_id, 1, {_placed(row)} WHERE {row}.is_published "
        f"ON CONFLICT (centre_id) DO UPDATE SET sites = {CENTRE}.sites + 1, "
        f"placed = {CENTRE}.placed + excluded.placed",
        f"INSERT INTO {REGION} (region, sites) "
        f"SELECT {row}.listed_region, 1 WHERE {row}.is_published "
        f"ON CONFLICT (region) DO UPDATE SET sites = {REGION}.sites + 1",
    ]


# An update that changes none of what the tallies count leaves them alone (no write,
# no lock on a tally row for every edit of a site's phone number).
UNCHANGED = (
    "OLD.is_published = NEW.is_published AND OLD.centre_id = NEW.centre_id "
    "AND OLD.listed_region = NEW.listed_region "
    "AND (OLD.position_z IS NULL) = (NEW.position_z IS NULL)"
)


def _statements(statements):
    return "".join(f"    {statement};\n" for statement in statements)


POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION centres_site_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {UNCHANGED} THEN
        RETURN NULL;
    END IF;
{_statements(_take_out())}{_statements(_put_in())}    RETURN NULL;
END;
$$
"""
POSTGRESQL_TRIGGER = (
    "CREATE TRIGGER centres_site_tally AFTER INSERT OR UPDATE OR DELETE ON centres_site "
    "FOR EACH ROW EXECUTE FUNCTION centres_site_tally()"
)
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER centres_site_tally_insert AFTER INSERT ON centres_site BEGIN\n"
    f"{_statements(_put_in())}END",
    f"CREATE TRIGGER centres_site_tally_update AFTER UPDATE ON centres_site "
    f"WHEN NOT ({UNCHANGED}) BEGIN\n{_statements(_take_out())}{_statements(_put_in())}END",
    f"CREATE TRIGGER centres_site_tally_delete AFTER DELETE ON centres_site BEGIN\n"
    f"{_statements(_take_out())}END",
]
# The tallies of the sites already there; then the triggers keep them (on PostgreSQL
# the trigger's lock holds the writes back until this transaction ends).
FILL = [
    f"INSERT INTO {CENTRE} (centre_id, sites, placed) SELECT centre_id, COUNT(*), "
    "COUNT(position_z) FROM centres_site WHERE is_published GROUP BY centre_id",
    f"INSERT INTO {REGION} (region, sites) SELECT listed_region, COUNT(*) "
    "FROM centres_site WHERE is_published GROUP BY listed_region",
]


class Migration(migrations.Migration):
    dependencies = [("centres", "0015_site_listed_region")]

    operations = [
        migrations.CreateModel(
            name="CentreSiteTally",
            fields=[
                (
                    "centre_id",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="centre de référence"
                    ),
                ),
                ("sites", models.PositiveIntegerField(verbose_name="sites publiés")),
                (
                    "placed",
                    models.PositiveIntegerField(verbose_name="sites publiés placés sur la carte"),
                ),
            ],
            options={
                "verbose_name": "décompte des sites publiés d'un centre",
                "verbose_name_plural": "décomptes des sites publiés par centre",
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="RegionSiteTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region", models.CharField(blank=True, max_length=2, verbose_name="région")),
                ("sites", models.PositiveIntegerField(verbose_name="sites publiés")),
            ],
            options={
                "verbose_name": "décompte des sites publiés d'une région",
                "verbose_name_plural": "décomptes des sites publiés par région",
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region",), name="centres_regionsitetally_unique_region"
                    )
                ],
            },
        ),
        PostgreSQLOnlySQL(
            sql=[POSTGRESQL_FUNCTION, POSTGRESQL_TRIGGER],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS centres_site_tally ON centres_site",
                "DROP FUNCTION IF EXISTS centres_site_tally()",
            ],
        ),
        SQLiteOnlySQL(
            sql=SQLITE_TRIGGERS,
            reverse_sql=[
                f"DROP TRIGGER IF EXISTS centres_site_tally_{event}"
                for event in ("insert", "update", "delete")
            ],
        ),
        migrations.RunSQL(sql=FILL, reverse_sql=migrations.RunSQL.noop),
    ]
