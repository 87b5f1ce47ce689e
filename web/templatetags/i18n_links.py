"""Template tags of the two languages (French at every page's path, English under
/en/, see config/urls.py): the link to the same page in the other language, and the
page head's `<link rel="alternate" hreflang>` (web/seo.py)."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.translation import get_language

from web import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """The page being shown in `language`, with the same query string (the list's
    filters are kept); "" when the page has no version in that language."""
    request = context.get("request")
    if request is None:
        return ""
    path = seo.path_in_language(request, language)
    if path is None:
        return ""
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


@register.simple_tag
def other_language():
    """The code of the language the switch offers: English on a French page, French
    on every other."""
    current = get_language()
    return next(code for code, _name in settings.LANGUAGES if code != current)


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """`<link rel="alternate" hreflang="…">` of the page's canonical URL in each
    language and `x-default` (French); nothing on a page without a canonical URL or
    that exists in one language only."""
    request = context.get("request")
    if request is None:
        return ""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        seo.alternate_urls(request, context),
    )
