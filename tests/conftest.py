import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from django.utils import translation

from centres.models import CentreSiteTally, RegionSiteTally
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
    and the filière ↔ Orphanet mapping) on top of the session's reference tables.

    The loader runs in the first test that asks for it; what it wrote is then copied
    back in the next ones (`_DirectorySnapshot`), which gives the same rows, pks
    included, in a tenth of the time. A transactional test (its database flushed, the
    reference tables with it) runs the loader itself."""
    if not connection.in_atomic_block:
        _load_directory()
    elif _DIRECTORY.tables is None:
        _DIRECTORY.record(_load_directory)
    else:
        _DIRECTORY.restore()


def _load_directory():
    call_command("load_initial_data", "--skip-orphanet", "--skip-communes", stdout=io.StringIO())


class _DirectorySnapshot:
    """Every row a load wrote, per model, to write again without the loader: the
    tables whose number of rows it changed, and the small ones it changed in place
    (the data versions)."""

    SMALL = 100

    def __init__(self):
        self.tables = None

    @staticmethod
    def _rows(model):
        fields = [field.attname for field in model._meta.concrete_fields]
        return list(model._base_manager.order_by("pk").values(*fields))

    def record(self, load):
        # Not the tallies: the database's triggers write them again as the sites are
        # copied back (centres/migrations/0016_site_tallies.py).
        models = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model not in (CentreSiteTally, RegionSiteTally)
        ]
        counts = {model: model._base_manager.count() for model in models}
        small = {model: self._rows(model) for model in models if counts[model] <= self.SMALL}
        load()
        self.tables = []
        for model in models:
            if model._base_manager.count() != counts[model]:
                self.tables.append((model, counts[model] > 0, self._rows(model)))
            elif model in small and self._rows(model) != small[model]:
                self.tables.append((model, True, self._rows(model)))

    def restore(self):
        with connection.cursor() as cursor:
            for model, replace, rows in self.tables:
                if replace:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
                model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
            # PostgreSQL: the pk sequences after the rows written with their pks.
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [model for model, _replace, _rows in self.tables]
            ):
                cursor.execute(sql)


_DIRECTORY = _DirectorySnapshot()


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
