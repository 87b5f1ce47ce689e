from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from common.text import normalize

        # Deterministic, so SQLite may use it in indexes and the planner may cache it.
        connection.connection.create_function("rd_normalize", 1, normalize, deterministic=True)


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = "Common"

    def ready(self):
        connection_created.connect(_register_sqlite_functions, dispatch_uid="rd_normalize")
