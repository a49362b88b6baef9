"""DNSMate as separate operating-system processes (``python -m dnsmate.cli serve``).

For tests about several DNSMate processes sharing one PostgreSQL database: each process has
its own loopback port, data directory and log file; they share the database and the secret
key (tokens and stored PowerDNS keys must be readable by all of them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from dnsmate.dev.pdns_local import die_with_parent, free_port, stop_process
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

_STOP_TIMEOUT = 10.0


@dataclass
class DNSMateProcess:
    """One ``dnsmate serve`` child process on 127.0.0.1:``port``."""

    name: str
    workdir: Path
    environment: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "dnsmate.log"

    def start(self) -> None:
        """Spawn the process (it migrates the database, then serves); does not wait."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        env = {**os.environ, **self.environment, "DNSMATE_DATA_DIR": str(self.workdir)}
        command = ["-m", "dnsmate.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [sys.executable, *command],
            cwd=self.workdir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # no orphan if pytest itself is killed
        )

    def wait_healthy(self, deadline: float, path: str = "/api/health") -> None:
        """Poll ``GET path`` until it answers 200; fail with the log tail otherwise."""
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}\n{self.log_tail()}"
                )
            try:
                if httpx.get(f"{self.url}{path}", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: no 200 from {path}\n{self.log_tail()}")
            time.sleep(0.1)

    def client(self) -> httpx.AsyncClient:
        """An async client logged in as the bootstrap admin on this process."""
        response = httpx.post(
            f"{self.url}/api/auth/login",
            json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
        return httpx.AsyncClient(
            base_url=self.url, headers={"Authorization": f"Bearer {token}"}, timeout=60
        )

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after a grace period. Safe to call repeatedly."""
        process, self.process = self.process, None
        stop_process(process, self.name, _STOP_TIMEOUT)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        tail = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"
