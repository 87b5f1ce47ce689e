"""The public site's URLs. The namespaces ("centres:detail", "diseases:detail"...)
are the ones the models' `get_absolute_url` reverse."""

from django.urls import include, path

from web.views import diseases, filieres, home, hospitals, seo, site_page, sites

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

urlpatterns = [
    path("", home.home, name="home"),
    path("recherche/", home.global_search, name="search"),
    path("centres/", include((centres_urls, "centres"))),
    path("hopitaux/", include((hospitals_urls, "hospitals"))),
    path("filieres/", include((filieres_urls, "filieres"))),
    path("maladies/", include((diseases_urls, "diseases"))),
    path("robots.txt", seo.robots_txt, name="robots"),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo.sitemap_section, name="sitemap-section"),
]
