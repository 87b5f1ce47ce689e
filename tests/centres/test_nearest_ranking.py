"""Issue #10: "near me" ranks in the database (Site.objects.nearest), by the stored
positions, with the very results of the former Python ranking (communes.places
rank_by_distance, kept as the reference), on SQLite and PostgreSQL alike."""

import pytest

from centres.models import Site
from communes.places import locatables_from_sites, rank_by_distance, resolve_place
from web.filters import SiteFilter


def python_ranking(site_filter, place, radius):
    """The former rule, as site_list had it: every site placed in Python, nearest
    first (ties by pk), unplaced last, then a stable sort by the filter's groups."""
    sites = list(site_filter.qs)
    by_pk = {site.pk: site for site in sites}
    ranked = rank_by_distance(locatables_from_sites(sites), place, radius)
    if site_filter.group_fields:
        groups = {
            pk: keys for pk, *keys in site_filter.qs.values_list("pk", *site_filter.group_fields)
        }
        ranked.sort(key=lambda item: groups[item.pk])
    return [(item.pk, item.distance_km, item.approximate) for item in ranked], by_pk


CASES = [
    {"pres_de": "51100"},
    {"pres_de": "75013"},
    {"pres_de": "34000"},
    {"pres_de": "51100", "rayon": "150"},
    {"pres_de": "34000", "rayon": "40"},
    {"pres_de": "51100", "maladie": "586"},
    {"pres_de": "75013", "maladie": "586", "rayon": "300"},
    {"pres_de": "34000", "age": "enfants"},
    {"pres_de": "51100", "age": "adultes", "maladie": "586"},
    {"pres_de": "Saint-Denis (974)"},
]


@pytest.mark.parametrize("boxed", [True, False], ids=["boxed", "whole"])
@pytest.mark.parametrize("params", CASES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_database_ranking_equals_the_python_rule_on_the_real_data(
    directory_data, monkeypatch, params, boxed
):
    # The real directory is small enough to be ranked whole; boxed forces the boxes
    # around the place that a large directory uses, on the same data.
    if boxed:
        monkeypatch.setattr("centres.models.RANK_WHOLE_BELOW", 0)
    site_filter = SiteFilter(params, queryset=Site.objects.published().for_list())
    assert site_filter.is_valid()
    place = resolve_place(params["pres_de"]).place
    radius = int(params["rayon"]) if "rayon" in params else None
    expected, _sites = python_ranking(site_filter, place, radius)
    assert expected
    nearest = site_filter.qs.nearest(place, radius, group_fields=site_filter.group_fields)
    assert nearest.count() == len(expected)
    whole = [(s.pk, s.distance_km, s.location_approximate) for s in nearest]
    assert whole == expected
    # Page by page, as the paginator asks (each slice boxed around the place).
    for start in range(0, len(expected), 20):
        page = nearest[start : start + 20]
        assert [(s.pk, s.distance_km, s.location_approximate) for s in page] == (
            expected[start : start + 20]
        ), start


def test_the_list_view_pages_follow_the_same_order(client, directory_data):
    site_filter = SiteFilter({}, queryset=Site.objects.published().for_list())
    assert site_filter.is_valid()
    expected, _sites = python_ranking(site_filter, resolve_place("51100").place, None)
    response = client.get("/centres/", {"pres_de": "51100", "page": "3"})
    assert [s.pk for s in response.context["sites"]] == [pk for pk, *_ in expected[40:60]]
    assert response.context["page_obj"].paginator.count == len(expected)


def test_unplaced_sites_come_last_without_a_radius_and_are_left_out_with_one(monkeypatch):
    monkeypatch.setattr("centres.models.RANK_WHOLE_BELOW", 0)
    from tests.factories import HospitalFactory, SiteFactory

    reims = HospitalFactory(city="Reims", latitude="49.231111", longitude="4.018889")
    near = SiteFactory(hospital=reims)
    nowhere = SiteFactory(hospital=None, city="Saint-Denis")  # several communes, no hint
    far = SiteFactory(hospital=None, city="Montpellier", region="76")
    place = resolve_place("51100").place
    sites = Site.objects.published().for_list()
    assert [s.pk for s in sites.nearest(place)] == [near.pk, far.pk, nowhere.pk]
    ranked = list(sites.nearest(place))
    assert ranked[-1].distance_km is None and ranked[1].location_approximate
    assert [s.pk for s in sites.nearest(place, 100)] == [near.pk]
    assert sites.nearest(place, 100).count() == 1


def test_groups_stay_first_and_nearest_first_within_each(monkeypatch):
    monkeypatch.setattr("centres.models.RANK_WHOLE_BELOW", 0)
    from centres.enums import AgeGroup
    from tests.factories import HospitalFactory, SiteFactory

    reims = HospitalFactory(city="Reims", latitude="49.231111", longitude="4.018889")
    paris = HospitalFactory(city="Paris", latitude="48.840000", longitude="2.360000")
    far_child = SiteFactory(hospital=paris, age_group=AgeGroup.CHILDREN)
    near_unknown = SiteFactory(hospital=reims, age_group="")
    near_child = SiteFactory(hospital=reims, age_group=AgeGroup.BOTH)
    site_filter = SiteFilter({"age": "enfants"}, queryset=Site.objects.published().for_list())
    assert site_filter.is_valid()
    ranked = site_filter.qs.nearest(
        resolve_place("51100").place, group_fields=site_filter.group_fields
    )
    assert [s.pk for s in ranked] == [near_child.pk, far_child.pk, near_unknown.pk]
    assert [s.pk for s in ranked[1:3]] == [far_child.pk, near_unknown.pk]


def test_positions_follow_the_hospital_the_site_and_the_communes():
    from communes.models import Commune
    from communes.signals import communes_loaded
    from hospitals.models import Hospital
    from tests.factories import HospitalFactory, SiteFactory

    hospital = HospitalFactory(city="Reims", department="51", region="44")
    at_hospital = SiteFactory(hospital=hospital)
    own = SiteFactory(hospital=hospital, latitude="48.000000", longitude="3.000000")
    in_town = SiteFactory(hospital=None, city="Épernay", region="44")
    reims_hall = Commune.objects.get(insee="51454")

    def position(site):
        site = Site.objects.get(pk=site.pk)
        return (site.position_latitude, site.position_longitude, site.position_is_approximate)

    assert position(at_hospital) == (reims_hall.latitude, reims_hall.longitude, True)
    assert position(own) == (48.0, 3.0, False)
    # The hospital gets its coordinates: its sites without their own move there.
    hospital = Hospital.objects.get(pk=hospital.pk)
    hospital.latitude, hospital.longitude = "49.231111", "4.018889"
    hospital.save()
    assert position(at_hospital) == (49.231111, 4.018889, False)
    assert position(own) == (48.0, 3.0, False)
    # A site edited: its own coordinates removed, then its hospital changed.
    own = Site.objects.get(pk=own.pk)
    own.latitude = own.longitude = None
    own.save()
    assert position(own) == (49.231111, 4.018889, False)
    own.hospital = None
    own.city, own.region = "Montpellier", "76"
    own.save(update_fields=["hospital", "city", "region"])
    montpellier = Commune.objects.get(insee="34172")
    assert position(own) == (montpellier.latitude, montpellier.longitude, True)
    # The communes reloaded with another town hall for Épernay.
    Commune.objects.filter(search_name="epernay").update(latitude=49.0, longitude=3.9)
    communes_loaded.send(sender=Commune)
    assert position(in_town) == (49.0, 3.9, True)


def test_the_fixtures_loader_places_every_site(directory_data):
    placed = Site.objects.filter(position_z__isnull=False)
    assert placed.count() > 0.9 * Site.objects.count()
    assert not Site.objects.filter(position_z__isnull=True, latitude__isnull=False).exists()


def make_sites(n):
    """SYNTHETIC sites around Reims and Montpellier (two hospitals)."""
    from tests.factories import HospitalFactory, SiteFactory

    reims = HospitalFactory(city="Reims", latitude="49.231111", longitude="4.018889")
    montpellier = HospitalFactory(city="Montpellier", latitude="43.610000", longitude="3.870000")
    SiteFactory.create_batch(n // 2, hospital=reims)
    SiteFactory.create_batch(n - n // 2, hospital=montpellier)


@pytest.mark.parametrize("n_sites", [6, 60, 240])
def test_near_list_queries(client, django_assert_num_queries, monkeypatch, n_sites):
    monkeypatch.setattr("centres.models.RANK_WHOLE_BELOW", 0)  # boxed, as at scale
    make_sites(n_sites)
    # 1 the place, 1 the paginator's count, 1 the page's sites (ranked in the
    # database, joined with centre, filière and hospital), 1 the filière <select>:
    # whatever the number of sites, never one query per site nor all their rows.
    for page in ("1", "2"):
        with django_assert_num_queries(4):
            response = client.get("/centres/", {"pres_de": "51100", "page": page})
        assert response.status_code == 200
    with django_assert_num_queries(4):
        response = client.get("/centres/", {"pres_de": "34000", "rayon": "50"})
    assert response.context["page_obj"].paginator.count == n_sites - n_sites // 2


@pytest.mark.parametrize("n_sites", [6, 60, 240])
def test_plain_list_queries(client, django_assert_num_queries, n_sites):
    make_sites(n_sites)
    # 1 count by centre, 1 the centres' order, 1 page of sites, 1 filière <select>.
    with django_assert_num_queries(4):
        assert client.get("/centres/").status_code == 200
