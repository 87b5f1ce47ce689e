"""Migration operations shared by the apps."""

from django.db import migrations


class VendorOnlySQL(migrations.RunSQL):
    """RunSQL on one database vendor only (`vendor`), nothing on the others: the
    indexes that only one of them has a kind of, or needs, which therefore stay out
    of the models' Meta. Checks the vendor as Django's own CreateExtension does."""

    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgreSQLOnlySQL(VendorOnlySQL):
    """On PostgreSQL only: the indexes SQLite has no kind of (trigram, INCLUDE)."""

    vendor = "postgresql"


class SQLiteOnlySQL(VendorOnlySQL):
    """On SQLite only: what PostgreSQL has in another form (a covering index made of
    key columns, where PostgreSQL has INCLUDE)."""

    vendor = "sqlite"
