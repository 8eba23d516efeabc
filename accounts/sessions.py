"""Database sessions with the user's id in a column (SESSION_ENGINE = "accounts.sessions")."""

import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        obj = super().create_model_instance(data)
        try:
            obj.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            obj.user_id = None  # an anonymous session (language choice, CSRF, messages)
        return obj

    def _get_session_from_db(self):
        # Django's query (the unexpired session of this key) in fixed SQL: every request reads it,
        # and building the queryset cost more than running it.
        model = self.model
        db = router.db_for_read(model)
        quote = connections[db].ops.quote_name
        columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
        table = quote(model._meta.db_table)
        sql = f"SELECT {columns} FROM {table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608 - names from the model
        try:
            session_key = self.session_key
            with connections[db].cursor() as cursor:
                cursor.execute(sql, [session_key, timezone.now()])
                row = cursor.fetchone()
        except SuspiciousOperation as e:
            logging.getLogger(f"django.security.{e.__class__.__name__}").warning(str(e))
            row = None
        if row is None:
            self._session_key = None
            return None
        return model.from_db(db, [field.attname for field in model._meta.concrete_fields], row)
