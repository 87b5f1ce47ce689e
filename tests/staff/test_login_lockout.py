"""Brute force on the admin login: a username is locked whatever the addresses, an
address whatever the usernames (django-axes, AXES_* in config/settings.py)."""

import html

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

LIMIT = settings.AXES_FAILURE_LIMIT


def login(client, username, password="wrong-password", address="192.0.2.1"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(
        "bob", password="correct-horse-battery", is_staff=True
    )


def test_one_account_guessed_from_many_addresses_is_locked(client, bob):
    """4 guesses from each of 8 addresses: the account is locked, from anywhere."""
    statuses = [
        login(client, "bob", address=f"198.51.100.{n}").status_code
        for n in range(8)
        for _ in range(4)
    ]
    assert 429 in statuses
    assert statuses.index(429) == LIMIT - 1  # the LIMIT-th failure locks
    # Even the right password, from a new address, is refused until the cool-off.
    response = login(client, "bob", "correct-horse-battery", address="203.0.113.77")
    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_locked(client, bob):
    """30 usernames × 1 guess from one address: the address is locked."""
    statuses = [login(client, f"user{n}", address="192.0.2.50").status_code for n in range(30)]
    assert statuses.index(429) == LIMIT - 1  # the LIMIT-th failure locks
    response = login(client, "bob", "correct-horse-battery", address="192.0.2.50")
    assert response.status_code == 429
    # Bob from his own address is not affected.
    response = login(client, "bob", "correct-horse-battery", address="192.0.2.51")
    assert response.status_code == 302


def test_a_few_mistakes_do_not_lock(client, bob):
    for _ in range(LIMIT - 1):
        assert login(client, "bob").status_code == 200
    assert login(client, "bob", "correct-horse-battery").status_code == 302


def test_the_lockout_page_says_why_with_the_sites_admin_title(client, bob):
    for _ in range(LIMIT):
        login(client, "bob")
    response = login(client, "bob")
    text = html.unescape(response.content.decode())
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in text
    assert "Réessayez dans 1 heure" in text
    assert "Annuaire des centres maladies rares — administration" in text
    assert "<title>Connexion bloquée | Annuaire maladies rares</title>" in text
    assert "Django" not in text


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Xq7-Lm2!pRt", False), ("Xq7-Lm2!pRtz", True)],  # 11 and 12 characters
)
def test_passwords_have_at_least_12_characters(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError, match="12"):
            validate_password(password)
