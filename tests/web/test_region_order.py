"""Regions are listed in French alphabetical order wherever they are listed:
« Île-de-France » between « Hauts-de-France » and « La Réunion », not last (where
the byte order of "Î" puts it)."""

import html
import re

from common.france import Region
from common.text import normalize
from tests.factories import HospitalFactory, ReferenceCentreFactory, SiteFactory
from web.filters import SiteFilter

# Three regions whose byte order differs from their French order.
REGIONS = [Region.HAUTS_DE_FRANCE, Region.ILE_DE_FRANCE, Region.LA_REUNION]
LABELS = ["Hauts-de-France", "Île-de-France", "La Réunion"]


def text(response):
    return html.unescape(response.content.decode())


def order_in(body, labels):
    return sorted(labels, key=body.index)


def test_the_home_page_lists_ile_de_france_in_french_order(client):
    for region in reversed(REGIONS):
        SiteFactory(hospital=HospitalFactory(region=region))
    section = text(client.get("/")).split('id="par-region"')[1].split("</section>")[0]
    assert order_in(section, LABELS) == LABELS


def test_the_hospital_list_groups_regions_in_french_order(client):
    for region in reversed(REGIONS):
        HospitalFactory(region=region)
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", text(client.get("/hopitaux/")))
    assert [h for h in headings if h in LABELS] == LABELS


def test_the_region_select_of_the_site_list_is_in_french_order():
    labels = [str(label) for value, label in SiteFilter().form.fields["region"].choices if value]
    assert labels == sorted(labels, key=normalize)
    assert labels.index("Île-de-France") < labels.index("La Réunion")
    assert len(labels) == len(Region.choices)


def test_the_filiere_page_lists_a_centres_sites_by_region_in_french_order(client):
    centre = ReferenceCentreFactory()
    for region in reversed(REGIONS):
        SiteFactory(centre=centre, hospital=HospitalFactory(region=region))
    body = text(client.get(centre.filiere.get_absolute_url()))
    headings = re.findall(r"<h4>([^<]+)</h4>", body)
    assert headings == LABELS


def test_the_region_select_is_in_each_language_s_order_whichever_came_first():
    """The sorted choices are kept per language: the English labels in English order
    after a French page, and the other way round."""
    from django.utils import translation

    def labels():
        return [str(label) for value, label in SiteFilter().form.fields["region"].choices if value]

    for _ in range(2):
        with translation.override("fr"):
            french = labels()
        with translation.override("en"):
            english = labels()
        assert "Bretagne" in french and "Brittany" not in french
        assert "Brittany" in english and "Bretagne" not in english
        assert english == sorted(english, key=normalize)
        # « Réunion » in English sorts among the R's, « La Réunion » among the L's.
        assert english.index("Réunion") > english.index("Pays de la Loire")
        assert french.index("La Réunion") < french.index("Pays de la Loire")
