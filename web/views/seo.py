"""robots.txt and the sitemap (web/sitemaps.py). Both set no cookie and vary on nothing
but the host, so they are served from the page cache like any public page."""

from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from web.sitemaps import SITEMAPS


@require_safe
def robots_txt(request):
    """Crawlers may read every public page; the admin and the account pages (staff
    only) are not for them. The sitemap's URL is absolute, as the protocol requires."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
