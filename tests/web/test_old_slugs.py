"""Issue #9, §4: an editor renaming a site's slug does not break its public address:
the old one answers 301 to the new one. Synthetic sites (tests/factories.py)."""

from tests.factories import SiteFactory


def test_an_old_slug_redirects_permanently_to_the_site(client):
    site = SiteFactory(slug="test-ancien-nom")
    site.slug = "test-nouveau-nom"
    site.save()
    response = client.get("/centres/test-ancien-nom/?utm=lien")
    assert response.status_code == 301
    assert response["Location"] == "/centres/test-nouveau-nom/?utm=lien"
    assert client.get("/centres/test-nouveau-nom/").status_code == 200


def test_an_error_report_sent_to_the_old_address_reaches_the_site(client):
    site = SiteFactory(slug="test-ancien-nom")
    site.slug = "test-nouveau-nom"
    site.save()
    response = client.post(
        "/centres/test-ancien-nom/signaler/",
        {"reason": "telephone", "message": "Le numéro ne répond pas."},
    )
    assert response.status_code == 302
    assert site.error_reports.count() == 1


def test_the_old_slug_of_an_unpublished_site_is_a_404(client):
    site = SiteFactory(slug="test-ancien-nom")
    site.slug = "test-nouveau-nom"
    site.is_published = False
    site.save()
    assert client.get("/centres/test-ancien-nom/").status_code == 404
