"""The home page's figures agree with the list of sites (real data)."""

import html
import re

from tests.factories import SiteFactory


def text(response):
    return html.unescape(response.content.decode())


def listed(client, **params):
    return client.get("/centres/", params).context["page_obj"].paginator.count


def region_tiles(body):
    """{region code: count} of the home page's « Par région » tiles."""
    section = body.split('id="par-region"')[1].split("</section>")[0]
    tiles = re.findall(r'\?region=(\d+)">[^<]*<span class="count">(\d+) sites?</span>', section)
    return {code: int(count) for code, count in tiles}


def unplaced_in_region(body):
    """The count of the line « N sites sans région connue » under the tiles (0 if none)."""
    section = body.split('id="par-region"')[1].split("</section>")[0]
    found = re.search(r"(\d+) sites? sans région connue", section)
    return int(found.group(1)) if found else 0


def test_the_home_figures_are_the_lists(client, directory_data):
    body = text(client.get("/"))
    total = listed(client)
    assert f"— {total} décrits ici" in body
    assert f"décrit pour l'instant {total} sites" in body
    tiles = region_tiles(body)
    # Each tile is what its link lists; the sites of no known region are said, so
    # that the tiles add up to the total.
    for code, count in tiles.items():
        assert listed(client, region=code) == count, code
    assert sum(tiles.values()) + unplaced_in_region(body) == total


def test_sites_of_no_known_region_are_counted_on_the_home_page(client):
    SiteFactory(hospital__region="44")
    SiteFactory(hospital=None, city="", region="")
    SiteFactory(hospital__region="")
    body = text(client.get("/"))
    assert region_tiles(body) == {"44": 1}
    assert unplaced_in_region(body) == 2
    assert "L'annuaire décrit pour l'instant 3 sites" in body
