from types import SimpleNamespace

import pytest

from hospitals.enums import MembershipRole
from hospitals.models import HospitalMembership
from tests.factories import HospitalFactory, SiteFactory


@pytest.fixture
def personas(django_user_model):
    """Synthetic hospitals, sites and the people of the permission tests:
    a superuser, a Reims editor, a Montpellier editor, a Reims hospital
    administrator, a staff user with no hospital."""
    reims = HospitalFactory(slug="test-reims", short_name="Test CHU Reims", city="Reims")
    montpellier = HospitalFactory(
        slug="test-montpellier", short_name="Test CHU Montpellier", city="Montpellier"
    )

    def staff(username, hospital=None, role=MembershipRole.EDITOR):
        user = django_user_model.objects.create_user(username, password="x", is_staff=True)
        if hospital:
            HospitalMembership.objects.create(user=user, hospital=hospital, role=role)
        return user

    return SimpleNamespace(
        reims=reims,
        montpellier=montpellier,
        superuser=django_user_model.objects.create_superuser("root-test", password="x"),
        reims_editor=staff("reims-editor", reims),
        montpellier_editor=staff("montpellier-editor", montpellier),
        reims_admin=staff("reims-admin", reims, MembershipRole.ADMIN),
        outsider=staff("no-hospital"),
        reims_site=SiteFactory(hospital=reims, slug="test-reims-site"),
        montpellier_site=SiteFactory(hospital=montpellier, slug="test-montpellier-site"),
    )


def site_form_data(site, **overrides):
    """The admin change form's fields for `site`, as a browser would post them."""
    data = {
        "centre": site.centre_id,
        "kind": site.kind,
        "role": site.role,
        "hospital": site.hospital_id or "",
        "name": site.name,
        "slug": site.slug,
        "is_published": "on" if site.is_published else "",
        "seen_version": site.version,
        "service": site.service,
        "head": site.head,
        "phone": site.phone,
        "email": site.email,
        "website": site.website,
        "address": site.address,
        "postcode": site.postcode,
        "city": site.city,
        "region": site.region,
        "age_group": site.age_group,
        "age_note": site.age_note,
        "label_period": site.label_period,
        "label_year": site.label_year or "",
        "sources": site.sources,
        "notes": site.notes,
        "verified_on": site.verified_on or "",
        "_save": "Enregistrer",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
