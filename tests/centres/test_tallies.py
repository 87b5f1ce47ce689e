"""The tallies of the published sites (CentreSiteTally, RegionSiteTally) are what
counting the sites gives, after every kind of write, on both databases: the triggers
of centres/migrations/0016 keep them. The pages that count every published site read
them; a filtered list counts its sites."""

import importlib
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count

from centres.models import CentreSiteTally, RegionSiteTally, Site, place_new_sites
from common.france import Region
from tests.factories import HospitalFactory, ReferenceCentreFactory, SiteFactory

MIGRATION = importlib.import_module("centres.migrations.0016_site_tallies")


def counted():
    """What the tallies must hold, counted from the sites; their régions by the rule
    (`region_code`: the hospital's, else their own), not from the stored column."""
    published = Site.objects.published()
    totals = published.aggregate(n=Count("*"), placed=Count("position_z"))
    regions = Counter(site.region_code for site in published.select_related("hospital"))
    by_region = (sum(regions.values()), {code: n for code, n in regions.items() if code})
    return published.count_by_centre(), by_region, totals


def tallied():
    sites, placed = CentreSiteTally.objects.totals()
    by_centre = CentreSiteTally.objects.by_centre()
    return by_centre, RegionSiteTally.objects.count_and_regions(), {"n": sites, "placed": placed}


def assert_tallies_hold():
    assert tallied() == counted()
    # No row at 0: a tally lists the centres and areas that have published sites.
    assert not CentreSiteTally.objects.filter(sites=0).exists()
    assert not RegionSiteTally.objects.filter(sites=0).exists()


@pytest.fixture
def sites():
    """Sites of two centres, placed and not, with and without a hospital, published
    and not."""
    first, second = ReferenceCentreFactory(), ReferenceCentreFactory()
    placed = HospitalFactory(latitude="49.231111", longitude="4.018889")
    made = [
        *SiteFactory.create_batch(2, centre=first, hospital=placed),
        SiteFactory(centre=first),
        SiteFactory(centre=first, without_hospital=True),
        SiteFactory(centre=second, without_hospital=True, region=Region.OCCITANIE, city=""),
        SiteFactory(centre=second, is_published=False),
    ]
    assert_tallies_hold()
    return made


def test_created_sites_are_tallied(sites):
    by_centre, (total, regions), totals = tallied()
    assert by_centre == {sites[0].centre_id: 4, sites[4].centre_id: 1}
    assert total == totals["n"] == 5
    assert regions == {Region.GRAND_EST: 3, Region.BRETAGNE: 1, Region.OCCITANIE: 1}
    # The sites of a hospital with coordinates only (the synthetic towns are no
    # communes).
    assert totals["placed"] == 2


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"is_published": False}, id="unpublished"),
        pytest.param({"centre": "other"}, id="moved to another centre"),
        pytest.param({"hospital": None, "region": Region.NORMANDIE}, id="hospital removed"),
        pytest.param({"hospital": "other"}, id="moved to another hospital"),
        pytest.param({"city": "", "postcode": "", "hospital": None}, id="no longer placed"),
    ],
)
def test_a_saved_change_moves_the_site_between_tallies(sites, change):
    site = sites[0]
    values = {
        "centre": ReferenceCentreFactory() if change.get("centre") == "other" else None,
        "hospital": HospitalFactory(region=Region.HAUTS_DE_FRANCE)
        if change.get("hospital") == "other"
        else None,
    }
    for name, value in change.items():
        setattr(site, name, values[name] if value == "other" else value)
    site.save()
    assert_tallies_hold()


def test_the_unpublished_site_published_and_the_site_of_no_hospital_moved(sites):
    unpublished, hospital_less = sites[5], sites[3]
    unpublished.is_published = True
    unpublished.save()
    hospital_less.region = Region.CORSE
    hospital_less.save()
    assert_tallies_hold()
    assert RegionSiteTally.objects.count_and_regions()[1][Region.CORSE] == 1


def test_writes_that_skip_save_are_tallied(sites):
    """QuerySet.update(), bulk_create, bulk_update, QuerySet.delete() and raw SQL: no
    signal, but the triggers see them."""
    centre = sites[0].centre
    Site.objects.filter(pk=sites[1].pk).update(is_published=False)
    assert_tallies_hold()
    Site.objects.filter(centre=centre).update(position_x=None, position_y=None, position_z=None)
    assert_tallies_hold()
    # A bulk_create places its sites first (their position, their région), as the
    # import does: it skips Site.save.
    new = SiteFactory.build_batch(4, centre=centre, hospital=sites[0].hospital)
    place_new_sites(new)
    Site.objects.bulk_create(new)
    assert_tallies_hold()
    moved = list(Site.objects.filter(centre=centre)[:2])
    for site in moved:
        site.centre = sites[4].centre
    Site.objects.bulk_update(moved, ["centre"])
    assert_tallies_hold()
    Site.objects.filter(pk=sites[2].pk).delete()
    assert_tallies_hold()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM centres_site WHERE centre_id = %s", [sites[4].centre_id])
    assert_tallies_hold()
    assert sites[4].centre_id not in CentreSiteTally.objects.by_centre()


def test_the_last_site_of_a_centre_leaves_no_row(sites):
    second = sites[4].centre_id
    Site.objects.filter(pk=sites[4].pk).delete()
    assert not CentreSiteTally.objects.filter(centre_id=second).exists()
    assert not RegionSiteTally.objects.filter(region=Region.OCCITANIE).exists()
    assert_tallies_hold()


def test_an_edit_of_what_is_not_counted_leaves_the_tallies_alone(sites):
    """An edit of a phone number does not write the tally (no lock on its row for every
    edit); an edit of what is counted does. Seen by a tally set wrong on purpose."""
    site = sites[0]
    CentreSiteTally.objects.filter(centre_id=site.centre_id).update(sites=100)
    site.phone = "03 26 00 00 00"
    site.save()
    assert CentreSiteTally.objects.get(centre_id=site.centre_id).sites == 100
    site.is_published = False
    site.save()
    assert CentreSiteTally.objects.get(centre_id=site.centre_id).sites == 99


def test_the_migration_tallies_the_sites_already_there(sites):
    """0016 fills the tallies from the sites it finds (then the triggers keep them)."""
    CentreSiteTally.objects.all().delete()
    RegionSiteTally.objects.all().delete()
    with connection.cursor() as cursor:
        for sql in MIGRATION.FILL:
            cursor.execute(sql)
    assert_tallies_hold()


def test_the_real_directory_is_tallied(directory_data):
    assert_tallies_hold()
    assert CentreSiteTally.objects.totals()[0] == Site.objects.published().count() > 400


def _break_the_tallies(by: int):
    """Every tally `by` sites off: a page that reads them shows it."""
    from django.db.models import F

    CentreSiteTally.objects.update(sites=F("sites") + by, placed=F("placed") + by)
    RegionSiteTally.objects.update(sites=F("sites") + by)


def test_the_pages_of_every_site_read_the_tallies(client, sites):
    _break_the_tallies(10)
    centres = CentreSiteTally.objects.count()
    areas = RegionSiteTally.objects.count()
    assert client.get("/").context["site_count"] == 5 + 10 * areas
    assert client.get("/centres/").context["page_obj"].paginator.count == 5 + 10 * centres
    near = client.get("/centres/", {"pres_de": "51100"}).context["page_obj"]
    assert near.paginator.count == 5 + 10 * centres
    assert client.get("/donnees/").context["site_count"] == 5 + 10 * centres


@pytest.mark.parametrize(
    "params",
    [
        {"type": "competence"},
        {"region": Region.GRAND_EST},
        {"q": "synthétique"},
        {"pres_de": "51100", "rayon": "500"},
        {"pres_de": "51100", "type": "competence"},
        {"age": "enfants"},
    ],
)
def test_a_filtered_list_counts_its_sites(client, sites, params):
    _break_the_tallies(10)
    page = client.get("/centres/", params).context["page_obj"]
    expected = client.get("/centres.json", params).json()["sites"]
    assert page.paginator.count == len(expected) <= 5
