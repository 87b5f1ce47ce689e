from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hospitals.enums import MembershipRole
from hospitals.models import Hospital, HospitalMembership

ROLES = {"editor": MembershipRole.EDITOR, "admin": MembershipRole.ADMIN}


class Command(BaseCommand):
    help = (
        "Give a user access to a hospital's records in the admin (or take it back with "
        "--revoke). An editor edits the hospital's sites; an admin also manages its "
        "editors. The user is made staff so that they can log in to /admin/. "
        "Example: grant_hospital_access alice chu-de-reims --role editor"
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("hospital_slug")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")
        parser.add_argument("--revoke", action="store_true", help="Remove the access.")

    def handle(self, *args, username, hospital_slug, role, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                f"No user {username!r}. Create it first: manage.py createsuperuser is for "
                "the team; for staff use the admin (Utilisateurs) or manage.py shell."
            )
        hospital = Hospital.objects.filter(slug=hospital_slug).first()
        if hospital is None:
            raise CommandError(f"No hospital with slug {hospital_slug!r} (see /hopitaux/).")
        if revoke:
            deleted, _ = HospitalMembership.objects.filter(user=user, hospital=hospital).delete()
            if not deleted:
                raise CommandError(f"{username} had no access to {hospital}.")
            self.stdout.write(self.style.SUCCESS(f"{username} no longer has access to {hospital}."))
            return
        # Saving the membership makes the user staff (HospitalMembership.save).
        membership, created = HospitalMembership.objects.update_or_create(
            user=user, hospital=hospital, defaults={"role": ROLES[role]}
        )
        verb = "now has" if created else "has"
        self.stdout.write(
            self.style.SUCCESS(
                f"{username} {verb} {membership.get_role_display()} access to {hospital}."
            )
        )
