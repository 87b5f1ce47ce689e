"""Who may edit what: a user's hospitals, from their HospitalMembership rows.

Superusers see and edit everything. Staff attached to hospitals see the reference
data (hospitals, filières, centres) read-only and edit only their hospitals' sites.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from hospitals.enums import MembershipRole
from hospitals.models import HospitalMembership


def _memberships(user) -> dict[int, str]:
    # Cached on the user object for the duration of the request.
    if not hasattr(user, "_hospital_roles"):
        user._hospital_roles = (
            dict(HospitalMembership.objects.filter(user=user).values_list("hospital_id", "role"))
            if user.is_authenticated and user.is_active
            else {}
        )
    return user._hospital_roles


def hospital_ids(user) -> set[int]:
    """Hospitals whose sites the user may edit."""
    return set(_memberships(user))


def admin_hospital_ids(user) -> set[int]:
    """Hospitals whose editors the user may manage."""
    return {pk for pk, role in _memberships(user).items() if role == MembershipRole.ADMIN}


def is_hospital_staff(user) -> bool:
    return bool(_memberships(user))


def attachable_accounts(admin_user):
    """The accounts a hospital administrator may give an access to, by username:
    active, not superusers, and with no access to a hospital they do not administer
    (a person already known elsewhere goes through « Demander un accès » or the
    team). The form looks a name up in this queryset only, so that an unknown name
    and an account they may not attach give the same answer after the same query:
    they cannot use it to find out which usernames exist."""
    elsewhere = HospitalMembership.objects.filter(user=OuterRef("pk")).exclude(
        hospital__in=admin_hospital_ids(admin_user)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .exclude(Exists(elsewhere))
    )
