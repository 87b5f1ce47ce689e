"""{% qr_svg url label %}: a QR code of `url` as inline SVG, made on the server with
segno (no script, no image request, nothing the Content-Security-Policy blocks). The
printed site sheet carries one, so a patient's phone opens the up-to-date page."""

from functools import lru_cache

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


# Making a code takes ~6 ms in pure Python, as long as the rest of a site page: each
# worker keeps the last ones made. A code depends on its address only, never on the
# data, so a kept one is never stale.
KEPT_CODES = 512


@lru_cache(maxsize=KEPT_CODES)
def _svg(url: str) -> str:
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=3, border=2, svgclass="qr", lineclass=None)


@register.simple_tag
def qr_svg(url, label):
    # An aria-label rather than an SVG <title>: the page has one <title>, its own.
    svg = _svg(str(url))
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
