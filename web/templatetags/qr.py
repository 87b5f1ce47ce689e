"""{% qr_svg url label %}: a QR code of `url` as inline SVG, made on the server with
segno (no script, no image request, nothing the Content-Security-Policy blocks). The
printed site sheet carries one, so a patient's phone opens the up-to-date page."""

import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def qr_svg(url, label):
    code = segno.make(url, error="m", micro=False)
    # segno escapes the title; role=img with that title is the accessible name.
    svg = code.svg_inline(scale=3, border=2, title=str(label), svgclass="qr", lineclass=None)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
