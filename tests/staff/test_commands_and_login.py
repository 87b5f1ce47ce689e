import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from hospitals.models import HospitalMembership


def run(*args):
    out = io.StringIO()
    call_command("grant_hospital_access", *args, stdout=out)
    return out.getvalue()


def test_grant_gives_access_and_makes_staff(personas, django_user_model):
    user = django_user_model.objects.create_user("alice", password="x")
    assert "now has" in run("alice", "test-reims")
    user.refresh_from_db()
    assert user.is_staff
    assert HospitalMembership.objects.get(user=user).role == "editeur"
    run("alice", "test-reims", "--role", "admin")  # changes the role, no duplicate
    assert HospitalMembership.objects.get(user=user).role == "administrateur"
    run("alice", "test-reims", "--revoke")
    assert not HospitalMembership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "test-reims"), "No user"),
        (("reims-editor", "no-such-hospital"), "No hospital"),
        (("montpellier-editor", "test-reims", "--revoke"), "had no access"),
    ],
)
def test_grant_errors_are_clear(personas, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_admin_login_locks_out_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("bob", password="correct-horse", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/", {"username": "bob", "password": "wrong"})
        assert response.status_code == 200  # the form again, "wrong password"
    # The last allowed failure locks the account out, even with the right password.
    # (More cases in test_login_lockout.py.)
    response = client.post("/admin/login/", {"username": "bob", "password": "wrong"})
    assert response.status_code == 429
    response = client.post("/admin/login/", {"username": "bob", "password": "correct-horse"})
    assert response.status_code == 429
    assert "bloquée" in response.content.decode()


def test_a_correct_login_still_works_before_the_limit(client, django_user_model):
    django_user_model.objects.create_user("carol", password="correct-horse", is_staff=True)
    client.post("/admin/login/", {"username": "carol", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "carol", "password": "correct-horse"}
    )
    assert response.status_code == 302


def test_passwords_are_validated():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("123456")
