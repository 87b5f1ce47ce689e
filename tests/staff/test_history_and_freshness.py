import datetime
import html

from django.urls import reverse
from django.utils import timezone

from centres.models import Site
from tests.factories import SiteFactory
from tests.staff.conftest import site_form_data


def test_every_change_is_recorded_with_who_and_what(client, personas):
    site = personas.reims_site
    client.force_login(personas.reims_editor)
    client.post(
        reverse("admin:centres_site_change", args=[site.pk]),
        site_form_data(site, phone="03 26 78 78 78", service="Neurologie"),
    )
    latest, previous = site.history.all()[:2]
    assert latest.history_user == personas.reims_editor
    delta = latest.diff_against(previous)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes["phone"] == ("", "03 26 78 78 78")
    assert changes["service"] == ("", "Neurologie")
    # ...and readable in the admin.
    history = client.get(reverse("admin:centres_site_history", args=[site.pk]))
    body = html.unescape(history.content.decode())
    assert history.status_code == 200
    assert "reims-editor" in body
    assert "03 26 78 78 78" in body


def test_hospitals_filieres_and_centres_keep_history_too(personas):
    hospital = personas.reims
    hospital.website = "https://www.chu-synthetique.invalid"
    hospital.save()
    assert hospital.history.count() == 2
    centre = personas.reims_site.centre
    centre.label_period = "2023-2028"
    centre.save()
    assert centre.history.first().label_period == "2023-2028"
    filiere = centre.filiere
    filiere.website = "https://filiere.invalid"
    filiere.save()
    assert filiere.history.count() == 2


def test_stale_sites_are_flagged_and_the_verify_action_confirms_them(client, personas):
    old = timezone.localdate() - datetime.timedelta(days=400)
    site = personas.reims_site
    site.verified_on = old
    site.save()
    fresh = SiteFactory(hospital=personas.reims, verified_on=timezone.localdate())
    assert set(Site.objects.to_verify()) >= {site}
    assert fresh not in Site.objects.to_verify()

    client.force_login(personas.reims_editor)
    changelist = reverse("admin:centres_site_changelist")
    flagged = client.get(changelist, {"verification": "a-verifier"})
    assert list(flagged.context["cl"].result_list) == [site]

    response = client.post(
        changelist,
        {"action": "mark_verified", "_selected_action": [site.pk, personas.montpellier_site.pk]},
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.verified_on == timezone.localdate()
    assert site.history.first().history_user == personas.reims_editor
    # The other hospital's site, slipped into the form, was not touched.
    personas.montpellier_site.refresh_from_db()
    assert personas.montpellier_site.verified_on is None


def test_public_page_shows_update_and_verification_dates(client, personas):
    site = personas.reims_site
    site.verified_on = timezone.localdate() - datetime.timedelta(days=400)
    site.save()
    body = html.unescape(client.get(site.get_absolute_url()).content.decode())
    assert "Fiche mise à jour le" in body
    assert "Informations vérifiées le" in body
    assert "plus d'un an" in body


def test_second_concurrent_edit_is_refused(client, personas):
    site = personas.reims_site
    change = reverse("admin:centres_site_change", args=[site.pk])
    # Two people open the form on the same version...
    first = site_form_data(site, phone="03 26 11 11 11")
    second = site_form_data(site, phone="03 26 22 22 22")
    client.force_login(personas.reims_editor)
    assert client.post(change, first).status_code == 302
    # ...the second save is refused, and says why.
    response = client.post(change, second)
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in html.unescape(response.content.decode())
    site.refresh_from_db()
    assert site.phone == "03 26 11 11 11"


def test_version_increases_on_each_save(personas):
    site = personas.reims_site
    version = site.version
    site.save()
    site.refresh_from_db()
    assert site.version == version + 1


def test_dashboard_shows_totals_to_verify_and_reports(client, personas):
    from centres.models import ErrorReport

    reims = personas.reims
    reims.published_reference_sites = 3
    reims.published_competence_centres = 48
    reims.published_totals_source = "https://source-synthetique.invalid/totaux"
    reims.save()
    ErrorReport.objects.create(site=personas.reims_site, reason="telephone")
    client.force_login(personas.reims_editor)
    response = client.get(reverse("staff-dashboard"))
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "48 centres de compétences annoncés, 1 décrit : 47 à ajouter" in body
    assert "3 annoncés, 0 décrits : 3 à ajouter" in body
    assert personas.montpellier.name not in body
    row = response.context["rows"][0]
    assert row["open_reports"] == 1
    assert row["to_verify"] == 1
    # The links lead to the filtered admin lists.
    assert client.get(row["verify_url"]).status_code == 200
    assert client.get(row["reports_url"]).status_code == 200


def test_dashboard_is_for_staff_only(client, personas):
    assert client.get(reverse("staff-dashboard")).status_code == 302


def test_superuser_dashboard_counts_are_not_multiplied_by_memberships(client, personas):
    # personas.reims has two members (an editor and an administrator).
    personas.reims.published_competence_centres = 48
    personas.reims.published_totals_source = "https://source-synthetique.invalid/totaux"
    personas.reims.save()
    client.force_login(personas.superuser)
    rows = client.get(reverse("staff-dashboard")).context["rows"]
    reims = next(row for row in rows if row["hospital"] == personas.reims)
    assert reims["hospital"].described_competence == 1
    assert reims["missing_competence"] == 47
