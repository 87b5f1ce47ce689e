import pytest
from django.urls import reverse

from tests.factories import HospitalFactory, SiteFactory


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin-test", "a@b.invalid", "pw-Test-123!")


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "model", ["hospitals_hospital", "filieres_filiere", "centres_referencecentre", "centres_site"]
)
def test_every_admin_changelist_add_and_change_page_renders(admin_client_, model):
    site = SiteFactory()
    objects = {
        "hospitals_hospital": site.hospital,
        "filieres_filiere": site.centre.filiere,
        "centres_referencecentre": site.centre,
        "centres_site": site,
    }
    assert admin_client_.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin_client_.get(reverse(f"admin:{model}_changelist"), {"q": "test"}).status_code == 200
    assert admin_client_.get(reverse(f"admin:{model}_add")).status_code == 200
    change_url = reverse(f"admin:{model}_change", args=[objects[model].pk])
    assert admin_client_.get(change_url).status_code == 200


def test_site_changelist_filters_by_region_and_searches_hospital(admin_client_):
    wanted = SiteFactory(hospital__short_name="Test CHU Cherché", hospital__region="76")
    SiteFactory(hospital__region="44")
    url = reverse("admin:centres_site_changelist")
    response = admin_client_.get(url, {"region": "76"})
    assert list(response.context["cl"].result_list) == [wanted]
    response = admin_client_.get(url, {"q": "Cherché"})
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.parametrize("n", [5, 50])
def test_site_changelist_query_count_does_not_grow_with_rows(
    admin_client_, django_assert_max_num_queries, n
):
    SiteFactory.create_batch(n)
    # Session, user, count(s), the page joined with centre/filière/hospital, the
    # filière filter's choices: no query per row thanks to list_select_related.
    with django_assert_max_num_queries(10):
        admin_client_.get(reverse("admin:centres_site_changelist"))


def test_hospital_admin_offers_to_add_the_missing_sites(admin_client_):
    hospital = HospitalFactory(
        published_competence_centres=48,
        published_totals_source="https://source-synthetique.invalid/totaux",
    )
    SiteFactory(hospital=hospital)
    changelist = admin_client_.get(reverse("admin:hospitals_hospital_changelist"))
    assert "1 / 48" in changelist.content.decode()
    change = admin_client_.get(reverse("admin:hospitals_hospital_change", args=[hospital.pk]))
    add_url = reverse("admin:centres_site_add") + f"?hospital={hospital.pk}&amp;kind=competence"
    assert add_url in change.content.decode()
    # The link pre-fills the new site's hospital and kind.
    add = admin_client_.get(
        reverse("admin:centres_site_add"), {"hospital": hospital.pk, "kind": "competence"}
    )
    form = add.context["adminform"].form
    assert form.initial["hospital"] == str(hospital.pk)
    assert form.initial["kind"] == "competence"


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:centres_site_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_filiere_coverage_is_editable_and_the_nomenclature_read_only(admin_client_):
    from diseases.models import FiliereCoverage
    from tests.factories import FiliereFactory

    coverage = FiliereCoverage.objects.create(
        filiere=FiliereFactory(), disease_id=586, justification="synthétique"
    )
    change = reverse("admin:diseases_filierecoverage_change", args=[coverage.pk])
    assert admin_client_.get(change).status_code == 200
    assert admin_client_.get(reverse("admin:diseases_filierecoverage_add")).status_code == 200
    disease = reverse("admin:diseases_disease_change", args=[586])
    response = admin_client_.get(disease)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client_.get(reverse("admin:diseases_disease_add")).status_code == 403
    # Staff find a disease by name without accents, or by code.
    listing = admin_client_.get(reverse("admin:diseases_disease_changelist"), {"q": "586"})
    assert 586 in [d.pk for d in listing.context["cl"].result_list]


@pytest.mark.parametrize("n", [3, 30])
def test_centre_page_with_its_sites_does_not_query_per_site(
    admin_client_, django_assert_max_num_queries, n
):
    from tests.factories import ReferenceCentreFactory

    centre = ReferenceCentreFactory()
    SiteFactory.create_batch(n, centre=centre)
    # Session, user, the centre, its filière choices, the sites (with their hospital),
    # history and admin bookkeeping: a fixed number, whatever the number of sites.
    with django_assert_max_num_queries(12):
        admin_client_.get(reverse("admin:centres_referencecentre_change", args=[centre.pk]))


def test_hospital_autocomplete_answers(admin_client_):
    HospitalFactory(name="Hôpital synthétique Autocomplete")
    response = admin_client_.get(
        "/admin/autocomplete/",
        {
            "term": "Autocomplete",
            "app_label": "centres",
            "model_name": "site",
            "field_name": "hospital",
        },
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
