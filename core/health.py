"""Liveness for a load balancer: is the database reachable?"""

from django.db import connection


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return False
    return True
