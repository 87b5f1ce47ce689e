"""Issue #4's "done when", on the real directory: a Reims editor after
grant_hospital_access."""

import html
import io

from django.core.management import call_command
from django.urls import reverse

from centres.models import Site


def test_reims_editor_on_the_real_directory(client, directory_data, django_user_model):
    editor = django_user_model.objects.create_user("reims-staff", password="x")
    call_command("grant_hospital_access", "reims-staff", "chu-de-reims", stdout=io.StringIO())
    client.force_login(editor)

    listing = client.get(reverse("admin:centres_site_changelist"))
    shown = list(listing.context["cl"].result_list)
    assert shown and all(site.hospital.slug == "chu-de-reims" for site in shown)
    assert len(shown) == Site.objects.filter(hospital__slug="chu-de-reims").count()

    montpellier = Site.objects.filter(hospital__slug="chu-de-montpellier").first()
    assert (
        client.get(reverse("admin:centres_site_change", args=[montpellier.pk])).status_code == 403
    )

    body = html.unescape(client.get(reverse("staff-dashboard")).content.decode())
    assert "3 annoncés, 3 décrits : 0 à ajouter" in body
    assert "48 centres de compétences annoncés, 2 décrits : 46 à ajouter" in body
