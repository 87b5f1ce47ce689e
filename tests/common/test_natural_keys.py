"""One natural-key mixin (common.models.NaturalKeyModel) for every model that
fixtures refer to."""

import pytest
from django.apps import apps
from django.core import serializers

from common.models import NaturalKeyModel

MODELS = [m for m in apps.get_models() if issubclass(m, NaturalKeyModel)]


def test_every_fixture_model_uses_the_mixin():
    names = {m._meta.label_lower for m in MODELS}
    assert {
        "hospitals.hospital",
        "filieres.filiere",
        "centres.referencecentre",
        "centres.site",
        "centres.publishedcount",
        "centres.centrecoverage",
        "diseases.disease",
        "diseases.filierecoverage",
        "communes.commune",
    } <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label_lower)
def test_natural_key_finds_the_same_row(directory_data, model):
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    assert model._default_manager.get_by_natural_key(*obj.natural_key()) == obj


def test_dependencies_order_the_serialisation():
    from centres.models import CentreCoverage, Site

    assert Site.natural_key.dependencies == ["centres.referencecentre", "hospitals.hospital"]
    assert CentreCoverage.natural_key.dependencies == [
        "centres.referencecentre",
        "diseases.disease",
    ]
    app_list = [(apps.get_app_config("centres"), None)]
    ordered = [m._meta.label_lower for m in serializers.sort_dependencies(app_list)]
    assert ordered.index("centres.referencecentre") < ordered.index("centres.site")


def test_a_wrong_number_of_values_is_an_error():
    from hospitals.models import Hospital

    with pytest.raises(ValueError):
        Hospital.objects.get_by_natural_key("a", "b")
