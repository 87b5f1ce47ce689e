"""?pres_de= and ?maladie= on /centres/ with the real data."""

import html

import pytest


def sites_of(response):
    return list(response.context["sites"])


def test_postcode_51100_lists_reims_sites_first(client, directory_data):
    sites = sites_of(client.get("/centres/", {"pres_de": "51100"}))
    first = sites[0]
    assert (first.hospital and first.hospital.city == "Reims") or first.city == "Reims"
    distances = [s.distance_km for s in sites if s.distance_km is not None]
    assert distances == sorted(distances)
    assert distances[0] < 10


def test_montpellier_lists_montpellier_sites_first(client, directory_data):
    sites = sites_of(client.get("/centres/", {"pres_de": "Montpellier"}))
    assert sites[0].place == "Montpellier"
    assert sites[0].distance_km < 10


def test_radius_keeps_only_sites_within_it(client, directory_data):
    response = client.get("/centres/", {"pres_de": "Montpellier", "rayon": "30"})
    count = response.context["page_obj"].paginator.count
    assert count > 0
    assert all(s.distance_km <= 30 for s in sites_of(response))
    everything = client.get("/centres/", {"pres_de": "Montpellier"})
    assert count < everything.context["page_obj"].paginator.count


def test_sites_located_by_town_are_marked_approximate(client, directory_data):
    response = client.get("/centres/", {"pres_de": "Montpellier"})
    body = html.unescape(response.content.decode())
    approximate = [s for s in sites_of(response) if s.location_approximate and s.distance_km >= 1]
    assert approximate
    # On each such card (the map's legend says « position approximative » on every map).
    note = "distance approximative : depuis le centre de la commune du site"
    assert body.count(note) == len(approximate)


def test_ambiguous_place_offers_choices(client, directory_data):
    response = client.get("/centres/", {"pres_de": "Saint-Denis"})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Plusieurs communes s'appellent « Saint-Denis »" in body
    assert "pres_de=Saint-Denis+%2893%29" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"pres_de": "Xyzville"}, "Lieu inconnu"),
        ({"pres_de": "51100", "rayon": "0"}, "supérieure ou égale à 1"),
        ({"pres_de": "51100", "rayon": "abc"}, "Saisissez un nombre entier"),
        ({"rayon": "10"}, "Indiquez un lieu"),
        ({"pres_de": "a" * 3000}, "100 caractères"),
        ({"maladie": "abc"}, "Code ORPHA inconnu"),
        ({"maladie": "999999999"}, "Code ORPHA inconnu"),
    ],
)
def test_bad_near_or_disease_parameters(client, params, message):
    response = client.get("/centres/", params)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())


def test_disease_filter_lists_the_covering_filiere_first(client, directory_data):
    response = client.get("/centres/", {"maladie": "ORPHA:586"})
    sites = sites_of(response)
    assert sites and sites[0].centre.filiere.acronym == "Muco-CFTR"
    assert "Mucoviscidose" in html.unescape(response.content.decode())


def test_disease_filter_follows_obsolete_codes(client, directory_data):
    from diseases.models import Disease

    old = Disease.objects.filter(replaced_by__isnull=False).exclude(status="active").first()
    response = client.get("/centres/", {"maladie": old.orpha_code})
    assert response.context["selected_disease"] == old.replaced_by


def test_disease_and_place_together(client, directory_data):
    response = client.get("/centres/", {"maladie": "586", "pres_de": "51100"})
    # The centres that treat the disease keep their order; nearest first inside each.
    for _centre, _filiere, sites in response.context["sections"]:
        distances = [s.distance_km for s in sites if s.distance_km is not None]
        assert distances == sorted(distances)


@pytest.mark.parametrize("n_rows", [10, 100])
def test_filtered_list_query_count(client, django_assert_num_queries, n_rows):
    from diseases.models import FiliereCoverage
    from tests.factories import FiliereFactory, SiteFactory

    filiere = FiliereFactory()
    FiliereCoverage.objects.create(filiere=filiere, disease_id=586, justification="test")
    SiteFactory.create_batch(n_rows, centre__filiere=filiere, hospital__city="Reims")
    # 1 the disease, 1 its ancestors (one recursive query), 1 the centre scopes, 1 the
    # filière mappings, 1 the names on the paths, 1 the filières' centres, 1 the
    # place, 1 the paginator's count (sites per group), 1 the page's sites ranked in
    # the database (the first box around Reims holds them all), 1 the filière <select>.
    with django_assert_num_queries(10):
        response = client.get("/centres/", {"maladie": "586", "pres_de": "51100"})
    assert response.context["page_obj"].paginator.count == n_rows


def test_a_postcode_is_placed_at_a_commune_that_has_coordinates(client, directory_data):
    # 14670's most populous commune, Troarn, has no coordinates in the source.
    response = client.get("/centres/", {"pres_de": "14670"})
    assert response.context["place"].label == "14670 (Janville)"
    distances = [s.distance_km for s in sites_of(response)]
    assert distances[0] is not None and distances[0] < 30  # Caen
    assert distances == sorted(distances, key=lambda d: (d is None, d or 0))


@pytest.mark.parametrize("query", ["Troarn", "75001"])
def test_a_place_that_cannot_be_located_is_a_form_error_not_an_unsorted_list(
    client, directory_data, query
):
    response = client.get("/centres/", {"pres_de": query})
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["place"] is None
    assert "Impossible de situer" in body
    assert not sites_of(response)  # not the whole directory in its usual order
    choices = response.context["near"].choices
    assert choices and all(c.has_coordinates for c in choices)
    assert f"pres_de={choices[0].name.replace(' ', '+')}" in body


def test_the_disease_page_says_when_the_place_cannot_be_located(client, directory_data):
    body = html.unescape(client.get("/maladies/586/", {"pres_de": "Troarn"}).content.decode())
    assert "Impossible de situer « Troarn (14) »" in body
