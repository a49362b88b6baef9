"""A PostgreSQL instance of the test's own, for tests that restart the database.

Never the machine's shared cluster: ``initdb`` into a fresh directory (owned by the
``postgres`` user, since PostgreSQL refuses to run as root), its own loopback port and
socket directory, trust authentication on 127.0.0.1 only. fsync is off: the instance lives
for one test and is only ever stopped cleanly.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dnsmate.dev.pdns_local import free_port

BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "dnsmate"


def _as_postgres(command: list[str]) -> list[str]:
    return command if os.getuid() != 0 else ["runuser", "-u", "postgres", "--", *command]


@dataclass
class LocalPostgres:
    """``initdb`` + ``pg_ctl`` on 127.0.0.1:``port``; ``restart()`` is the fault."""

    port: int = field(default_factory=free_port)
    directory: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def _data(self) -> Path:
        assert self.directory is not None
        return self.directory / "data"

    def _run(self, *command: str) -> None:
        done = subprocess.run(_as_postgres(list(command)), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr}{done.stdout}\n{self.log()}")

    def start(self) -> None:
        if not (BIN / "initdb").exists():
            pytest.skip(f"{BIN}/initdb missing (apt-get install postgresql-15)")
        self.directory = Path(tempfile.mkdtemp(prefix="dnsmate-test-pg-"))
        if os.getuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run(str(BIN / "initdb"), "--auth=trust", "--username=postgres",
                  "--encoding=UTF8", "--no-sync", f"--pgdata={self._data}")  # fmt: skip
        self._pg_ctl("start")
        self._run(str(BIN / "psql"), "--no-psqlrc", "-q", "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", "-c", f"CREATE DATABASE {DATABASE}")  # fmt: skip

    def _pg_ctl(self, action: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(str(BIN / "pg_ctl"), action, "-w", "-t", "60", "-m", "fast",
                  f"--pgdata={self._data}", f"--log={self.directory}/postgres.log",
                  "-o", options)  # fmt: skip

    def restart(self) -> None:
        """Stop (fast: every session is cut) and start again, as an operator's restart."""
        self._pg_ctl("restart")

    def stop(self) -> None:
        if self.directory is None:
            return
        if (self._data / "postmaster.pid").exists():
            subprocess.run(
                _as_postgres([str(BIN / "pg_ctl"), "stop", "-w", "-m", "immediate",
                              f"--pgdata={self._data}"]),
                capture_output=True,
            )  # fmt: skip
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None

    def log(self) -> str:
        path = self.directory / "postgres.log" if self.directory else None
        return path.read_text(errors="replace")[-3000:] if path and path.exists() else ""
