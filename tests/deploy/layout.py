"""The production layout of deploy/ started by a test: N DNSMate processes behind nginx.

The processes get the variables of deploy/dnsmate.env.example (the database URL replaced
by the test's, the first admin added), each its own port and data directory, like the
dnsmate@PORT systemd units; nginx runs the shipped site in front of them over TLS.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.deploy.nginx import REPO, Nginx
from tests.integration.processes import DNSMateProcess

ENV_EXAMPLE = REPO / "deploy" / "dnsmate.env.example"
START_TIMEOUT = 90.0


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines as systemd's EnvironmentFile= reads them (no quotes used here)."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def deployment_environment(database_url: str, **overrides: str) -> dict[str, str]:
    """The example environment file's values, for the test's database, plus ``overrides``."""
    environment = read_env_file(ENV_EXAMPLE)
    environment.update(
        DNSMATE_DATABASE_URL=database_url,
        DNSMATE_SECRET_KEY=secrets.token_urlsafe(48),
        DNSMATE_ADMIN_EMAIL=ADMIN_EMAIL,
        DNSMATE_ADMIN_PASSWORD=ADMIN_PASSWORD,
        DNSMATE_FRONTEND_DIST=str(REPO / "no-frontend-in-these-tests"),
    )
    environment.update(overrides)
    return environment


@dataclass
class Deployment:
    """The processes and the proxy in front of them."""

    processes: list[DNSMateProcess]
    nginx: Nginx

    def login(self, *, source: str = "127.0.0.1") -> str:
        """An admin bearer token, obtained through nginx."""
        transport = httpx.HTTPTransport(verify=self.nginx.ssl_context(), local_address=source)
        with httpx.Client(transport=transport) as client:
            response = client.post(
                f"{self.nginx.url}/api/auth/login",
                json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                timeout=30,
            )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def logs(self) -> str:
        return "\n".join(f"{p.name}:\n{p.log_tail(80)}" for p in self.processes) + (
            f"\nnginx:\n{self.nginx.log_tail()}"
        )


def wait_ready(process: DNSMateProcess, deadline: float) -> None:
    """Poll the process's own /api/ready until 200 (as deploy/rolling-restart.sh does)."""
    process.wait_healthy(deadline, path="/api/ready")


@contextmanager
def deployed(workdir: Path, *, count: int, environment: dict[str, str]) -> Iterator[Deployment]:
    """Start ``count`` DNSMate processes and nginx; stop everything afterwards."""
    processes = [
        DNSMateProcess(
            name=f"dnsmate-{i}", workdir=workdir / f"dnsmate-{i}", environment=environment
        )
        for i in range(1, count + 1)
    ]
    nginx = Nginx(workdir / "nginx", upstream_ports=[p.port for p in processes])
    try:
        for process in processes:
            process.start()
        deadline = time.monotonic() + START_TIMEOUT
        for process in processes:
            wait_ready(process, deadline)
        nginx.start()
        yield Deployment(processes, nginx)
    finally:
        nginx.stop()
        for process in processes:
            process.stop()
