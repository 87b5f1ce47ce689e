"""{% map_tiles as tiles %}: the tile server of the maps (settings.MAP_TILE_URL, none
by default: markers on a blank background) and its attribution."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def map_tiles():
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
