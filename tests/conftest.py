import io

import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    # Every test may use the database, except browser tests, which ask for the
    # transactional database themselves (the live server runs in another thread).
    for item in items:
        if "browser" not in item.keywords:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture
def directory_data():
    """The real, sourced reference data from fixtures/."""
    call_command("load_initial_data", stdout=io.StringIO())
