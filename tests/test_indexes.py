"""The queries the pages write can use the indexes made for them (issue #10),
PostgreSQL's and SQLite's. At a test's size the planner prefers reading the table: what is checked
is that an index fits the query as Django writes it (a cast, a column left out and
it would not), which the benchmark then measures at 100,000 sites."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import Commune
from diseases.models import Disease

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's indexes (SQLite has none of these)"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own index")


def plan_of(sql: str, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_a_postcode_is_found_from_the_trigram_index():
    sql, params = Commune.objects.with_postcode("51100").query.sql_with_params()
    assert "Bitmap Index Scan on communes_commune_postcodes_trgm" in plan_of(sql, params)


@postgresql_only
def test_the_disease_page_ranks_sites_from_the_covering_index(client, directory_data):
    """Every column of the sites that the disease page's ranking reads is in the
    covering index, so PostgreSQL ranks them from the index alone. (Its plan needs the
    table's visibility map, which only a VACUUM after a commit sets: not in a test.)"""
    near = "?pres_de=51100"
    rankings = []
    for query in ("", near):
        with CaptureQueriesContext(connection) as queries:
            url = Disease.objects.get(pk=586).get_absolute_url() + query
            assert client.get(url).status_code == 200
        rankings += [q["sql"] for q in queries.captured_queries if RANKING in q["sql"]]
    assert len(rankings) == 2
    covered = _index_columns("centres_site_pub_rank_idx") | {"is_published"}  # its condition
    for sql in rankings:
        # The sites' table is U0 in the subquery.
        assert 'FROM "centres_site" U0 ' in sql
        read = set(re.findall(r'\bU0\."(\w+)"', sql))
        assert {"centre_id", "kind", "role", "hospital_id", "city"} <= read
        assert read <= covered, read - covered


@postgresql_only
def test_a_centre_s_first_sites_are_read_in_the_index_s_kind_order(client, directory_data):
    """The index's second key is KIND_RANK as Django writes it: PostgreSQL then reads
    a centre's sites in that order and sorts them only within a kind (an incremental
    sort, "Presorted Key"). Were the expressions to differ (a changed KIND_RANK), it
    would sort them all: a full "Sort", which this plan (sorts disabled) then shows."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(Disease.objects.get(pk=586).get_absolute_url()).status_code == 200
    (ranking,) = [q["sql"] for q in queries.captured_queries if RANKING in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        plan = plan_of(ranking)
    assert "centres_site_pub_rank_idx" in plan
    assert "Incremental Sort" in plan
    assert re.search(r"Presorted Key: \(CASE WHEN", plan), plan
    assert not re.search(r"-> +Sort ", plan), plan


@sqlite_only
@pytest.mark.parametrize("query", ["", "?pres_de=51100"])
def test_sqlite_ranks_a_centre_s_sites_from_its_covering_index(client, directory_data, query):
    """SQLite's ranking (a window) reads the sites' ranking columns from
    centres_site_rank_sqlite_idx alone, not from their rows."""
    with CaptureQueriesContext(connection) as queries:
        url = Disease.objects.get(pk=586).get_absolute_url() + query
        assert client.get(url).status_code == 200
    (ranking,) = [q["sql"] for q in queries.captured_queries if "ROW_NUMBER()" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + ranking)
        plan = [row[-1] for row in cursor.fetchall()]
    assert "SEARCH U0 USING COVERING INDEX centres_site_rank_sqlite_idx (centre_id=?)" in plan, plan


def _region_count_sql(client) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/centres/", {"type": "competence", "region": "44"}).status_code == 200
    (count,) = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    return count


def _index_columns(name: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE c.relname = %s",
            [name],
        )
        return {row[0] for row in cursor.fetchall()}


@sqlite_only
def test_sqlite_counts_a_region_s_sites_from_its_covering_index(client, directory_data):
    """A région's count with the type filter (Site.in_region: one column,
    listed_region) reads centres_site_pub_region_idx alone."""
    count = _region_count_sql(client)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("EXPLAIN QUERY PLAN " + count)
        plan = [row[-1] for row in cursor.fetchall()]
    searches = [step for step in plan if step.startswith("SEARCH centres_site")]
    assert len(searches) == 1, plan
    assert "USING COVERING INDEX centres_site_pub_region_idx" in searches[0], plan


@postgresql_only
def test_a_region_s_count_reads_only_what_its_index_holds(client, directory_data):
    """The same on PostgreSQL: the count reads no column the index lacks, from one
    range of it (no OR of two conditions, which only a bitmap of the rows answers)."""
    count = _region_count_sql(client)
    read = set(re.findall(r'"centres_site"\."(\w+)"', count))
    assert read <= _index_columns("centres_site_pub_region_idx") | {"is_published"}, read
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = plan_of(count)
    assert "Index Only Scan using centres_site_pub_region_idx" in plan, plan
    assert "listed_region" in plan and " OR " not in plan, plan


RANKING = "ARRAY(SELECT"  # each centre's first sites (centres.models._first_pks_by_lateral)
