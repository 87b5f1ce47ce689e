"""How a site is shown in a line or a card of the public pages."""

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

register = template.Library()


@register.filter
def site_kind(site):
    """A site's kind in everyday words, the official term beside it: « Centre expert
    national, site qui coordonne (site coordonnateur — centre de référence (CRMR)) ».
    A filter rather than an included template: lists and disease pages show it on
    every line."""
    official = site.official_kind
    if not official:
        return format_html('<span class="kind">{}</span>', capfirst(site.plain_kind))
    return format_html(
        '<span class="kind">{}</span> <span class="official">({})</span>',
        capfirst(site.plain_kind),
        official,
    )
