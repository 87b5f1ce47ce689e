"""Who may edit what: a user's hospitals, from their HospitalMembership rows.

Superusers see and edit everything. Staff attached to hospitals see the reference
data (hospitals, filières, centres) read-only and edit only their hospitals' sites.
"""

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
