"""The shared cache of the embedded portal: Django's database cache with an atomic ``incr``.

Without Redis the portal still runs several processes (``tools/run.sh`` starts two granian workers, the task worker
and the scheduler), and what they count must be counted once: the portal's rate limits (``portal.core.ratelimit``)
and allauth's sign-in and verification throttles, which keep their counters in the default cache. A local-memory
cache would give every process its own counters, so each limit would be as many times larger as there are workers.

Django's ``DatabaseCache`` is shared by every process that uses the database and its ``add`` is atomic (the table's
primary key lets only one insert win), but its ``incr`` is a ``get`` followed by a ``set``: two processes can read the
same count and both write count + 1. Here ``incr`` reads and writes in one transaction with the row locked
(``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the portal's ``IMMEDIATE`` transactions take the write lock when
they begin), so concurrent increments are serialised and none is lost.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class SharedDatabaseCache(DatabaseCache):
    """``DatabaseCache`` whose ``incr`` (and so ``decr``) is atomic across processes."""

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache; the stub omits it
        value_column, expires_column, key_column = (quote_name(name) for name in ("value", "expires", "cache_key"))
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column}, {expires_column} FROM {table} WHERE {key_column} = %s{lock}",  # noqa: S608
                [key],
            )
            row = cursor.fetchone()
            if row is None or self._has_expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s", [encoded, key])  # noqa: S608
        return value

    @staticmethod
    def _has_expired(connection, expires) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return expires < tz_now()
