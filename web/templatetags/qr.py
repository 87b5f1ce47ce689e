"""{% qr_svg url label %}: a QR code of `url` as inline SVG, made on the server with
segno (no script, no image request, nothing the Content-Security-Policy blocks). The
printed site sheet carries one, so a patient's phone opens the up-to-date page."""

import segno
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def qr_svg(url, label):
    code = segno.make(url, error="m", micro=False)
    # An aria-label rather than an SVG <title>: the page has one <title>, its own.
    svg = code.svg_inline(scale=3, border=2, svgclass="qr", lineclass=None)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))
