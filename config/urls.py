"""The site's URLs. French is the default language, served at every page's own path
(no prefix); English is the same page under /en/ (`i18n_patterns` with
`prefix_default_language=False`). The data files, the read API, robots.txt, the
sitemaps and the staff pages (admin, account) have one URL only: the admin stays in
French."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from web.urls import untranslated_urlpatterns

urlpatterns = [
    path("", include(untranslated_urlpatterns)),
    path("", include("staff.urls")),
    *i18n_patterns(path("", include("web.urls")), prefix_default_language=False),
]
