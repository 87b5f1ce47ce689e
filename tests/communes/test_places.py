import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def locatables_from_queryset(queryset):
    from communes.places import LOCATABLE_FIELDS, locatable_from_row

    return [locatable_from_row(row) for row in queryset.values_list(*LOCATABLE_FIELDS)]


def test_a_site_is_placed_at_its_own_then_its_hospitals_then_its_towns_position():
    from centres.models import Site
    from communes.places import locatables_from_sites, locate
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
    # The stored positions (Site.save) follow the same rule.
    stored = {s.pk: (s.position_latitude, s.position_is_approximate) for s in sites}
    assert stored[own.pk] == (49.25, False)
    assert stored[at_hospital.pk] == (pytest.approx(49.231111), False)
    assert stored[in_town.pk][1] is True
    assert stored[nowhere.pk] == (None, False)


def test_one_region_rule_for_rows_and_objects():
    """A site with a hospital takes its hospital's région, even where the site row
    has another one; a site without a hospital its own (as Site.region_code)."""
    from centres.models import Site
    from communes.places import locatables_from_sites
    from tests.factories import HospitalFactory, SiteFactory

    with_hospital = SiteFactory(hospital=HospitalFactory(region=""), region="44")
    without = SiteFactory(hospital=None, region="44")
    sites = Site.objects.select_related("hospital").filter(pk__in=[with_hospital.pk, without.pk])
    for locatables in (locatables_from_queryset(sites), locatables_from_sites(sites)):
        regions = {item.pk: item.region for item in locatables}
        assert regions == {with_hospital.pk: "", without.pk: "44"}
    assert {s.pk: s.region_code for s in sites} == {with_hospital.pk: "", without.pk: "44"}


def test_a_postcode_resolves_to_its_most_populous_commune_with_coordinates():
    # 14670: Troarn (the most populous) has no town-hall coordinates in the source.
    lookup = resolve_place("14670")
    assert lookup.error == ""
    assert lookup.place.label == "14670 (Janville)"
    assert (lookup.place.latitude, lookup.place.longitude) == pytest.approx(
        (49.16, -0.16), abs=0.01
    )


def _resolves_elsewhere(lookup):
    """Each choice offered resolves to a located place: picking one never loops."""
    assert lookup.choices
    for commune in lookup.choices:
        assert resolve_place(str(commune)).place is not None, commune


@pytest.mark.parametrize("query", ["Troarn", "troarn", "Troarn (14)"])
def test_a_town_without_coordinates_says_so_and_offers_nearby_towns(query):
    lookup = resolve_place(query)
    assert lookup.place is None
    assert "Impossible de situer « Troarn (14) »" in lookup.error
    assert "coordonnées" in lookup.error
    # The communes of its postcode that have coordinates, the most populous first.
    assert [str(c) for c in lookup.choices[:2]] == ["Janville (14)", "Saint-Samson (14)"]
    assert all(c.has_coordinates for c in lookup.choices)
    _resolves_elsewhere(lookup)


def test_a_postcode_whose_communes_have_no_coordinates_says_so_and_offers_nearby_ones():
    # 75001: the 1st arrondissement of Paris has no coordinates in the source.
    lookup = resolve_place("75001")
    assert lookup.place is None
    assert "Impossible de situer le code postal 75001" in lookup.error
    assert {c.department for c in lookup.choices} == {"75"}
    assert all(c.postcodes.startswith("7500") for c in lookup.choices)
    _resolves_elsewhere(lookup)


@pytest.mark.parametrize("query", ["Ifs (76)", "Vergne (17)", "Vergné (17)", "Saint-Denis"])
def test_every_choice_offered_leads_somewhere(query):
    lookup = resolve_place(query)
    if lookup.place is None:
        _resolves_elsewhere(lookup)


def test_two_communes_of_one_name_in_one_departement_are_told_apart_by_their_spelling():
    assert resolve_place("Vergné (17)").place.label == "Vergné (17)"
    assert resolve_place("Vergne (17)").place.label == "Vergne (17)"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.text(max_size=30),
        st.from_regex(r"\A[0-9]{5}\Z"),
        st.sampled_from(["Troarn", "Ifs", "Vergne", "Paris", "Marseille", "75004", "13003"]),
    )
)
def test_a_place_is_found_or_the_form_says_why(query):
    """Never a lookup with neither place nor message: the list would be sorted
    silently without a place."""
    lookup = resolve_place(query)
    if not query.replace("\x00", "").strip():
        assert lookup.place is None and not lookup.error
    else:
        assert (lookup.place is None) == bool(lookup.error), query


def test_a_nan_coordinate_in_the_source_loads_as_unknown():
    """42084 and 56098 are written "nan" in the source: PostgreSQL stored NaN."""
    from communes.models import Commune

    for insee in ("42084", "56098"):
        commune = Commune.objects.get(insee=insee)
        assert commune.latitude is None and commune.longitude is None
