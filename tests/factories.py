"""Factories for tests and benchmarks.

Everything they make is SYNTHETIC (names start with "Test" / "Synthétique"): it only
lives in test databases and benchmarks, never in fixtures/.
"""

import factory
from django.utils.text import slugify

from centres.enums import SiteKind, SiteRole
from centres.models import ReferenceCentre, Site
from common.france import Region
from filieres.models import Filiere
from hospitals.models import Hospital


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Hôpital synthétique de test {n}")
    short_name = factory.Sequence(lambda n: f"Test CHU {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.short_name))
    city = "Testville"
    region = Region.GRAND_EST


class FiliereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filiere
        django_get_or_create = ["slug"]

    acronym = factory.Sequence(lambda n: f"TESTFIL{n}")
    name = factory.Sequence(lambda n: f"Filière synthétique de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.acronym))
    disease_area = "Domaine synthétique"


class ReferenceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceCentre

    name = factory.Sequence(lambda n: f"Centre synthétique de test {n}")
    slug = factory.Sequence(lambda n: f"test-centre-{n}")
    filiere = factory.SubFactory(FiliereFactory)


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    centre = factory.SubFactory(ReferenceCentreFactory)
    hospital = factory.SubFactory(HospitalFactory)
    kind = SiteKind.COMPETENCE
    slug = factory.Sequence(lambda n: f"test-site-{n}")
    sources = "https://source-synthetique.invalid/test"

    class Params:
        coordinating = factory.Trait(kind=SiteKind.REFERENCE, role=SiteRole.COORDINATING)
        constitutive = factory.Trait(kind=SiteKind.REFERENCE, role=SiteRole.CONSTITUTIVE)
        crc = factory.Trait(kind=SiteKind.CRC)
        without_hospital = factory.Trait(hospital=None, city="Testville", region=Region.BRETAGNE)
