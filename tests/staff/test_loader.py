"""load_initial_data on a database that staff have edited: a full reload never
erases their edits (found in django-simple-history), records its own changes in the
history and keeps each site's version counting up."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from centres.enums import SiteKind, SiteRole
from centres.models import Site
from hospitals.models import Hospital
from tests.staff.conftest import site_form_data

FAST = ("--skip-orphanet", "--skip-communes")
# The change reason of the loader's history records, shown in the admin's history.
LOADER_REASON = "chargement des données initiales"


def load(*args):
    out = io.StringIO()
    call_command("load_initial_data", *FAST, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root-test", password="x")


@pytest.fixture
def site(directory_data):
    """A real competence centre of the fixtures, with a hospital and a phone."""
    return (
        Site.objects.filter(kind=SiteKind.COMPETENCE, hospital__isnull=False)
        .exclude(phone="")
        .order_by("slug")
        .first()
    )


def edit_in_the_admin(client, user, site, **changes):
    client.force_login(user)
    response = client.post(
        reverse("admin:centres_site_change", args=[site.pk]), site_form_data(site, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    site.refresh_from_db()
    return site


def test_a_full_reload_keeps_what_staff_edited(client, superuser, site):
    fixture_phone = site.phone
    edit_in_the_admin(client, superuser, site, phone="03 26 00 00 99")
    client.post(
        reverse("admin:centres_site_changelist"),
        {"action": "mark_verified", "_selected_action": [site.pk]},
    )
    site.refresh_from_db()
    assert site.verified_on == timezone.localdate()
    version = site.version
    out = load()
    site.refresh_from_db()
    assert (site.phone, site.verified_on, site.version) == (
        "03 26 00 00 99",
        timezone.localdate(),
        version,
    )
    assert site.phone != fixture_phone
    # Listed, with who and which fields, and how to replace it.
    line = next(line for line in out.splitlines() if f"site:{site.slug}" in line)
    assert "root-test" in line and "phone" in line
    assert "--force" in out


def test_a_hospital_edited_by_staff_is_kept_too(directory_data, superuser):
    hospital = Hospital.objects.get(slug="chu-de-reims")
    hospital.switchboard_phone = "03 26 00 00 01"
    hospital._history_user = superuser  # as the admin's middleware does
    hospital.save()
    out = load()
    hospital.refresh_from_db()
    assert hospital.switchboard_phone == "03 26 00 00 01"
    assert "hospital:chu-de-reims" in out


def test_the_loader_records_its_changes_and_counts_versions_up(site):
    # A database that differs from the fixtures without anyone editing it (an older
    # snapshot): the reload brings the fixture back, in the history.
    fixture_phone = site.phone
    Site.objects.filter(pk=site.pk).update(phone="01 00 00 00 00", version=7)
    Hospital.objects.filter(slug="chu-de-reims").update(switchboard_phone="")
    out = load()
    site.refresh_from_db()
    assert (site.phone, site.version) == (fixture_phone, 8)
    record = site.history.first()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "~",
        None,
        LOADER_REASON,
    )
    reims = Hospital.objects.get(slug="chu-de-reims")
    assert reims.switchboard_phone == "03 26 78 78 78"
    assert reims.history.first().history_change_reason == LOADER_REASON
    assert f"site:{site.slug}" not in out


def test_the_first_load_writes_one_history_record_per_object(directory_data):
    for model in (Hospital, Site):
        loaded = model.history.filter(
            history_type="+", history_user=None, history_change_reason=LOADER_REASON
        )
        assert loaded.count() == model.objects.count()


def test_reloading_the_same_data_writes_nothing(site):
    records = Site.history.count() + Hospital.history.count()
    versions = dict(Site.objects.values_list("pk", "version"))
    load()
    assert Site.history.count() + Hospital.history.count() == records
    assert dict(Site.objects.values_list("pk", "version")) == versions


def test_force_replaces_one_edited_record_with_the_fixture(client, superuser, site):
    fixture_phone = site.phone
    version = edit_in_the_admin(client, superuser, site, phone="03 26 00 00 99").version
    out = load("--force", f"site:{site.slug}")
    site.refresh_from_db()
    assert (site.phone, site.version) == (fixture_phone, version + 1)
    record = site.history.first()
    assert record.history_user is None
    assert record.history_change_reason.startswith(LOADER_REASON)
    assert f"Replaced with the fixture (--force): site:{site.slug}" in out
    # The loader wrote last: a later drift is the loader's to fix again.
    Site.objects.filter(pk=site.pk).update(phone="01 00 00 00 00")
    load()
    site.refresh_from_db()
    assert site.phone == fixture_phone


@pytest.mark.parametrize(
    ("force", "message"),
    [
        ("chu-de-reims", "MODEL:SLUG"),
        ("commune:reims", "one of"),
        ("site:no-such-site", "not in the fixtures"),
    ],
)
def test_a_bad_force_is_refused_and_nothing_is_written(site, force, message):
    Site.objects.filter(pk=site.pk).update(phone="01 00 00 00 00")
    with pytest.raises(CommandError, match=message):
        load("--force", force)
    site.refresh_from_db()
    assert site.phone == "01 00 00 00 00"  # rolled back


def test_force_is_for_full_reloads_only(directory_data):
    with pytest.raises(CommandError, match="--only-new"):
        load("--only-new", "--force", "hospital:chu-de-reims")


def _coordinating_pair():
    for centre_site in Site.objects.filter(role=SiteRole.COORDINATING).order_by("slug"):
        other = centre_site.centre.sites.filter(role=SiteRole.CONSTITUTIVE).first()
        if other is not None:
            return centre_site, other
    raise AssertionError("no centre with a coordinating and a constitutive site")


def test_a_coordinating_role_moved_by_staff_is_kept(client, superuser, directory_data):
    coordinating, other = _coordinating_pair()
    # Staff move the role: the former holder first (one per centre), then the other.
    edit_in_the_admin(client, superuser, coordinating, role=SiteRole.CONSTITUTIVE)
    edit_in_the_admin(client, superuser, other, role=SiteRole.COORDINATING)
    out = load()
    coordinating.refresh_from_db()
    other.refresh_from_db()
    assert (coordinating.role, other.role) == (SiteRole.CONSTITUTIVE, SiteRole.COORDINATING)
    assert f"site:{coordinating.slug}" in out and f"site:{other.slug}" in out


def test_a_fixture_coordinating_site_waits_for_a_staff_edited_holder(
    client, superuser, directory_data
):
    coordinating, other = _coordinating_pair()
    # The old holder lost the role without a staff edit (an older snapshot)...
    Site.objects.filter(pk=coordinating.pk).update(role=SiteRole.CONSTITUTIVE)
    # ...and staff made another site coordinating.
    edit_in_the_admin(client, superuser, other, role=SiteRole.COORDINATING)
    out = load()  # no IntegrityError
    coordinating.refresh_from_db()
    other.refresh_from_db()
    assert (coordinating.role, other.role) == (SiteRole.CONSTITUTIVE, SiteRole.COORDINATING)
    line = next(line for line in out.splitlines() if f"site:{coordinating.slug}" in line)
    assert f"site:{other.slug}" in line
    # Forcing the staff-edited holder lets the fixtures' coordinating site through.
    load("--force", f"site:{other.slug}")
    coordinating.refresh_from_db()
    other.refresh_from_db()
    assert (coordinating.role, other.role) == (SiteRole.COORDINATING, SiteRole.CONSTITUTIVE)


def test_only_new_writes_history_for_what_it_adds(directory_data):
    site = Site.objects.order_by("slug").last()
    slug = site.slug
    site.delete()
    load("--only-new")
    added = Site.objects.get(slug=slug)
    assert added.history.filter(
        history_type="+", history_user=None, history_change_reason=LOADER_REASON
    ).exists()
