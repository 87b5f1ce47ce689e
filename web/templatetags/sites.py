"""How a site is shown in a line or a card of the public pages."""

import functools

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language

from centres.models import Site

register = template.Library()


@register.filter
def site_kind(site):
    """A site's kind in everyday words, the official term beside it: « Centre expert
    national, site qui coordonne (site coordonnateur — centre de référence (CRMR)) ».
    A filter rather than an included template: lists and disease pages show it on
    every line; made once per language, kind and role (the only things it reads)."""
    return _kind_html(get_language(), site.kind, site.role)


@functools.lru_cache(maxsize=256)
def _kind_html(language, kind, role):
    site = Site(kind=kind, role=role)  # not saved: its kind's words only
    official = site.official_kind
    if not official:
        return format_html('<span class="kind">{}</span>', capfirst(site.plain_kind))
    return format_html(
        '<span class="kind">{}</span> <span class="official">({})</span>',
        capfirst(site.plain_kind),
        official,
    )
