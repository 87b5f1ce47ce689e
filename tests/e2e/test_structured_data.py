"""The JSON-LD data blocks of the site and hospital pages in a real Chromium: not
executed, so the Content-Security-Policy (script-src 'self', no inline script) lets
them be, and the `page` fixture fails on any CSP violation the console reports (an
inline script added to the page does make it fail: checked by hand)."""

import io
import json

import pytest
from django.core.management import call_command

from centres.models import Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_json_ld_blocks_are_read_as_data_without_a_csp_violation(page, live_server):
    call_command("load_initial_data", stdout=io.StringIO())
    site = Site.objects.published().filter(hospital__slug="chu-de-reims").order_by("slug")[0]
    for path, kind in [
        (site.get_absolute_url(), "MedicalClinic"),
        ("/hopitaux/chu-de-reims/", "Hospital"),
    ]:
        page.goto(live_server.url + path)
        blocks = page.locator('script[type="application/ld+json"]')
        assert blocks.count() == 1
        data = json.loads(blocks.first.text_content())
        assert data["@type"] == kind
        assert data["url"] == live_server.url + path
        canonical = page.locator('link[rel="canonical"]')
        assert canonical.count() == 1 and canonical.get_attribute("href") == data["url"]
