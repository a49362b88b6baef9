"""Backup and restore of DNSMate's own database (users, tokens, queue, versions, audit...).

Not the zones (``backup.py`` archives those from PowerDNS): this is what DNSMate itself
knows. One file per backup, in the database's native form:

- SQLite: a copy made with SQLite's online backup API (consistent while DNSMate runs), a
  plain SQLite database file;
- PostgreSQL: ``pg_dump --format=custom`` (consistent: one snapshot), restored with
  ``pg_restore``.

A restore replaces everything in the target database with the backup's content and then
applies the migrations, so a backup of an older DNSMate comes back at the current schema.
Stop every DNSMate process first. The secret key is not in the backup: the restored
instance needs the same ``DNSMATE_SECRET_KEY`` to read the stored PowerDNS API keys and to
accept the tokens it issued.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from dnsmate.migrations import upgrade
from dnsmate.services.errors import DNSMateError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class DatabaseBackupError(DNSMateError):
    """A backup or restore could not be made; the message says why."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int


def _kind(database_url: str) -> str:
    backend = make_url(database_url).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseBackupError(f"unsupported database {backend!r}")
    return backend


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise DatabaseBackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq_environment(database_url: str) -> dict[str, str]:
    """PG* variables for pg_dump/pg_restore (the password never on a command line)."""
    url = make_url(database_url)
    values = {
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }
    return {**os.environ, **{k: v for k, v in values.items() if v}}


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DatabaseBackupError(f"{name} not found: install postgresql-client")
    return found


def _run(command: list[str], database_url: str) -> None:
    try:
        done = subprocess.run(
            command, env=_libpq_environment(database_url), capture_output=True, text=True
        )
    except OSError as exc:
        raise DatabaseBackupError(f"{command[0]}: {exc}") from exc
    if done.returncode != 0:
        raise DatabaseBackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup_database(*, database_url: str, path: Path) -> BackupInfo:
    """Write a consistent backup of the database to ``path`` (replaced when complete)."""
    kind = _kind(database_url)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    if kind == "sqlite":
        source_path = _sqlite_path(database_url)
        if not source_path.exists():
            raise DatabaseBackupError(f"no database at {source_path}")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise DatabaseBackupError(f"SQLite backup failed: {exc}") from exc
        finally:
            target.close()
            source.close()
    else:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={partial}"], database_url)  # fmt: skip
    partial.replace(path)
    return BackupInfo(path=path, kind=kind, size=path.stat().st_size)


def backup_kind(path: Path) -> str:
    """ "sqlite" or "postgresql", from the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseBackupError(f"cannot read {path}: {exc.strerror}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise DatabaseBackupError(f"{path} is not a DNSMate database backup")


def restore_database(*, database_url: str, path: Path) -> BackupInfo:
    """Replace the database's content with the backup at ``path``, then migrate to head."""
    kind = _kind(database_url)
    found = backup_kind(path)
    if found != kind:
        raise DatabaseBackupError(
            f"{path} is a {found} backup; DNSMATE_DATABASE_URL is a {kind} database"
        )
    if kind == "sqlite":
        _restore_sqlite(path, _sqlite_path(database_url))
    else:
        _restore_postgres(path, database_url)
    upgrade(database_url)
    return BackupInfo(path=path, kind=kind, size=path.stat().st_size)


def _restore_sqlite(path: Path, target_path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise DatabaseBackupError(f"{path} is damaged (SQLite integrity check failed)")
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)  # replaces every page of the target, in one transaction
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise DatabaseBackupError(f"SQLite restore failed: {exc}") from exc
    finally:
        source.close()


# Every table, view and sequence of the current schema, dropped before pg_restore recreates
# them (pg_restore --clean would leave tables a later migration added).
_DROP_EVERYTHING = """
DO $$
DECLARE item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
    END LOOP;
    FOR item IN SELECT sequence_name FROM information_schema.sequences
                WHERE sequence_schema = current_schema() LOOP
        EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', item.sequence_name);
    END LOOP;
END $$;
"""


def _restore_postgres(path: Path, database_url: str) -> None:
    """Drop everything and load the backup in ONE transaction: a failure changes nothing."""
    with tempfile.TemporaryDirectory(prefix="dnsmate-restore-") as directory:
        script = Path(directory) / "restore.sql"
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}",
              str(path)], database_url)  # fmt: skip
        _run([_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
              "--set=ON_ERROR_STOP=1", "--command", _DROP_EVERYTHING, "--file", str(script)],
             database_url)  # fmt: skip
