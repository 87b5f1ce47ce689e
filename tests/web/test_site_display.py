"""What every line and card of a site shows, made faster (a URL pattern reversed once,
the kind's words made once per language): the same as Django's own, in both
languages. Synthetic sites (tests/factories.py)."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from centres.enums import AgeGroup, SiteKind, SiteRole
from centres.models import Site
from tests.factories import SiteFactory
from web.templatetags.sites import site_kind


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_site_s_url_is_the_reversed_one(language):
    site = SiteFactory(slug="test-url-du-site")
    with translation.override(language):
        assert site.get_absolute_url() == reverse("centres:detail", kwargs={"slug": site.slug})


def test_a_site_s_url_under_a_script_prefix():
    site = SiteFactory(slug="test-prefixe")
    set_script_prefix("/annuaire/")
    try:
        assert site.get_absolute_url() == "/annuaire/centres/test-prefixe/"
    finally:
        set_script_prefix("/")
    assert site.get_absolute_url() == "/centres/test-prefixe/"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("kind", SiteKind.values)
@pytest.mark.parametrize("role", ["", *SiteRole.values])
def test_the_kind_s_words_are_the_site_s(language, kind, role):
    site = Site(kind=kind, role=role)
    with translation.override(language):
        html = site_kind(site)
        assert f'<span class="kind">{site.plain_kind[0].upper()}' in html
        assert (f"({site.official_kind})" in html) == bool(site.official_kind)
        assert site_kind(site) == html  # from the cache the second time


@pytest.mark.parametrize("age", AgeGroup.values)
def test_the_age_label_is_django_s(age):
    site = Site(age_group=age)
    with translation.override("en"):
        assert site.age_label == site.get_age_group_display()
    assert site.age_label == site.get_age_group_display()
