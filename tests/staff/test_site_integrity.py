"""Issue #9, §4 and §6: the history's revert form, the « à jour » action under the
version rule, and the centre page's sites scoped to the editor (old slugs: see
test_site_integrity_slugs.py).

Everything here is synthetic (tests/factories.py, tests/staff/conftest.py)."""

import html

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from centres.models import Site
from tests.factories import SiteFactory
from tests.staff.conftest import site_form_data


def revert_url(site, history_id):
    return reverse("admin:centres_site_simple_history", args=[site.pk, history_id])


def _old_version(site, **changes):
    """Give `site` an older version in its history, then change it: returns the
    history id of the older version."""
    site.phone = "03 26 00 00 01"
    site.save()
    old = site.history.first().history_id
    for name, value in changes.items():
        setattr(site, name, value)
    site.save()
    return old


# --- The history's revert form -------------------------------------------------------


# Transactional: the view must open its own transaction, as in production (a plain
# test runs inside one, which hid the 500).
@pytest.mark.django_db(transaction=True)
def test_reverting_to_an_old_version_works_and_follows_the_version_rule(client, personas):
    """It gave a 500 on PostgreSQL: the form's version check locks the row, and the
    revert view ran outside a transaction."""
    site = personas.reims_site
    old = _old_version(site, phone="03 26 00 00 02")
    version = Site.objects.get(pk=site.pk).version
    client.force_login(personas.reims_editor)
    page = client.get(revert_url(site, old))
    assert page.status_code == 200
    form = page.context["adminform"].form
    # The form carries today's version, not the old one's.
    assert form["seen_version"].value() == version
    reverted = Site.objects.get(pk=site.pk)
    reverted.phone = "03 26 00 00 01"
    response = client.post(revert_url(site, old), site_form_data(reverted, seen_version=version))
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.phone == "03 26 00 00 01"
    assert site.version == version + 1
    assert site.history.first().history_user == personas.reims_editor


@pytest.mark.django_db(transaction=True)
def test_a_revert_based_on_an_outdated_version_is_refused(client, personas):
    site = personas.reims_site
    old = _old_version(site, phone="03 26 00 00 02")
    client.force_login(personas.reims_editor)
    seen = client.get(revert_url(site, old)).context["adminform"].form["seen_version"].value()
    # Someone saves the site while the revert page is open...
    other = Site.objects.get(pk=site.pk)
    other.head = "Dr Synthétique"
    other.save()
    reverted = Site.objects.get(pk=site.pk)
    reverted.phone = "03 26 00 00 01"
    response = client.post(revert_url(site, old), site_form_data(reverted, seen_version=seen))
    # ...so the revert is refused with the message, and their change is kept.
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in html.unescape(response.content.decode())
    site.refresh_from_db()
    assert (site.phone, site.head) == ("03 26 00 00 02", "Dr Synthétique")


# --- « Confirmer que la fiche est à jour » ------------------------------------------


def _run_verify_action(user, queryset):
    request = RequestFactory().post("/admin/centres/site/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    admin.site._registry[Site].mark_verified(request, queryset)


def test_the_verify_action_keeps_an_edit_committed_meanwhile(personas):
    site = personas.reims_site
    # The action's rows, read when the list was submitted...
    queryset = Site.objects.filter(pk=site.pk)
    assert list(queryset) == [site]
    # ...then someone else saves a change to the same site...
    other = Site.objects.get(pk=site.pk)
    other.phone = "03 26 99 99 99"
    other.save()
    # ...before the action writes.
    _run_verify_action(personas.reims_editor, queryset)
    site.refresh_from_db()
    assert site.phone == "03 26 99 99 99"
    assert site.verified_on == timezone.localdate()
    assert site.version == other.version + 1
    latest = site.history.first()
    assert (latest.phone, latest.verified_on) == ("03 26 99 99 99", timezone.localdate())


def test_the_verify_action_makes_an_open_form_outdated(client, personas):
    site = personas.reims_site
    client.force_login(personas.reims_editor)
    form = site_form_data(site, phone="03 26 11 11 11")
    changelist = reverse("admin:centres_site_changelist")
    client.post(changelist, {"action": "mark_verified", "_selected_action": [site.pk]})
    response = client.post(reverse("admin:centres_site_change", args=[site.pk]), form)
    assert "modifiée par quelqu'un d'autre" in html.unescape(response.content.decode())
    site.refresh_from_db()
    assert site.verified_on == timezone.localdate()


# --- The centre page's sites ---------------------------------------------------------


@pytest.fixture
def centre_sites(personas):
    """One centre with a published and an unpublished site in each hospital."""
    centre = personas.reims_site.centre
    personas.montpellier_site.centre = centre
    personas.montpellier_site.save()
    return {
        "reims": personas.reims_site,
        "reims-draft": SiteFactory(centre=centre, hospital=personas.reims, is_published=False),
        "montpellier": personas.montpellier_site,
        "montpellier-draft": SiteFactory(
            centre=centre, hospital=personas.montpellier, is_published=False
        ),
    }


def _inline_sites(client, user, centre):
    client.force_login(user)
    response = client.get(reverse("admin:centres_referencecentre_change", args=[centre.pk]))
    assert response.status_code == 200
    formsets = [
        inline for inline in response.context["inline_admin_formsets"] if inline.opts.model is Site
    ]
    sites = {form.instance for inline in formsets for form in inline.formset.forms}
    return sites, html.unescape(response.content.decode())


@pytest.mark.parametrize("with_model_permission", [False, True])
def test_editors_see_their_sites_and_the_others_published_ones(
    client, personas, centre_sites, with_model_permission
):
    editor = personas.reims_editor
    if with_model_permission:  # given Django's "view site" permission, say
        editor.user_permissions.add(Permission.objects.get(codename="view_site"))
    centre = centre_sites["reims"].centre
    sites, body = _inline_sites(client, editor, centre)
    assert sites == {
        centre_sites["reims"],
        centre_sites["reims-draft"],
        centre_sites["montpellier"],
    }
    # Their own sites link to the change form; the others' only to the public page.
    assert reverse("admin:centres_site_change", args=[centre_sites["reims-draft"].pk]) in body
    other = centre_sites["montpellier"]
    assert reverse("admin:centres_site_change", args=[other.pk]) not in body
    assert other.get_absolute_url() in body


def test_superusers_see_every_site_of_the_centre(client, personas, centre_sites):
    sites, _body = _inline_sites(client, personas.superuser, centre_sites["reims"].centre)
    assert sites == set(centre_sites.values())
