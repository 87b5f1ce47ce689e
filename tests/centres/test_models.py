import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from centres.enums import AgeGroup, SiteKind, SiteRole
from centres.models import ReferenceCentre, Site, refresh_site_positions
from common.france import Region
from tests.factories import HospitalFactory, ReferenceCentreFactory, SiteFactory

MIGRATION_0015 = importlib.import_module("centres.migrations.0015_site_listed_region")


def test_at_most_one_coordinating_site_per_centre():
    centre = ReferenceCentreFactory()
    SiteFactory(centre=centre, coordinating=True)
    with pytest.raises(IntegrityError):
        SiteFactory(centre=centre, coordinating=True)


def test_several_constitutive_sites_are_allowed():
    centre = ReferenceCentreFactory()
    SiteFactory(centre=centre, coordinating=True)
    SiteFactory(centre=centre, constitutive=True)
    SiteFactory(centre=centre, constitutive=True)
    assert centre.sites.count() == 3


def test_second_coordinating_site_is_explained_on_full_clean():
    centre = ReferenceCentreFactory()
    SiteFactory(centre=centre, coordinating=True)
    duplicate = SiteFactory.build(centre=centre, coordinating=True, hospital=HospitalFactory())
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "déjà un site coordonnateur" in str(excinfo.value)


@pytest.mark.parametrize("kind", [SiteKind.COMPETENCE, SiteKind.CRC, SiteKind.UNKNOWN])
def test_only_reference_sites_have_a_role(kind):
    with pytest.raises(IntegrityError):
        SiteFactory(kind=kind, role=SiteRole.CONSTITUTIVE)


def test_a_competence_centre_belongs_to_exactly_one_centre():
    # The centre is a non-null foreign key: a site cannot exist without one...
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.create(kind=SiteKind.COMPETENCE, slug="orphan", centre_id=None)
    # ...and it cannot point to two (a single column).
    field = Site._meta.get_field("centre")
    assert field.many_to_one and not field.null


def test_centre_with_sites_cannot_be_deleted():
    site = SiteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        site.centre.delete()


def test_site_slug_is_unique():
    SiteFactory(slug="same-site")
    with pytest.raises(IntegrityError):
        SiteFactory(slug="same-site")


def test_centre_slug_is_unique():
    ReferenceCentreFactory(slug="same-centre")
    with pytest.raises(IntegrityError):
        ReferenceCentreFactory(slug="same-centre")


def test_str_and_urls():
    site = SiteFactory(
        slug="test-site-url",
        centre__name="Centre test",
        centre__acronym="CT",
        hospital__short_name="Test CHU X",
        hospital__slug="test-chu-x",
    )
    assert str(site) == "Centre test (CT) — Test CHU X"
    assert site.get_absolute_url() == "/centres/test-site-url/"
    assert site.centre.get_absolute_url() == f"/centres/?crmr={site.centre.slug}"
    assert str(site.centre) == "Centre test (CT)"


def test_natural_keys_round_trip():
    site = SiteFactory()
    assert Site.objects.get_by_natural_key(*site.natural_key()) == site
    centre = site.centre
    assert ReferenceCentre.objects.get_by_natural_key(*centre.natural_key()) == centre


def test_region_comes_from_the_hospital_or_from_the_site_without_one():
    with_hospital = SiteFactory(hospital__region=Region.OCCITANIE)
    without = SiteFactory(without_hospital=True)
    assert with_hospital.region_label == "Occitanie"
    assert without.region_label == "Bretagne"
    assert set(Site.objects.in_region(Region.BRETAGNE)) == {without}
    assert set(Site.objects.in_region(Region.OCCITANIE)) == {with_hospital}


def test_the_listed_region_follows_the_hospital_and_the_site():
    """`listed_region` (what in_region and the région tallies read) is the rule of
    `region_code`, kept by every writer of the position."""
    hospital = HospitalFactory(region=Region.OCCITANIE)
    site = SiteFactory(hospital=hospital, region=Region.CORSE)  # its own: not used
    without = SiteFactory(without_hospital=True)
    assert (site.listed_region, without.listed_region) == (Region.OCCITANIE, Region.BRETAGNE)
    hospital.region = Region.NORMANDIE
    hospital.save()  # its sites are placed again
    site.refresh_from_db()
    assert site.listed_region == site.region_code == Region.NORMANDIE
    site.hospital = None
    site.save()
    assert site.listed_region == site.region_code == Region.CORSE
    # A write that skips save (QuerySet.update) is put right by refresh_site_positions.
    Site.objects.update(listed_region="")
    assert refresh_site_positions() == 2
    assert {s.pk: s.listed_region for s in Site.objects.all()} == {
        site.pk: Region.CORSE,
        without.pk: Region.BRETAGNE,
    }


def test_a_hospital_written_by_update_fields_places_the_site_again():
    """`save(update_fields=["hospital"])` names the relation, not its column: the site
    is placed again all the same (its position and its région)."""
    site = SiteFactory(hospital__region=Region.OCCITANIE)
    site.hospital = HospitalFactory(region=Region.NORMANDIE)
    site.save(update_fields=["hospital"])
    site.refresh_from_db()
    assert site.listed_region == Region.NORMANDIE


def test_the_migration_lists_each_site_in_its_region():
    """centres/0015 fills `listed_region` by the same rule, in SQL."""
    SiteFactory(hospital__region=Region.OCCITANIE, region=Region.CORSE)
    SiteFactory(without_hospital=True)
    SiteFactory(hospital__region="")
    expected = {s.pk: s.region_code for s in Site.objects.select_related("hospital")}
    Site.objects.update(listed_region="99")
    with connection.cursor() as cursor:
        cursor.execute(MIGRATION_0015.FILL)
    assert dict(Site.objects.values_list("pk", "listed_region")) == expected
    assert set(expected.values()) == {Region.OCCITANIE, Region.BRETAGNE, ""}


def test_site_for_both_ages_is_found_for_children_and_for_adults():
    both = SiteFactory(age_group=AgeGroup.BOTH)
    children = SiteFactory(age_group=AgeGroup.CHILDREN)
    adults = SiteFactory(age_group=AgeGroup.ADULTS)
    SiteFactory(age_group="")
    assert set(Site.objects.for_age(AgeGroup.CHILDREN)) == {both, children}
    assert set(Site.objects.for_age(AgeGroup.ADULTS)) == {both, adults}


def test_published_hides_unpublished_sites():
    shown = SiteFactory()
    SiteFactory(is_published=False)
    assert list(Site.objects.published()) == [shown]


def test_historical_flag_for_periods_before_2017():
    assert SiteFactory(label_year=2012).is_historical
    assert not SiteFactory(label_year=2017).is_historical
    assert not SiteFactory(label_year=None).is_historical


def test_phone_uri_keeps_digits_only():
    assert SiteFactory(phone="04 67 33 94 69").phone_uri == "tel:0467339469"
    assert SiteFactory(phone="").phone_uri == ""


def test_for_list_orders_coordinating_then_constitutive_then_competence():
    centre = ReferenceCentreFactory()
    competence = SiteFactory(centre=centre)
    constitutive = SiteFactory(centre=centre, constitutive=True)
    coordinating = SiteFactory(centre=centre, coordinating=True)
    assert list(Site.objects.for_list()) == [coordinating, constitutive, competence]


def test_sources_must_be_web_addresses():
    site = SiteFactory.build(
        centre=ReferenceCentreFactory(), hospital=None, slug="src", kind=SiteKind.COMPETENCE
    )
    site.sources = "https://ok.invalid/a\njavascript:alert(document.domain)"
    with pytest.raises(ValidationError) as excinfo:
        site.full_clean()
    assert "javascript:alert" in str(excinfo.value)
    # Even if such a line reached the database, it is never turned into a link.
    assert site.source_urls == ["https://ok.invalid/a"]


def test_a_javascript_source_is_not_rendered_as_a_link(client):
    site = SiteFactory(sources="javascript:alert(1)\nhttps://ok.invalid/b")
    body = client.get(site.get_absolute_url()).content.decode()
    assert "javascript:alert" not in body
    assert 'href="https://ok.invalid/b"' in body
