import pytest

from communes.places import distance_km, resolve_place


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        # Great-circle distances between town halls, rounded to the kilometre.
        ((48.8566, 2.3522), (43.2965, 5.3698), 661),  # Paris - Marseille
        ((49.2583, 4.0317), (43.6108, 3.8767), 628),  # Reims - Montpellier
        ((48.8566, 2.3522), (48.8566, 2.3522), 0),
    ],
)
def test_distance_km(a, b, km):
    assert round(distance_km(*a, *b)) == pytest.approx(km, abs=2)


def test_postcode_resolves_to_its_main_commune():
    lookup = resolve_place("51100")
    assert lookup.place.label == "51100 (Reims)"
    assert lookup.place.latitude == pytest.approx(49.26, abs=0.05)


def test_town_name_ignores_case_and_accents():
    assert resolve_place("montpellier").place.label == "Montpellier (34)"
    assert resolve_place("st etienne").place.label == "Saint-Étienne (42)"


def test_ambiguous_town_offers_choices():
    lookup = resolve_place("Saint-Denis")
    assert lookup.place is None and lookup.ambiguous
    departments = {c.department for c in lookup.choices}
    assert {"93", "974"} <= departments
    # A choice names its département and resolves.
    assert resolve_place("Saint-Denis (93)").place.label == "Saint-Denis (93)"


def test_paris_is_placed_at_its_arrondissements():
    place = resolve_place("Paris").place
    assert place.latitude == pytest.approx(48.86, abs=0.05)


@pytest.mark.parametrize("query", ["Xyzville", "00000", "a" * 300, "\x00", "'\""])
def test_unknown_places_say_so(query):
    lookup = resolve_place(query)
    assert lookup.place is None
    assert lookup.error or not query.strip("\x00")


def test_a_site_is_placed_at_its_own_then_its_hospitals_then_its_towns_position():
    from centres.models import Site
    from communes.places import locatables_from_queryset, locatables_from_sites, locate
    from tests.factories import HospitalFactory, SiteFactory

    hospital = HospitalFactory(city="Reims", latitude="49.231111", longitude="4.018889")
    own = SiteFactory(hospital=hospital, latitude="49.250000", longitude="4.030000")
    at_hospital = SiteFactory(hospital=hospital)
    in_town = SiteFactory(hospital=None, city="Reims", region="44")
    nowhere = SiteFactory(hospital=None, city="Saint-Denis")  # several communes, no hint
    sites = Site.objects.select_related("hospital").filter(
        pk__in=[own.pk, at_hospital.pk, in_town.pk, nowhere.pk]
    )
    for locatables in (locatables_from_queryset(sites), locatables_from_sites(sites)):
        located = locate(locatables)
        assert (located[own.pk].latitude, located[own.pk].approximate) == (49.25, False)
        assert located[at_hospital.pk].latitude == pytest.approx(49.231111)
        assert located[in_town.pk].approximate
        assert nowhere.pk not in located


def test_one_region_rule_for_rows_and_objects():
    """A site with a hospital takes its hospital's région, even where the site row
    has another one; a site without a hospital its own (as Site.region_code)."""
    from centres.models import Site
    from communes.places import locatables_from_queryset, locatables_from_sites
    from tests.factories import HospitalFactory, SiteFactory

    with_hospital = SiteFactory(hospital=HospitalFactory(region=""), region="44")
    without = SiteFactory(hospital=None, region="44")
    sites = Site.objects.select_related("hospital").filter(pk__in=[with_hospital.pk, without.pk])
    for locatables in (locatables_from_queryset(sites), locatables_from_sites(sites)):
        regions = {item.pk: item.region for item in locatables}
        assert regions == {with_hospital.pk: "", without.pk: "44"}
    assert {s.pk: s.region_code for s in sites} == {with_hospital.pk: "", without.pk: "44"}
