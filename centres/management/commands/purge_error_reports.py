import calendar
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from centres.enums import ReportStatus
from centres.models import ErrorReport

CLOSED = [ReportStatus.FIXED, ReportStatus.REJECTED]
DEFAULT_MONTHS = 12


class Command(BaseCommand):
    help = (
        "Erase the personal data of closed error reports (« Signaler une erreur »): the "
        "reply e-mail and the free-text message of the reports marked corrigé or rejeté "
        f"and not updated for --months months (default {DEFAULT_MONTHS}). The report "
        "itself stays, for statistics: reason, status, site, internal note, dates. "
        "ErrorReport has no closing date: its last update (`updated_at`, the status "
        "change for a report nobody touched since) stands for it. Safe to rerun; "
        "meant to run daily (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            help=f"How long a closed report keeps its e-mail and message (default "
            f"{DEFAULT_MONTHS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the reports, change nothing."
        )

    def handle(self, *args, months, dry_run, **options):
        if months < 1:
            raise CommandError(f"--months must be at least 1 (got {months}).")
        cutoff = months_before(timezone.now(), months)
        reports = ErrorReport.objects.filter(status__in=CLOSED, updated_at__lt=cutoff).filter(
            ~Q(reply_email="") | ~Q(message="")
        )
        since = timezone.localtime(cutoff).date().isoformat()
        if dry_run:
            count = reports.count()
            self.stdout.write(
                f"Would purge the reply e-mail and message of {count} closed error "
                f"report(s) not updated since {since} (dry run: nothing changed)."
            )
            return
        # update(): `updated_at` (auto_now) keeps its date, for the statistics.
        count = reports.update(reply_email="", message="")
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged the reply e-mail and message of {count} closed error report(s) "
                f"not updated since {since}."
            )
        )


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day
    when it is shorter: 31 March minus one month is 28 or 29 February)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )
