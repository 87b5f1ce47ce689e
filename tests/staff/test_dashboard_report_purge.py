"""purge_error_reports: the reply e-mail and message of closed error reports are
erased after a period; the reports stay for the dashboard's statistics."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from centres.management.commands.purge_error_reports import months_before
from centres.models import ErrorReport
from tests.factories import SiteFactory

EMAIL = "personne@exemple-synthetique.invalid"
MESSAGE = "Synthétique : le numéro a changé, rappelez-moi au 06 00 00 00 00."


def purge(*args):
    out = io.StringIO()
    call_command("purge_error_reports", *args, stdout=out)
    return out.getvalue()


def report(status, days_ago, **fields):
    fields = {"reply_email": EMAIL, "message": MESSAGE, **fields}
    obj = ErrorReport.objects.create(
        site=SiteFactory(), reason="telephone", status=status, **fields
    )
    updated = timezone.now() - datetime.timedelta(days=days_ago)
    ErrorReport.objects.filter(pk=obj.pk).update(updated_at=updated)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def reports():
    return {
        "fixed_long_ago": report("corrige", 400, staff_note="Numéro corrigé."),
        "rejected_long_ago": report("rejete", 370, message=""),
        "fixed_recently": report("corrige", 300),
        "open_long_ago": report("nouveau", 800),
        "in_progress_long_ago": report("en-cours", 800),
    }


def test_closed_reports_lose_their_personal_data_after_12_months(reports):
    out = purge()
    assert "Purged the reply e-mail and message of 2 closed error report(s)" in out
    for name in ("fixed_long_ago", "rejected_long_ago"):
        before = reports[name]
        after = ErrorReport.objects.get(pk=before.pk)
        assert (after.reply_email, after.message) == ("", "")
        # What the statistics need stays.
        assert (after.reason, after.status, after.site_id) == (
            before.reason,
            before.status,
            before.site_id,
        )
        assert (after.created_at, after.updated_at) == (before.created_at, before.updated_at)
    assert ErrorReport.objects.get(pk=reports["fixed_long_ago"].pk).staff_note == "Numéro corrigé."
    for name in ("fixed_recently", "open_long_ago", "in_progress_long_ago"):
        kept = ErrorReport.objects.get(pk=reports[name].pk)
        assert (kept.reply_email, kept.message) == (EMAIL, MESSAGE), name


def test_purging_again_changes_nothing(reports):
    purge()
    assert "of 0 closed error report(s)" in purge()


def test_the_period_is_an_option(reports):
    assert "of 3 closed error report(s)" in purge("--months", "6")
    assert ErrorReport.objects.get(pk=reports["fixed_recently"].pk).reply_email == ""


def test_a_dry_run_counts_and_writes_nothing(reports):
    out = purge("--dry-run")
    assert "Would purge the reply e-mail and message of 2 closed error report(s)" in out
    assert ErrorReport.objects.filter(reply_email=EMAIL).count() == len(reports)


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--months", "0"), "at least 1"), (("--months", "douze"), "invalid int value")],
)
def test_a_bad_period_is_refused_clearly(reports, args, message):
    with pytest.raises(CommandError, match=message):
        purge(*args)
    assert ErrorReport.objects.filter(reply_email=EMAIL).count() == len(reports)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 3, 31, 8, 0), 1, datetime.datetime(2026, 2, 28, 8, 0)),
        (datetime.datetime(2026, 1, 15), 12, datetime.datetime(2025, 1, 15)),
        (datetime.datetime(2026, 1, 15), 13, datetime.datetime(2024, 12, 15)),
        (datetime.datetime(2024, 2, 29), 12, datetime.datetime(2023, 2, 28)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected
