"""A disease's centres, most specific first (centres.matching), on the disease page and
on /centres/?maladie=. Synthetic centres and sites on the real Orphanet nomenclature
(loaded once per session): pemphigus vulgaire (ORPHA:704) sits under "Dermatite
bulleuse auto-immune" (79669, 16 descendants), under "Maladie rare de la peau"
(89826, over a thousand)."""

import html
import re

import pytest

from centres.enums import AgeGroup
from centres.matching import disease_centres
from centres.models import CentreCoverage, ReferenceCentre, Site
from diseases.models import Disease, FiliereCoverage
from tests.factories import FiliereFactory, HospitalFactory, ReferenceCentreFactory, SiteFactory

PEMPHIGUS, BULLOUS, SKIN = 704, 79669, 89826


def scope(centre, code):
    return CentreCoverage.objects.create(
        centre=centre, disease_id=code, justification="Justification synthétique de test"
    )


@pytest.fixture
def skin():
    """A synthetic dermatology filière mapped to the skin root group, with a centre for
    bullous diseases, one for the skin in general, one for the disease itself and one
    with no published scope."""
    filiere = FiliereFactory(acronym="TESTDERM")
    FiliereCoverage.objects.create(
        filiere=filiere, disease_id=SKIN, justification="Domaine synthétique : la peau"
    )
    reims = HospitalFactory(slug="test-reims", city="Reims", latitude=49.25, longitude=4.03)
    nice = HospitalFactory(slug="test-nice", city="Nice", latitude=43.7, longitude=7.27)
    # Names chosen so that alphabetical order is the opposite of specificity.
    bullous = ReferenceCentreFactory(
        name="Zeta bulleuses auto-immunes", acronym="TESTBUL", filiere=filiere
    )
    whole_skin = ReferenceCentreFactory(name="Beta peau", acronym="TESTPEAU", filiere=filiere)
    exact = ReferenceCentreFactory(name="Yota pemphigus", acronym="TESTPEMPH", filiere=filiere)
    unscoped = ReferenceCentreFactory(name="Alpha sans domaine", filiere=filiere)
    scope(bullous, BULLOUS)
    scope(whole_skin, SKIN)
    scope(exact, PEMPHIGUS)
    sites = {
        "bullous_nice": SiteFactory(centre=bullous, hospital=nice, coordinating=True),
        "bullous_reims": SiteFactory(centre=bullous, hospital=reims),
        "skin_reims": SiteFactory(centre=whole_skin, hospital=reims),
        "exact_nice": SiteFactory(centre=exact, hospital=nice, coordinating=True),
        "unscoped_reims": SiteFactory(centre=unscoped, hospital=reims),
    }
    return {
        "filiere": filiere,
        "bullous": bullous,
        "whole_skin": whole_skin,
        "exact": exact,
        "unscoped": unscoped,
        **sites,
    }


def test_the_disease_itself_then_the_narrowest_group_then_broader(skin):
    matches = disease_centres(Disease.objects.get(pk=PEMPHIGUS))
    assert [m.centre for m in matches.centre_matches] == [
        skin["exact"],
        skin["bullous"],
        skin["whole_skin"],
    ]
    bullous = matches.centre_matches[1]
    assert [d.orpha_code for d in bullous.path] == [PEMPHIGUS, BULLOUS]


def test_a_centre_without_scope_is_never_ranked_among_the_matched_centres(skin):
    matches = disease_centres(Disease.objects.get(pk=PEMPHIGUS))
    assert skin["unscoped"] not in [m.centre for m in matches.centre_matches]
    # ... but it is listed after them, as one of the filière's other centres.
    assert matches.group_of_centre(skin["unscoped"]) > max(m.group for m in matches.centre_matches)


def test_ties_are_broken_by_name(skin):
    twin = ReferenceCentreFactory(name="Aaa bulleuses jumelles", filiere=skin["filiere"])
    scope(twin, BULLOUS)
    matches = disease_centres(Disease.objects.get(pk=PEMPHIGUS))
    centres = [m.centre for m in matches.centre_matches]
    assert centres.index(twin) == centres.index(skin["bullous"]) - 1


def test_a_centre_of_another_filiere_with_a_matching_scope_is_listed(skin):
    other = ReferenceCentreFactory(name="Centre d'une autre filière", filiere=FiliereFactory())
    scope(other, BULLOUS)
    SiteFactory(centre=other)
    matches = disease_centres(Disease.objects.get(pk=PEMPHIGUS))
    assert other in [m.centre for m in matches.centre_matches]


def test_a_disease_outside_every_scope_lists_only_the_filiere(skin):
    # Epidermolysis bullosa (a skin disease, not autoimmune): only the skin-wide centre.
    code = 79361
    matches = disease_centres(Disease.objects.get(pk=code))
    assert [m.centre for m in matches.centre_matches] == [skin["whole_skin"]]


def test_disease_page_lists_centres_first_then_the_filieres_other_centres(client, skin):
    response = client.get(f"/maladies/{PEMPHIGUS}/")
    body = html.unescape(response.content.decode())
    assert [match.centre for match, _sites, _n in response.context["centres"]] == [
        skin["exact"],
        skin["bullous"],
        skin["whole_skin"],
    ]
    others = response.context["other_centres"]
    assert [centre for centre, _site, _total in others[0][1]] == [skin["unscoped"]]
    assert "Autres centres de la filière TESTDERM, domaine plus large" in body
    # The reason, as a path ending with the centre.
    plain = " ".join(re.sub(r"<[^>]+>", "", body).split())
    assert "Pemphigus vulgaire → Dermatite bulleuse auto-immune → TESTBUL" in plain
    assert body.index("Yota pemphigus") < body.index("Zeta bulleuses") < body.index("Beta peau")
    assert body.index("Beta peau") < body.index("Alpha sans domaine")


@pytest.mark.parametrize("extra", [12, 40])
def test_disease_page_shows_each_centres_first_sites_and_counts_them_all(
    client, skin, django_assert_num_queries, extra
):
    # `extra` more sites for a matched centre and for the filière's other centre, the
    # farther from Reims the later they are made; one lands beyond the radius below.
    for i in range(extra):
        far = HospitalFactory(latitude=49.25 - 0.05 * (i + 1), longitude=4.03)
        SiteFactory(centre=skin["bullous"], hospital=far)
        SiteFactory(centre=skin["unscoped"], hospital=far)
    # disease, synonyms, ancestors, centre scopes, filière mappings, names, the
    # filières' centres, then the sites: counts per centre, then the first ones (ranked
    # and cut in a subquery); + the commune.
    with django_assert_num_queries(10):
        response = client.get(f"/maladies/{PEMPHIGUS}/", {"pres_de": "51100"})
    by_centre = {match.centre: (sites, n) for match, sites, n in response.context["centres"]}
    sites, total = by_centre[skin["bullous"]]
    assert total == 2 + extra
    assert len(sites) == 10
    assert sites[0] == skin["bullous_reims"]
    assert [s.distance_km for s in sites] == sorted(s.distance_km for s in sites)
    assert skin["bullous_nice"] not in sites  # the farthest, cut
    body = html.unescape(response.content.decode())
    assert f"Voir les {2 + extra} sites du centre" in body
    ((centre, nearest, other_total),) = response.context["other_centres"][0][1]
    assert (centre, nearest, other_total) == (skin["unscoped"], skin["unscoped_reims"], 1 + extra)
    # Within a radius, the counts are those of the sites within it.
    response = client.get(f"/maladies/{PEMPHIGUS}/", {"pres_de": "51100", "rayon": "50"})
    sites, total = {m.centre: (s, n) for m, s, n in response.context["centres"]}[skin["bullous"]]
    assert total == 1 + sum(1 for i in range(extra) if 0.05 * (i + 1) * 111.2 <= 50)
    assert all(site.distance_km <= 50 for site in sites)


def test_nearest_first_within_each_centre_on_the_disease_page(client, skin):
    response = client.get(f"/maladies/{PEMPHIGUS}/", {"pres_de": "51100"})
    centres = response.context["centres"]
    # The most specific centre stays first even though its only site is far away.
    assert centres[0][0].centre == skin["exact"]
    bullous_sites = centres[1][1]
    assert bullous_sites == [skin["bullous_reims"], skin["bullous_nice"]]


def test_site_list_filtered_by_disease_groups_sites_by_centre(client, skin):
    response = client.get("/centres/", {"maladie": PEMPHIGUS})
    sites = list(response.context["sites"])
    assert sites == [
        skin["exact_nice"],
        skin["bullous_nice"],  # coordinating first inside the centre
        skin["bullous_reims"],
        skin["skin_reims"],
        skin["unscoped_reims"],
    ]
    headings = [
        (c.centre if c else None, f.filiere if f else None, s)
        for c, f, s in response.context["sections"]
    ]
    assert headings[-1] == (None, skin["filiere"], [skin["unscoped_reims"]])
    body = html.unescape(response.content.decode())
    assert "Autres centres de la filière TESTDERM, domaine plus large" in body


def test_site_list_by_disease_near_a_place_keeps_centres_first(client, skin):
    response = client.get("/centres/", {"maladie": PEMPHIGUS, "pres_de": "51100"})
    sites = list(response.context["sites"])
    assert sites == [
        skin["exact_nice"],
        skin["bullous_reims"],  # nearest first inside the centre
        skin["bullous_nice"],
        skin["skin_reims"],
        skin["unscoped_reims"],
    ]


def test_site_page_says_which_diseases_its_centre_covers(client, skin):
    body = html.unescape(client.get(skin["bullous_reims"].get_absolute_url()).content.decode())
    assert "Maladies prises en charge" in body
    assert 'href="/maladies/79669/"' in body
    assert "Dermatite bulleuse auto-immune" in body
    assert 'href="/filieres/testderm/"' in body


def test_site_page_of_a_centre_without_scope_says_so(client, skin):
    body = html.unescape(client.get(skin["unscoped_reims"].get_absolute_url()).content.decode())
    assert "ne précise pas de maladie" in body


# --- the way in: the hospital's switchboard when the site has no contact of its own ----


def test_site_without_contact_shows_its_hospitals_switchboard_and_website(client):
    hospital = HospitalFactory(
        slug="test-standard",
        switchboard_phone="03 00 00 00 00",
        website="https://hopital-synthetique.invalid/",
    )
    site = SiteFactory(hospital=hospital, service="Service synthétique de test")
    body = html.unescape(client.get(site.get_absolute_url()).content.decode())
    assert "Standard de l'établissement" in body
    assert 'href="tel:0300000000"' in body
    assert "demandez le service : Service synthétique de test" in body
    assert 'href="https://hopital-synthetique.invalid/"' in body
    assert "Aucun contact" not in body
    assert "Pas de contact direct" in body


def test_site_with_its_own_phone_does_not_show_the_switchboard(client):
    hospital = HospitalFactory(slug="test-standard-2", switchboard_phone="03 00 00 00 00")
    site = SiteFactory(hospital=hospital, phone="03 11 11 11 11")
    body = html.unescape(client.get(site.get_absolute_url()).content.decode())
    assert "03 11 11 11 11" in body
    assert "Standard de l'établissement" not in body


def test_site_with_no_contact_anywhere_says_so(client):
    site = SiteFactory(hospital=HospitalFactory(slug="test-sans-contact"))
    body = html.unescape(client.get(site.get_absolute_url()).content.decode())
    assert "Aucun contact n'a été trouvé" in body


def test_site_at_its_hospitals_real_coordinates_is_not_approximate(client):
    hospital = HospitalFactory(slug="test-coord", city="Reims", latitude=49.25, longitude=4.03)
    SiteFactory(hospital=hospital)
    response = client.get("/centres/", {"pres_de": "51100"})
    site = response.context["sites"][0]
    assert site.location_approximate is False
    body = response.content.decode()
    assert "distance approximative" not in body
    # 0.8 km from Reims' town hall, at the hospital's own position: said in words, not
    # « à 0 km »; not « dans la commune », which it may not be.
    assert site.distance_km < 1
    assert "à moins de 1 km" in body
    assert "à 0 km" not in body


# --- the age filter never hides a site whose ages no source gives ---------------------


def test_age_filter_lists_known_ages_then_unknown_ones_marked(client):
    children = SiteFactory(age_group=AgeGroup.CHILDREN, centre__name="Zzz enfants")
    both = SiteFactory(age_group=AgeGroup.BOTH, centre__name="Yyy tous âges")
    unknown = SiteFactory(age_group="", centre__name="Aaa âge inconnu")
    adults = SiteFactory(age_group=AgeGroup.ADULTS)
    response = client.get("/centres/", {"age": "enfants"})
    sites = list(response.context["sites"])
    assert set(sites[:2]) == {children, both}
    assert sites[2:] == [unknown]
    assert adults not in sites
    assert "âge non précisé" in response.content.decode()


def test_age_filter_near_a_place_keeps_unknown_ages_after(client):
    reims = HospitalFactory(slug="test-age-reims", city="Reims", latitude=49.25, longitude=4.03)
    nice = HospitalFactory(slug="test-age-nice", city="Nice", latitude=43.7, longitude=7.27)
    near_unknown = SiteFactory(hospital=reims, age_group="")
    far_children = SiteFactory(hospital=nice, age_group=AgeGroup.CHILDREN)
    response = client.get("/centres/", {"age": "enfants", "pres_de": "51100"})
    assert list(response.context["sites"]) == [far_children, near_unknown]


def test_each_group_s_centres_are_those_its_sites_sort_in(directory_data):
    """`centres_by_group` (the index-friendly form of a group, NearestSites) holds each
    centre in the group that `group_of_centre` and the SQL CASE give it, and only
    there: on the real data, for the diseases that centres or filières cover."""
    codes = set(CentreCoverage.objects.values_list("disease_id", flat=True)[:20])
    codes |= set(FiliereCoverage.objects.values_list("disease_id", flat=True)[:20])
    checked = 0
    for code in sorted(codes):
        matches = disease_centres(Disease.objects.get(pk=code))
        listed = [pk for pks in matches.centres_by_group.values() for pk in pks]
        assert sorted(listed) == matches.centre_ids
        by_sql = dict(  # the group of each centre's sites, by the SQL CASE
            Site.objects.filter(centre_id__in=matches.centre_ids)
            .annotate(group=matches.group_expression())
            .values_list("centre_id", "group")
            .distinct()
        )
        for group, pks in matches.centres_by_group.items():
            for centre in ReferenceCentre.objects.filter(pk__in=pks):
                assert matches.group_of_centre(centre) == group
                assert by_sql.get(centre.pk, group) == group
        checked += bool(listed)
    assert checked > 5
