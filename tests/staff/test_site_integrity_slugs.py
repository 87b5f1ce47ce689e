"""Issue #9, §4: a site's old slugs keep leading to it (the public view redirects),
recorded by the model whatever changes the slug; a current slug always wins.

Everything here is synthetic (tests/factories.py, tests/staff/conftest.py)."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from centres.models import OldSiteSlug, Site
from tests.staff.conftest import site_form_data


def revert_url(site, history_id):
    return reverse("admin:centres_site_simple_history", args=[site.pk, history_id])


def test_a_slug_change_keeps_the_old_slug_for_the_site(personas):
    site = personas.reims_site
    site.slug = "test-reims-site-nouveau"
    site.save()
    assert Site.objects.by_current_or_old_slug("test-reims-site") == site
    assert Site.objects.by_current_or_old_slug("test-reims-site-nouveau") == site
    assert str(OldSiteSlug.objects.get()) == "test-reims-site → test-reims-site-nouveau"
    # A later change keeps both old slugs; coming back to one makes it current again.
    site.slug = "test-reims-site-3"
    site.save()
    assert set(site.old_slugs.values_list("slug", flat=True)) == {
        "test-reims-site",
        "test-reims-site-nouveau",
    }
    site.slug = "test-reims-site"
    site.save()
    assert set(site.old_slugs.values_list("slug", flat=True)) == {
        "test-reims-site-nouveau",
        "test-reims-site-3",
    }
    assert Site.objects.by_current_or_old_slug("test-reims-site-3") == site
    assert Site.objects.by_current_or_old_slug("test-inconnu") is None


def test_a_slug_changed_in_the_admin_is_kept(client, personas):
    site = personas.reims_site
    client.force_login(personas.reims_editor)
    change = reverse("admin:centres_site_change", args=[site.pk])
    response = client.post(change, site_form_data(site, slug="test-reims-site-renomme"))
    assert response.status_code == 302
    assert OldSiteSlug.objects.get(slug="test-reims-site").site == site
    assert Site.objects.by_current_or_old_slug("test-reims-site").slug == (
        "test-reims-site-renomme"
    )


def test_a_slug_changed_by_reverting_the_history_is_kept(client, personas):
    site = personas.reims_site
    old = site.history.first().history_id  # slug "test-reims-site"
    site.slug = "test-reims-site-v2"
    site.save()
    client.force_login(personas.reims_editor)
    version = client.get(revert_url(site, old)).context["adminform"].form["seen_version"]
    reverted = Site.objects.get(pk=site.pk)
    reverted.slug = "test-reims-site"
    data = site_form_data(reverted, seen_version=version.value())
    assert client.post(revert_url(site, old), data).status_code == 302
    assert Site.objects.by_current_or_old_slug("test-reims-site-v2").slug == "test-reims-site"


def test_an_old_slug_never_shadows_a_current_one(personas):
    first, second = personas.reims_site, personas.montpellier_site
    first.slug = "test-reims-site-ailleurs"
    first.save()
    # Another site takes the freed slug: the URL is its own now, even unpublished.
    second.slug = "test-reims-site"
    second.is_published = False
    second.save()
    assert Site.objects.by_current_or_old_slug("test-reims-site") == second
    assert Site.objects.published().by_current_or_old_slug("test-reims-site") is None
    # The last site that left a slug owns the old URL.
    second.slug = "test-montpellier-site-2"
    second.is_published = True
    second.save()
    assert Site.objects.by_current_or_old_slug("test-reims-site") == second


def test_old_slugs_of_unpublished_sites_lead_nowhere(personas):
    site = personas.reims_site
    site.slug = "test-reims-site-2"
    site.is_published = False
    site.save()
    assert Site.objects.published().by_current_or_old_slug("test-reims-site") is None


def test_the_lookup_is_one_query(personas, django_assert_num_queries):
    site = personas.reims_site
    site.slug = "test-reims-site-2"
    site.save()
    published = Site.objects.published().select_related("centre__filiere", "hospital")
    with django_assert_num_queries(1):
        assert published.by_current_or_old_slug("test-reims-site").hospital == personas.reims
    with django_assert_num_queries(1):
        assert published.by_current_or_old_slug("test-reims-site-2") == site


def test_a_save_without_a_slug_change_costs_no_extra_query(personas, django_assert_num_queries):
    site = Site.objects.get(pk=personas.reims_site.pk)
    site.phone = "03 26 00 00 03"
    # UPDATE, the history's INSERT and the public data's version (web/apps.py), and
    # the version's copy removed from the shared cache, a query when the cache is the
    # database's table (not with Redis); no query for the slug.
    with django_assert_num_queries(3 if settings.REDIS_URL else 4):
        site.save()


def test_one_site_per_old_slug(personas):
    OldSiteSlug.objects.create(slug="test-ancien", site=personas.reims_site)
    duplicate = OldSiteSlug(slug="test-ancien", site=personas.montpellier_site)
    with pytest.raises(ValidationError):
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    names = [constraint.name for constraint in OldSiteSlug._meta.constraints]
    assert names == ["centres_oldsiteslug_unique_slug"]
