from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """`unaccent` powers accent-insensitive search on PostgreSQL (common.db.Normalized).
    The operation does nothing on SQLite, where a Python function plays its part."""

    initial = True
    dependencies = []
    operations = [UnaccentExtension()]
