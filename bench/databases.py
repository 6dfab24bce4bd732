"""The empty database a benchmark builds its shop in: a SQLite file removed with its
journals, or a PostgreSQL database dropped and created again on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1/postgres"


def pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def start_empty(kind: str, *, sqlite_path: Path | str = "", pg_name: str = "") -> None:
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {pg_name}"))
    admin.dispose()
