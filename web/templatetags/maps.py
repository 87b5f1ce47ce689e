"""{% map_tiles as tiles %}: the tile server of the maps (settings.MAP_TILE_URL, none
by default: markers on a blank background) and its attribution; {% sites_geojson_url %}:
the data a map draws."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


# A map fetches every site of its result as GeoJSON: past this many (a whole national
# list at scale), it asks to narrow the search instead of loading megabytes.
MAP_MAX_SITES = 3000


@register.simple_tag
def map_tiles():
    return {
        "url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "max_sites": MAP_MAX_SITES,
    }


@register.simple_tag
def sites_geojson_url(query="", **filters):
    """The /centres.geojson export of these filters (`hopital=…`, `maladie=…`), or of a
    list's query string as it is (`query=`): what a map draws."""
    url = reverse("centres-download", args=["geojson"])
    query = query or urlencode(filters)
    return f"{url}?{query}" if query else url
