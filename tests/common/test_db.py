"""common.db.GroupColumn: the same groups on both databases; on SQLite a filtered
query groups by `+column`, so that the planner does not walk the group's index."""

from django.db import connection
from django.db.models import Count, IntegerField
from django.test.utils import CaptureQueriesContext

from centres.enums import SiteKind
from centres.models import Site
from common.db import GroupColumn
from tests.factories import ReferenceCentreFactory, SiteFactory


def counts(queryset):
    with CaptureQueriesContext(connection) as captured:
        rows = dict(
            queryset.order_by()
            .values(group=GroupColumn("centre_id", output_field=IntegerField()))
            .annotate(n=Count("*"))
            .values_list("group", "n")
        )
    return rows, captured.captured_queries[-1]["sql"]


def test_groups_are_those_of_the_plain_column_filtered_or_not(db):
    first, second = ReferenceCentreFactory(), ReferenceCentreFactory()
    SiteFactory.create_batch(3, centre=first, kind=SiteKind.COMPETENCE)
    SiteFactory.create_batch(2, centre=second, kind=SiteKind.REFERENCE)
    SiteFactory(centre=second, kind=SiteKind.COMPETENCE, is_published=False)
    published = Site.objects.published()
    for queryset, expected in [
        (published, {first.pk: 3, second.pk: 2}),
        (published.filter(kind=SiteKind.COMPETENCE), {first.pk: 3}),
    ]:
        rows, _sql = counts(queryset)
        assert rows == expected
        plain = queryset.order_by().values("centre_id").annotate(n=Count("*"))
        assert rows == {row["centre_id"]: row["n"] for row in plain}


def test_only_a_filtered_query_on_sqlite_gets_the_unary_plus(db):
    _rows, plain_sql = counts(Site.objects.published())
    _rows, filtered_sql = counts(Site.objects.published().filter(kind=SiteKind.CRC))
    assert '+"centres_site"."centre_id"' not in plain_sql
    expected = connection.vendor == "sqlite"
    assert ('+"centres_site"."centre_id"' in filtered_sql) is expected
