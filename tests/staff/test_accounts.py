"""Giving hospital access in the admin (« Accès aux établissements »): the access
works (the user can log in), a duplicate is a form error, and a hospital
administrator cannot use the form to find out which usernames exist."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hospitals.enums import MembershipRole
from hospitals.models import HospitalMembership

ADD = reverse("admin:hospitals_hospitalmembership_add")


def add_by_username(client, username, hospital, role=MembershipRole.EDITOR):
    return client.post(ADD, {"username": username, "hospital": hospital.pk, "role": role})


def test_an_access_given_by_a_hospital_admin_lets_the_user_log_in(
    client, personas, django_user_model
):
    # An account the team created in « Utilisateurs »: active, not staff yet.
    newcomer = django_user_model.objects.create_user("newcomer", password="synthetique-1")
    client.force_login(personas.reims_admin)
    response = add_by_username(client, "newcomer", personas.reims)
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and not newcomer.is_superuser
    client.logout()
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": "newcomer", "password": "synthetique-1"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:centres_site_changelist")).status_code == 200


def test_an_access_given_by_a_superuser_lets_the_user_log_in(client, personas, django_user_model):
    newcomer = django_user_model.objects.create_user("newcomer", password="synthetique-1")
    client.force_login(personas.superuser)
    response = client.post(
        ADD, {"user": newcomer.pk, "hospital": personas.montpellier.pk, "role": "administrateur"}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff and not newcomer.is_superuser
    assert newcomer.hospital_memberships.get().role == MembershipRole.ADMIN


def test_re_adding_an_existing_member_is_a_form_error(client, personas):
    client.force_login(personas.reims_admin)
    response = add_by_username(client, "reims-editor", personas.reims)
    assert response.status_code == 200
    assert "Cet utilisateur a déjà un accès à cet établissement." in str(
        response.context["adminform"].form.errors
    )
    assert HospitalMembership.objects.filter(user=personas.reims_editor).count() == 1


def test_a_hospital_admin_adding_themselves_gets_a_form_error(client, personas):
    client.force_login(personas.reims_admin)
    response = add_by_username(client, "reims-admin", personas.reims)
    assert response.status_code == 200
    assert "déjà un accès" in str(response.context["adminform"].form.errors)
    assert personas.reims_admin.hospital_memberships.get().role == MembershipRole.ADMIN


def test_a_superuser_re_adding_a_member_gets_a_form_error(client, personas):
    client.force_login(personas.superuser)
    response = client.post(
        ADD, {"user": personas.reims_editor.pk, "hospital": personas.reims.pk, "role": "editeur"}
    )
    assert response.status_code == 200
    assert "déjà un accès" in str(response.context["adminform"].form.errors)


def test_a_hospital_admin_still_edits_a_member_of_two_hospitals(client, personas):
    # Given by a superuser: the Reims editor also edits Montpellier's sites.
    HospitalMembership.objects.create(user=personas.reims_editor, hospital=personas.montpellier)
    membership = HospitalMembership.objects.get(user=personas.reims_editor, hospital=personas.reims)
    client.force_login(personas.reims_admin)
    response = client.post(
        reverse("admin:hospitals_hospitalmembership_change", args=[membership.pk]),
        {"username": "reims-editor", "hospital": personas.reims.pk, "role": "editeur"},
    )
    assert response.status_code == 302


def _attempt(client, username, hospital):
    with CaptureQueriesContext(connection) as queries:
        response = add_by_username(client, username, hospital)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
    message = re.sub(re.escape(username), "<username>", str(errors))
    return response.status_code, message, len(queries)


@pytest.fixture
def not_addable(personas, django_user_model):
    """Existing accounts that a Reims administrator may not attach themselves."""
    django_user_model.objects.create_user("former-staff", password="x", is_active=False)
    return ["root-test", "former-staff", "montpellier-editor"]


def test_a_hospital_admin_cannot_tell_unknown_usernames_from_forbidden_ones(
    client, personas, not_addable
):
    client.force_login(personas.reims_admin)
    add_by_username(client, "warm-up", personas.reims)  # session and caches, as a prober would
    unknown = _attempt(client, "no-such-account", personas.reims)
    status, message, _queries = unknown
    assert status == 200
    assert "<username>" in message and "Aucun compte" in message
    for username in not_addable:
        # Same status, same message, same queries: nothing tells them apart.
        assert _attempt(client, username, personas.reims) == unknown, username
    assert (
        not HospitalMembership.objects.filter(hospital=personas.reims)
        .exclude(user__in=[personas.reims_editor, personas.reims_admin])
        .exists()
    )


def test_superusers_still_attach_any_account(client, personas):
    client.force_login(personas.superuser)
    response = client.post(
        ADD,
        {
            "user": personas.montpellier_editor.pk,
            "hospital": personas.reims.pk,
            "role": "editeur",
        },
    )
    assert response.status_code == 302
    assert personas.montpellier_editor.hospital_memberships.count() == 2
