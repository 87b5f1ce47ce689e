"""CentrePagedSites: a /centres/ page read centre by centre is the same page as the
sorted list, at every offset, including two centres of one name in one filière."""

from centres.models import Site
from tests.factories import FiliereFactory, ReferenceCentreFactory, SiteFactory


def test_every_slice_is_the_sorted_lists_slice(client, django_assert_num_queries):
    filiere = FiliereFactory()
    twins = [
        ReferenceCentreFactory(name="Centre synthétique jumeau", filiere=filiere) for _ in range(2)
    ]
    for centre in [*twins, ReferenceCentreFactory(filiere=None), ReferenceCentreFactory()]:
        SiteFactory.create_batch(3, centre=centre)
    queryset = Site.objects.published().for_list()
    expected = list(queryset.values_list("pk", flat=True))
    paged = queryset.paged_by_centre()
    assert paged.count() == len(expected) == 12
    for start in range(0, 13):
        for size in (1, 2, 5, 20):
            assert [s.pk for s in paged[start : start + size]] == expected[start : start + size]
    # The counts are read once (by centre, then the centres' order); a page is one
    # more query.
    fresh = queryset.paged_by_centre()
    with django_assert_num_queries(3):
        fresh.count()
        fresh[4:9]


def test_the_list_page_uses_it_and_keeps_the_downloads_order(client):
    SiteFactory.create_batch(25)
    body = client.get("/centres/", {"page": "2"}).content.decode()
    page = client.get("/centres/", {"page": "2"}).context["page_obj"]
    expected = list(Site.objects.published().for_list()[20:25])
    assert list(page.object_list) == expected
    assert expected[0].get_absolute_url() in body
    rows = client.get("/centres.json").json()["sites"]
    assert [row["url"].rsplit("/centres/", 1)[1] for row in rows[20:25]] == [
        s.get_absolute_url().rsplit("/centres/", 1)[1] for s in expected
    ]
