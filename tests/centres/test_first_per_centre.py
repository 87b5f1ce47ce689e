"""SiteQuerySet.first_per_centre: each centre's first sites and its number of sites
(the disease page). PostgreSQL ranks each centre's sites in a subquery of its own,
other databases with a window: both give the same sites. Synthetic sites
(tests/factories.py)."""

import random

import pytest
from django.db import connection

from centres.models import (
    NearestSites,
    Site,
    _first_pks_by_lateral,
    _first_pks_by_window,
    _is_centre_key,
    _kinds_needed,
)
from communes.places import Place
from tests.factories import HospitalFactory, ReferenceCentreFactory, SiteFactory

REIMS = Place(label="Reims", latitude=49.2583, longitude=4.0317)


@pytest.fixture
def centres():
    """Four centres of 1 to 12 sites, in various hospitals, towns and positions."""
    rng = random.Random(10)
    hospitals = [HospitalFactory(name=f"Test CHU {letter}") for letter in "DBAC"]
    made = []
    for size in (12, 7, 1, 5):
        centre = ReferenceCentreFactory()
        for i in range(size):
            placed = i % 4 != 3
            SiteFactory(
                centre=centre,
                hospital=rng.choice(hospitals),
                kind=rng.choice(["reference", "competence", "crc"]),
                city=rng.choice(["Testville", "Essai", "Banc"]),
                latitude=round(rng.uniform(43, 50), 4) if placed else None,
                longitude=round(rng.uniform(-1, 7), 4) if placed else None,
            )
        made.append(centre)
    return made


def expected(sites, limit_of):
    """What the cut must give, computed in Python from the whole ordered list."""
    firsts: dict[int, list] = {}
    for site in sites:
        kept = firsts.setdefault(site.centre_id, [])
        if len(kept) < limit_of(site):
            kept.append(site.pk)
    return firsts


def test_each_centre_s_first_sites_in_the_list_s_order(centres):
    sites = Site.objects.published().for_list()
    result = sites.first_per_centre(3)
    assert {pk: [s.pk for s in firsts] for pk, (firsts, _n) in result.items()} == expected(
        sites, lambda site: 3
    )
    assert {pk: n for pk, (_firsts, n) in result.items()} == {
        c.pk: c.sites.count() for c in centres
    }


def test_a_limit_per_centre(centres):
    big, small = centres[0], centres[3]
    sites = Site.objects.published().for_list()
    result = sites.first_per_centre(2, limits={big.pk: 5, small.pk: 4})
    assert {pk: [s.pk for s in firsts] for pk, (firsts, _n) in result.items()} == expected(
        sites, lambda site: {big.pk: 5, small.pk: 4}.get(site.centre_id, 2)
    )


def test_nearest_first_within_each_centre(centres):
    sites = Site.objects.published().for_list()
    result = sites.first_per_centre(4, REIMS)
    nearest = list(sites.nearest(REIMS))
    assert {pk: [s.pk for s in firsts] for pk, (firsts, _n) in result.items()} == expected(
        sorted(nearest, key=lambda site: nearest.index(site)), lambda site: 4
    )
    for firsts, _n in result.values():
        distances = [site.distance_km for site in firsts if site.distance_km is not None]
        assert distances == sorted(distances)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own ranking")
@pytest.mark.parametrize("place", [None, REIMS])
def test_both_rankings_choose_the_same_sites(centres, place):
    limits = {centres[0].pk: 5, centres[1].pk: 1}
    queryset = Site.objects.published().for_list()
    ordering = list(queryset.query.order_by)
    if place is not None:
        nearest = NearestSites(queryset, place)
        queryset, ordering = nearest.queryset, nearest.ordering
    in_centre = [key for key in ordering if not _is_centre_key(key)]
    counts = queryset.count_by_centre()
    window = list(_first_pks_by_window(queryset, in_centre, limits, 3))
    lateral = list(_first_pks_by_lateral(queryset, in_centre, limits, 3, counts))
    assert len(window) == 5 + 1 + 1 + 3
    assert sorted(window) == sorted(lateral)


@pytest.mark.parametrize(("limit", "kinds_ranked"), [(1, 1), (2, 4), (4, 4), (5, 9), (20, 9)])
def test_the_window_ranks_only_the_kinds_a_centre_s_first_sites_need(limit, kinds_ranked):
    """One coordinating site, 3 constitutive, 5 competence: a centre's first `limit`
    sites are of its first kinds, which hold that many; only those are ranked (the
    other databases' window), and the sites chosen are the same."""
    centre = ReferenceCentreFactory()
    SiteFactory(centre=centre, coordinating=True)
    SiteFactory.create_batch(3, centre=centre, constitutive=True)
    SiteFactory.create_batch(5, centre=centre)
    sites = Site.objects.published().for_list()
    counts, ranked = _kinds_needed(sites, {}, limit)
    assert counts == {centre.pk: 9}
    assert ranked.count() == kinds_ranked
    result = sites.first_per_centre(limit)
    assert [s.pk for s in result[centre.pk][0]] == expected(sites, lambda s: limit)[centre.pk]
    assert result[centre.pk][1] == 9
