"""Template tags of the two languages (French at every page's path, English under
/en/, see config/urls.py): the link to the same page in the other language, and the
page head's `<link rel="alternate" hreflang>` (web/seo.py)."""

import re

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
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


@register.filter
def proper_name(value):
    """A centre's, hospital's or filière's name, a proper name shown as published (in
    French): on a page in another language, marked `lang="fr"` so that a screen reader
    pronounces it in French (WCAG 3.1.2)."""
    if value in (None, ""):
        return ""
    if (get_language() or "fr").startswith("fr"):
        return conditional_escape(value)
    return format_html('<span lang="fr">{}</span>', value)


# English written inside a French source text (« Service de dermatologie (Department
# of Dermatology, Reims University Hospital) »).
ENGLISH_PART = re.compile(r"\bDepartment of [^()]*")


@register.filter
def source_text(value):
    """Text copied from a source, with the English parts it holds marked `lang="en"`
    (and, on a page that is not French, the rest marked `lang="fr"`)."""
    if value in (None, ""):
        return ""
    text = str(value)
    parts, position = [], 0
    for match in ENGLISH_PART.finditer(text):
        parts.append(conditional_escape(text[position : match.start()]))
        parts.append(format_html('<span lang="en">{}</span>', match.group(0)))
        position = match.end()
    parts.append(conditional_escape(text[position:]))
    marked = mark_safe("".join(parts))
    if (get_language() or "fr").startswith("fr"):
        return marked
    return format_html('<span lang="fr">{}</span>', marked)


@register.filter
def disease_name(disease):
    """A disease's name in the page's language (Orphanet's English name on English
    pages); the French name where Orphanet gives no English one, marked lang="fr"."""
    if disease is None:
        return ""
    language = get_language() or "fr"
    name = disease.name_in(language)
    if not language.startswith("fr") and name == disease.name and not disease.name_en:
        return format_html('<span lang="fr">{}</span>', name)
    return conditional_escape(name)


@register.filter
def disease_label(disease):
    """The same name as plain text, for <title>, attributes and the breadcrumb."""
    return disease.name_in(get_language() or "fr") if disease is not None else ""
