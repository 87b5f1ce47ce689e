"""Migration operations shared by the apps."""

from django.db import migrations


class PostgreSQLOnlySQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only, nothing on other databases: the indexes that SQLite
    has no kind of (trigram, INCLUDE), which therefore stay out of the models' Meta.
    Checks the vendor as Django's own CreateExtension does."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
