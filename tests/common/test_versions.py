"""Caches of reference data follow the data's version in the database, so a reload
by any process (another gunicorn worker, a management command) reaches them all."""

import pytest

from common.models import DataVersion
from common.versions import bump, cached_by_version, current, grouped_bumps


def test_a_reload_elsewhere_invalidates_the_cache(django_assert_num_queries):
    builds = []

    @cached_by_version("test-data")
    def expensive():
        builds.append(1)
        return len(builds)

    assert expensive() == 1
    with django_assert_num_queries(1):  # the version check only
        assert expensive() == 1
    # Another process reloads the data: it only writes the row.
    DataVersion.objects.update_or_create(name="test-data", defaults={"version": 41})
    assert expensive() == 2
    bump("test-data")
    assert current("test-data") == 42
    assert expensive() == 3


def test_an_unknown_version_is_zero():
    assert current("never-loaded") == 0


# load_orphanet bumps the nomenclature version: tests/diseases/test_load.py.


def test_grouped_bumps_bump_each_name_once_at_the_end():
    bump("test-data")
    before = current("test-data")
    with grouped_bumps():
        for _ in range(3):
            bump("test-data")
        assert current("test-data") == before  # not yet
    assert current("test-data") == before + 1


def test_grouped_bumps_bump_nothing_when_the_block_fails():
    bump("test-data")
    before = current("test-data")
    with pytest.raises(ValueError), grouped_bumps():
        bump("test-data")
        raise ValueError
    assert current("test-data") == before
    bump("test-data")  # and bumps count again afterwards
    assert current("test-data") == before + 1
