"""The public site's URLs. The namespaces ("centres:detail", "diseases:detail"...)
are the ones the models' `get_absolute_url` reverse."""

from django.urls import include, path, re_path

from web.api import api
from web.views import diseases, filieres, home, hospitals, legal, opendata, seo, site_page, sites

centres_urls = [
    path("", sites.site_list, name="list"),
    path("<slug:slug>/", site_page.site_detail, name="detail"),
    path("<slug:slug>/signaler/", site_page.report_error, name="report"),
]
hospitals_urls = [
    path("", hospitals.hospital_list, name="list"),
    path("<slug:slug>/", hospitals.hospital_detail, name="detail"),
    path("<slug:slug>/demander-un-acces/", hospitals.request_access, name="request-access"),
    path(
        "<slug:slug>/demander-un-acces/envoyee/",
        hospitals.request_access_sent,
        name="request-access-sent",
    ),
]
filieres_urls = [
    path("", filieres.filiere_list, name="list"),
    path("<slug:slug>/", filieres.filiere_detail, name="detail"),
]
diseases_urls = [
    path("", diseases.disease_search, name="search"),
    path("suggestions/", diseases.disease_suggestions, name="suggestions"),
    path("<int:orpha_code>/", diseases.disease_detail, name="detail"),
]

opendata_urls = [
    path("", opendata.open_data, name="home"),
    path("datapackage.json", opendata.package_descriptor, name="descriptor"),
    path("annuaire-centres-maladies-rares.zip", opendata.package_zip, name="package"),
    path("<slug:name>.csv", opendata.table_csv, name="table"),
    path("schemas/<slug:name>.json", opendata.table_schema, name="schema"),
]

# The pages: in French at their path, in English under /en/ (config/urls.py wraps
# them in i18n_patterns). /donnees/ keeps its data files with it, in one namespace.
urlpatterns = [
    path("", home.home, name="home"),
    path("recherche/", home.global_search, name="search"),
    path("recherche/suggestions/", home.global_suggestions, name="search-suggestions"),
    path("centres/", include((centres_urls, "centres"))),
    path("donnees/", include((opendata_urls, "opendata"))),
    path("api/", opendata.api_docs, name="api-docs"),
    path("hopitaux/", include((hospitals_urls, "hospitals"))),
    path("filieres/", include((filieres_urls, "filieres"))),
    path("maladies/", include((diseases_urls, "diseases"))),
    path("mentions-legales/", legal.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", legal.privacy, name="privacy"),
    path("accessibilite/", legal.accessibility, name="accessibility"),
]

# One URL whatever the language (outside i18n_patterns): the lists' data files, the
# read API, robots.txt and the sitemaps (which list both languages themselves).
untranslated_urlpatterns = [
    re_path(
        r"^centres\.(?P<extension>csv|json|geojson)$",
        opendata.site_list_download,
        name="centres-download",
    ),
    path("api/v1/", api.urls),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap-section"),
]
