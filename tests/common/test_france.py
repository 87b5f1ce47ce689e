"""One postcode rule (common.france) for the models, the CSV import (tests/staff/
test_import.py) and the "near me" search."""

import pytest
from django.core.exceptions import ValidationError

from common.france import is_postcode, validate_postcode
from communes.places import resolve_place
from tests.factories import HospitalFactory, SiteFactory


@pytest.mark.parametrize("value", ["51092", "20000", "97400", " 34295 "])
def test_five_digits_are_a_postcode(value):
    assert is_postcode(value)
    validate_postcode(value.strip())


@pytest.mark.parametrize(
    "value", ["2A004", "2B000", "2a004", "5100", "510920", "51 092", "", "٥١٠٩٢"]
)
def test_anything_else_is_not(value):
    assert not is_postcode(value)
    with pytest.raises(ValidationError):
        validate_postcode(value)


@pytest.mark.parametrize("factory", [HospitalFactory, SiteFactory])
def test_the_database_refuses_a_corsican_department_code_as_postcode(factory):
    with pytest.raises(ValidationError, match="5 chiffres"):
        factory.build(postcode="2A004").validate_constraints()


def test_a_corsican_postcode_finds_ajaccio():
    lookup = resolve_place("20000")
    assert lookup.place is not None and "Ajaccio" in lookup.place.label


def test_a_department_code_is_not_searched_as_a_postcode():
    lookup = resolve_place("2A004")
    assert lookup.place is None
    assert lookup.error.startswith("Lieu inconnu")  # not "no commune has postcode 2A004"
