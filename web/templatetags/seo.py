"""Template tags of the page head: the canonical URL, Open Graph and JSON-LD
(web/seo.py)."""

from django import template

from web import seo

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Already escaped by the template (a SafeString): written as it would have been.
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    """{% capture as name %}…{% endcapture %}: renders its content (blocks included,
    as the child template fills them) into the variable `name`, so that base.html can
    write a page's title in <title> and in og:title (a block is rendered once only).
    The content is text with its variables escaped, as <title> and attributes need: no
    tag, no double quote in the template's own text."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def canonical_url(context):
    request = context.get("request")
    return seo.canonical_url(request, context) if request is not None else None


@register.simple_tag
def site_description(site):
    return seo.site_description(site)


@register.simple_tag(takes_context=True)
def site_jsonld(context, site):
    return seo.jsonld_script(seo.site_jsonld(site, context["request"].build_absolute_uri))


@register.simple_tag(takes_context=True)
def hospital_jsonld(context, hospital, groups):
    """`groups`: the hospital page's sites by kind and filière
    (centres.models.group_by_kind_and_filiere)."""
    sites = [
        site for _kind, by_filiere in groups for _filiere, items in by_filiere for site in items
    ]
    return seo.jsonld_script(
        seo.hospital_jsonld(hospital, sites, context["request"].build_absolute_uri)
    )
