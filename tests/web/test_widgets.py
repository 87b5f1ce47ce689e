"""The public filters' <select> is written in Python (web/widgets.py): it must say
what Django's own template says, option for option."""

import pytest
from django import forms
from django.test.html import parse_html

from web.filters import SiteFilter
from web.widgets import QuickSelect

CHOICES = [
    ("", "Toutes"),
    ("a", "Première <b>"),
    ("Groupe & co", [("b", "Deuxième"), ("c", "Troisième")]),
    (3, "Un nombre"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 3])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "aria-describedby": "x_help"}])
def test_the_same_html_as_django_s_select(value, attrs):
    ours = QuickSelect(choices=CHOICES).render("x", value, attrs)
    django = forms.Select(choices=CHOICES).render("x", value, attrs)
    assert parse_html(ours) == parse_html(django)
    assert "Première &lt;b&gt;" in ours  # labels escaped


def test_the_filters_selects_are_django_s(directory_data):
    data = {"type": "competence", "filiere": "filnemus", "region": "44", "age": "enfants"}
    form = SiteFilter(data).form
    for name in data:
        field = form[name]
        assert isinstance(field.field.widget, QuickSelect)
        django = forms.Select(choices=field.field.choices).render(
            name, field.value(), {"id": field.auto_id}
        )
        assert parse_html(str(field)) == parse_html(django), name
        assert f'value="{data[name]}" selected' in str(field)
