"""The embedded default cache, for a machine without Redis: Django's database cache,
shared by every worker of `make run` (unlike per-process memory), with an atomic
`incr` so that django-ratelimit's counters do not lose increments when two workers
count at the same time. Production uses Redis (REDIS_URL, see config/settings.py)."""

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                # PostgreSQL: hold the row until the new value is written. (SQLite
                # serialises writers: its transactions start IMMEDIATE, see settings.)
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
