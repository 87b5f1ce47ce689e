"""Pinned SQL query counts: pages must not run one query per row (N+1).

Each count is the same for 10 and 100 rows. If you change a count, say why in the
commit message and update the comment that explains it.
"""

import pytest

from tests.factories import (
    FiliereFactory,
    HospitalFactory,
    ReferenceCentreFactory,
    SiteFactory,
)


def make_directory(n_sites):
    filiere = FiliereFactory(slug="testq", acronym="TESTQ")
    hospital = HospitalFactory(slug="test-q-chu", short_name="Test Q CHU", city="Testville")
    centre = ReferenceCentreFactory(filiere=filiere)
    SiteFactory(centre=centre, hospital=hospital, coordinating=True)
    for i in range(n_sites - 1):
        SiteFactory(
            centre=centre if i % 2 else ReferenceCentreFactory(filiere=filiere),
            hospital=hospital if i % 3 else HospitalFactory(),
        )
    SiteFactory.create_batch(2, centre=centre, without_hospital=True)
    return filiere, hospital, centre


@pytest.mark.parametrize("n_sites", [10, 100])
def test_site_list_queries(client, django_assert_num_queries, n_sites):
    make_directory(n_sites)
    # 1 count for the paginator (by centre), 1 the centres' order, 1 page of sites
    # (with centre, filière and hospital joined), 1 for the filière <select>.
    with django_assert_num_queries(4):
        assert client.get("/centres/").status_code == 200


@pytest.mark.parametrize("n_sites", [10, 100])
def test_filtered_site_list_queries(client, django_assert_num_queries, n_sites):
    make_directory(n_sites)
    # As above, plus 1 lookup for each slug parameter (filière, hôpital), and for the
    # word of `q` the centres and the hospitals that hold it (2).
    with django_assert_num_queries(8):
        response = client.get(
            "/centres/", {"filiere": "testq", "hopital": "test-q-chu", "q": "centre"}
        )
        assert response.status_code == 200


@pytest.mark.parametrize("n_sites", [10, 100])
def test_region_site_list_queries(client, django_assert_num_queries, n_sites):
    make_directory(n_sites)
    # As the unfiltered list: the région is a column of the sites (`listed_region`),
    # no lookup of its hospitals; the page's count is counted, not the tallies'.
    with django_assert_num_queries(4):
        response = client.get("/centres/", {"type": "competence", "region": "44"})
        assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n_sites - 1


@pytest.mark.parametrize("n_sites", [10, 100])
def test_site_detail_queries(client, django_assert_num_queries, n_sites):
    _, hospital, centre = make_directory(n_sites)
    site = centre.sites.filter(hospital=hospital).first()
    # 1 for the site with its centre, filière and hospital, 1 for the centre's other
    # sites, 1 for the centre's disease scope.
    with django_assert_num_queries(3):
        assert client.get(site.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n_sites", [10, 100])
def test_hospital_pages_queries(client, django_assert_num_queries, n_sites):
    _, hospital, _ = make_directory(n_sites)
    # 1 query: hospitals annotated with their number of published sites.
    with django_assert_num_queries(1):
        assert client.get("/hopitaux/").status_code == 200
    # 1 hospital, 1 its sites, 1 sites in the same city without a named hospital.
    with django_assert_num_queries(3):
        assert client.get(hospital.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n_sites", [10, 100])
def test_filiere_pages_queries(client, django_assert_num_queries, n_sites):
    filiere, _, _ = make_directory(n_sites)
    # 1 query: filières annotated with their counts.
    with django_assert_num_queries(1):
        assert client.get("/filieres/").status_code == 200
    # 1 filière (with its coordinating hospital), 1 its sites with centre and hospital,
    # 1 its published totals.
    with django_assert_num_queries(3):
        assert client.get(filiere.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n_sites", [10, 100])
def test_home_queries(client, django_assert_num_queries, n_sites):
    make_directory(n_sites)
    # 1 the sites by région (their tally), 1 the national published totals, 1 filière
    # list, 1 hospitals with published totals.
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


def test_a_large_centre_s_site_page_shows_its_first_sites_and_links_to_all(client):
    _, hospital, centre = make_directory(100)
    site = centre.sites.filter(hospital=hospital).first()
    others = centre.sites.published().exclude(pk=site.pk).count()
    assert others > 40
    response = client.get(site.get_absolute_url())
    shown = [
        *response.context["reference_sites"],
        *response.context["competence_sites"],
        *response.context["other_sites"],
    ]
    assert len(shown) == 40
    assert response.context["sibling_count"] == others
    assert f"Voir les {others} autres sites du centre" in response.content.decode()
