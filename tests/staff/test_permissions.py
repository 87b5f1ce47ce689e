"""Who may edit what in the admin, for each persona, including guessed URLs."""

import pytest
from django.urls import reverse

from centres.models import ErrorReport, Site
from tests.staff.conftest import site_form_data


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def test_editor_lists_only_their_hospitals_sites(client, personas):
    response = login(client, personas.reims_editor).get(url("centres_site_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [personas.reims_site]


def test_superuser_lists_every_site(client, personas):
    response = login(client, personas.superuser).get(url("centres_site_changelist"))
    assert set(response.context["cl"].result_list) == {
        personas.reims_site,
        personas.montpellier_site,
    }


@pytest.mark.parametrize(
    "view", ["centres_site_change", "centres_site_delete", "centres_site_history"]
)
def test_guessed_urls_of_another_hospitals_site_are_forbidden(client, personas, view):
    other = personas.montpellier_site
    response = login(client, personas.reims_editor).get(url(view, other.pk))
    assert response.status_code == 403
    # ...while the same pages of their own site open.
    assert client.get(url(view, personas.reims_site.pk)).status_code == 200


def test_posting_to_another_hospitals_site_changes_nothing(client, personas):
    other = personas.montpellier_site
    login(client, personas.reims_editor)
    response = client.post(url("centres_site_change", other.pk), site_form_data(other, head="X"))
    assert response.status_code == 403
    response = client.post(url("centres_site_delete", other.pk), {"post": "yes"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.head == ""


def test_an_unknown_id_is_a_404_not_a_403(client, personas):
    response = login(client, personas.reims_editor).get(url("centres_site_change", 999999))
    assert response.status_code in (302, 404)  # Django admin's "does not exist" redirect
    assert response.status_code != 403


def test_editor_edits_their_site(client, personas):
    site = personas.reims_site
    login(client, personas.reims_editor)
    response = client.post(
        url("centres_site_change", site.pk), site_form_data(site, phone="03 26 00 00 00")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.phone == "03 26 00 00 00"


def test_editor_cannot_move_a_site_to_another_hospital(client, personas):
    site = personas.reims_site
    login(client, personas.reims_editor)
    client.post(
        url("centres_site_change", site.pk),
        site_form_data(site, hospital=personas.montpellier.pk, head="Moved?"),
    )
    site.refresh_from_db()
    assert site.hospital == personas.reims  # the field is read-only for staff
    assert site.head == "Moved?"


def test_editor_adds_sites_only_in_their_hospitals(client, personas):
    login(client, personas.reims_editor)
    form = client.get(url("centres_site_add")).context["adminform"].form
    assert list(form.fields["hospital"].queryset) == [personas.reims]
    data = site_form_data(personas.reims_site, slug="new-site", hospital=personas.montpellier.pk)
    response = client.post(url("centres_site_add"), data)
    assert response.status_code == 200  # the form again, with an error
    assert "hospital" in response.context["adminform"].form.errors
    assert not Site.objects.filter(slug="new-site").exists()


@pytest.mark.parametrize(
    "model",
    ["hospitals_hospital", "filieres_filiere", "centres_referencecentre"],
)
def test_reference_data_is_read_only_for_editors(client, personas, model):
    objects = {
        "hospitals_hospital": personas.reims,
        "filieres_filiere": personas.reims_site.centre.filiere,
        "centres_referencecentre": personas.reims_site.centre,
    }
    obj = objects[model]
    login(client, personas.reims_editor)
    assert client.get(url(f"{model}_changelist")).status_code == 200
    view = client.get(url(f"{model}_change", obj.pk))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert client.post(url(f"{model}_change", obj.pk), {"name": "x"}).status_code == 403
    assert client.get(url(f"{model}_add")).status_code == 403
    assert client.get(url(f"{model}_delete", obj.pk)).status_code == 403


def test_staff_without_hospital_sees_no_site(client, personas):
    login(client, personas.outsider)
    assert client.get(url("centres_site_changelist")).status_code == 403
    assert client.get(url("centres_site_change", personas.reims_site.pk)).status_code == 403


def test_anonymous_is_sent_to_login(client, personas):
    response = client.get(url("centres_site_change", personas.reims_site.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_error_reports_are_scoped_like_sites(client, personas):
    mine = ErrorReport.objects.create(site=personas.reims_site, reason="telephone")
    theirs = ErrorReport.objects.create(site=personas.montpellier_site, reason="adresse")
    login(client, personas.reims_editor)
    listing = client.get(url("centres_errorreport_changelist"))
    assert list(listing.context["cl"].result_list) == [mine]
    assert client.get(url("centres_errorreport_change", mine.pk)).status_code == 200
    assert client.get(url("centres_errorreport_change", theirs.pk)).status_code == 403
    response = client.post(
        url("centres_errorreport_change", mine.pk), {"status": "corrige", "staff_note": "ok"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "corrige"


def test_hospital_admin_manages_their_editors_only(client, personas, django_user_model):
    newcomer = django_user_model.objects.create_user("newcomer", password="x", is_staff=True)
    login(client, personas.reims_admin)
    listing = client.get(url("hospitals_hospitalmembership_changelist"))
    assert listing.status_code == 200
    assert {m.user.username for m in listing.context["cl"].result_list} >= {"reims-editor"}
    assert "montpellier-editor" not in {m.user.username for m in listing.context["cl"].result_list}
    response = client.post(
        url("hospitals_hospitalmembership_add"),
        {"username": "newcomer", "hospital": personas.reims.pk, "role": "editeur"},
    )
    assert response.status_code == 302
    assert newcomer.hospital_memberships.get().hospital == personas.reims
    # Not for another hospital, and not as administrator.
    response = client.post(
        url("hospitals_hospitalmembership_add"),
        {"username": "newcomer", "hospital": personas.montpellier.pk, "role": "editeur"},
    )
    assert response.status_code == 200 and "hospital" in response.context["adminform"].form.errors
    response = client.post(
        url("hospitals_hospitalmembership_add"),
        {"username": "newcomer", "hospital": personas.reims.pk, "role": "administrateur"},
    )
    assert response.status_code == 200 and "role" in response.context["adminform"].form.errors


def test_editors_cannot_manage_access(client, personas):
    login(client, personas.reims_editor)
    assert client.get(url("hospitals_hospitalmembership_changelist")).status_code == 403


def test_only_superusers_import(client, personas):
    assert login(client, personas.reims_editor).get(url("centres_site_import")).status_code == 403
    assert login(client, personas.superuser).get(url("centres_site_import")).status_code == 200


def test_history_revert_form_is_held_to_the_change_permission(client, personas):
    hospital = personas.montpellier
    hospital.name = "Nom d'origine"
    hospital.save()
    version = hospital.history.first().history_id
    revert = url("hospitals_hospital_simple_history", hospital.pk, version)
    login(client, personas.reims_editor)
    assert client.get(revert).status_code == 403
    response = client.post(revert, {"name": "Changé par l'historique", "slug": hospital.slug})
    assert response.status_code == 403
    hospital.refresh_from_db()
    assert hospital.name == "Nom d'origine"


def test_a_site_moved_away_cannot_be_taken_back_through_its_history(client, personas):
    site = personas.reims_site
    reims_version = site.history.first().history_id
    site.hospital = personas.montpellier  # moved by a superuser
    site.save()
    revert = url("centres_site_simple_history", site.pk, reims_version)
    login(client, personas.reims_editor)
    assert client.get(revert).status_code == 403
    assert client.post(revert, site_form_data(site, hospital=personas.reims.pk)).status_code == 403
    site.refresh_from_db()
    assert site.hospital == personas.montpellier


def test_editor_may_open_an_old_version_of_their_own_site(client, personas):
    site = personas.reims_site
    version = site.history.first().history_id
    login(client, personas.reims_editor)
    assert client.get(url("centres_site_simple_history", site.pk, version)).status_code == 200
