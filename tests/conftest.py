import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from diseases.search import _vocabulary


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Every test may use the database, except browser tests, which ask for the
    # transactional database themselves (the live server runs in another thread).
    # tryfirst: the markers must be there before pytest-django orders the tests
    # (plain database tests first, transactional ones after).
    for item in items:
        if "browser" not in item.keywords:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the large, read-only reference tables once per test session: the Orphanet
    nomenclature and the communes. Tests roll back their own changes, so these stay.
    (pytest-django runs transactional tests, which flush the database, after the
    others; the browser tests load what they need themselves.)"""
    with django_db_blocker.unblock():
        call_command("load_orphanet", verbosity=0, stdout=io.StringIO())
        call_command("load_communes", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def directory_data():
    """The real, sourced directory from fixtures/ (hospitals, filières, centres, sites
    and the filière ↔ Orphanet mapping) on top of the session's reference tables."""
    call_command("load_initial_data", "--skip-orphanet", "--skip-communes", stdout=io.StringIO())


@pytest.fixture
def filiere_coverage():
    """Just the filières and their Orphanet mapping (faster than directory_data)."""
    fixtures = settings.BASE_DIR / "fixtures"
    call_command(
        "loaddata",
        *(
            str(fixtures / name)
            for name in ("hospitals.json", "filieres.json", "filiere_coverage.json")
        ),
        verbosity=0,
    )


@pytest.fixture(autouse=True)
def _fresh_caches(django_db_blocker):
    """A per-process cache of reference data would make query counts depend on the
    order of tests, and the shared cache (rate-limit counters) would carry one test's
    requests into the next."""
    _vocabulary.cache_clear()
    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture(autouse=True)
def _french_to_start_with():
    """Each test starts in French, the site's default: a request to an /en/ page leaves
    English active in the test's thread (LocaleMiddleware does not reset it), which
    would turn the next test's reverse() and get_absolute_url() into /en/ URLs."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
