from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from centres.models import ReferenceCentre, Site
from filieres.models import Filiere
from hospitals.models import Hospital

# Order matters: each file only refers to objects of the files before it.
FIXTURES = ["hospitals.json", "filieres.json", "centres.json"]


class Command(BaseCommand):
    help = (
        "Load the sourced reference data shipped in fixtures/ (hospitals, filières, "
        "centres and sites; see fixtures/README.md). Objects are matched by natural key "
        "(slug), so running it again updates the same rows instead of duplicating them. "
        "Rows present in the database but not in the fixtures are left alone."
    )

    def handle(self, *args, **options):
        fixtures_dir = settings.BASE_DIR / "fixtures"
        with transaction.atomic():
            call_command(
                "loaddata",
                *(str(fixtures_dir / name) for name in FIXTURES),
                verbosity=0,
            )
        for model in (Hospital, Filiere, ReferenceCentre, Site):
            self.stdout.write(f"{model._meta.verbose_name_plural}: {model.objects.count()}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
