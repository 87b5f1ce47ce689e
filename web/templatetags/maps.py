"""{% map_tiles as tiles %}: the tile server of the maps (settings.MAP_TILE_URL, none
by default: markers on a blank background) and its attribution."""

from django import template
from django.conf import settings

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
