import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError

from hospitals.models import Hospital
from tests.factories import HospitalFactory


def test_str_prefers_short_name():
    hospital = HospitalFactory(name="Centre hospitalier synthétique", short_name="CHS test")
    assert str(hospital) == "CHS test"
    assert str(HospitalFactory(short_name="", slug="sans-nom-court")).startswith("Hôpital")


def test_absolute_url_uses_slug():
    assert HospitalFactory(slug="test-chu").get_absolute_url() == "/hopitaux/test-chu/"


def test_natural_key_round_trip():
    hospital = HospitalFactory(slug="test-chu-nk")
    assert Hospital.objects.get_by_natural_key(*hospital.natural_key()) == hospital


def test_blank_finess_is_stored_as_null_so_many_hospitals_may_lack_one():
    first = HospitalFactory(finess="")
    second = HospitalFactory(finess="")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.finess is None and second.finess is None


def test_finess_is_unique_when_set():
    HospitalFactory(finess="510000029")
    with pytest.raises(IntegrityError):
        HospitalFactory(finess="510000029")


@pytest.mark.parametrize("finess", ["12345678", "1234567890", "ABCDEFGHI", "5100000A9"])
def test_finess_format_is_enforced_by_the_database(finess):
    # PostgreSQL rejects the 10-character value for its length (DataError) before the
    # check constraint; SQLite has no length limit, so the constraint catches it.
    with pytest.raises((IntegrityError, DataError)):
        HospitalFactory(finess=finess)


def test_corsican_finess_is_accepted():
    HospitalFactory(finess="2A0000012").full_clean()


def test_finess_format_error_is_explained_in_french():
    hospital = HospitalFactory.build(finess="123", slug="x")
    with pytest.raises(ValidationError) as excinfo:
        hospital.full_clean()
    assert "9 caractères" in str(excinfo.value)


def test_published_totals_need_a_source():
    with pytest.raises(IntegrityError):
        HospitalFactory(published_competence_centres=48, published_totals_source="")


def test_coordinates_come_in_pairs():
    with pytest.raises(IntegrityError):
        HospitalFactory(latitude=49.2, longitude=None)


def test_postcode_format_is_enforced():
    with pytest.raises(IntegrityError):
        HospitalFactory(postcode="5100")


def test_slug_is_unique():
    HospitalFactory(slug="same")
    with pytest.raises(IntegrityError):
        Hospital.objects.create(name="Autre", slug="same")


@pytest.mark.parametrize(
    ("phone", "uri"),
    [
        ("03 26 78 78 78", "tel:0326787878"),
        ("+33 3 26 78 78 78", "tel:+33326787878"),
        ("33 1 42 16 00 00", "tel:+33142160000"),
        ("", ""),
    ],
)
def test_switchboard_link(phone, uri):
    assert Hospital(switchboard_phone=phone).switchboard_uri == uri
