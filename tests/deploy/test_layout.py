"""deploy/ as shipped: systemd units that systemd accepts, and nginx over TLS in front of two
DNSMate processes on PostgreSQL that keep answering through a rolling restart."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from dnsmate.migrations import downgrade
from tests.conftest import POSTGRES_URL
from tests.deploy.layout import deployed, deployment_environment, wait_ready
from tests.deploy.nginx import REPO

UNITS = REPO / "deploy" / "systemd"


def _installed_units(directory: Path) -> list[Path]:
    """The units with the paths of this checkout in place of /opt/dnsmate and /etc/dnsmate."""
    dnsmate = Path(sys.executable).parent / "dnsmate"
    paths = []
    for unit in sorted(UNITS.glob("*.service")):
        text = unit.read_text()
        text = text.replace("/opt/dnsmate/.venv/bin/dnsmate", str(dnsmate))
        text = text.replace("/etc/dnsmate/dnsmate.env", str(REPO / "deploy/dnsmate.env.example"))
        name = unit.name.replace("@.", "@8001.")  # an instance of the template
        (directory / name).write_text(text)
        paths.append(directory / name)
    return paths


def test_systemd_units_pass_verify_and_the_security_audit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    units = _installed_units(tmp_path)
    assert {u.name for u in units} == {"dnsmate@8001.service", "dnsmate-migrate.service"}
    verify = subprocess.run(
        [analyze, "verify", "--man=no", *map(str, units)], capture_output=True, text=True
    )
    # systemd only warns about a misspelt or unknown option: any output is a defect.
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr
    for unit in units:
        audit = subprocess.run(
            [analyze, "security", "--offline=yes", "--no-pager", "--threshold=25", str(unit)],
            capture_output=True, text=True,
        )  # fmt: skip
        # Exposure 2.5 or less out of 10 ("OK"); the options make it about 1.7.
        assert audit.returncode == 0, audit.stdout[-600:] + audit.stderr


def alerted_metrics() -> set[str]:
    """The metric names deploy/prometheus/dnsmate-alerts.yml uses."""
    rules = yaml.safe_load((REPO / "deploy/prometheus/dnsmate-alerts.yml").read_text())
    names = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            names |= set(re.findall(r"\b(dnsmate_[a-z_]+|up)\b", rule["expr"]))
    return names


def _upgrade_command(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``dnsmate db upgrade`` with the deployment's environment (the migration step)."""
    return subprocess.run(
        [sys.executable, "-m", "dnsmate.cli", "db", "upgrade"],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_nginx_terminates_tls_and_a_rolling_restart_drops_no_request(
    tmp_path: Path,
) -> None:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not available: DNSMATE_TEST_POSTGRES_URL is unset")
    await asyncio.to_thread(downgrade, POSTGRES_URL, "base")
    environment = deployment_environment(POSTGRES_URL)
    with deployed(tmp_path, count=2, environment=environment) as deployment:
        nginx = deployment.nginx
        async with httpx.AsyncClient() as anyone:
            plain = await anyone.get(f"http://127.0.0.1:{nginx.http_port}/api/health")
            with pytest.raises(httpx.ConnectError):  # the certificate is checked, not ignored
                await anyone.get(f"{nginx.url}/api/health")
        assert plain.status_code == 301
        assert plain.headers["location"] == "https://127.0.0.1/api/health"

        token = deployment.login()
        async with nginx.client(token=token) as client:
            ready = await client.get("/api/ready")
            assert ready.status_code == 200 and ready.json()["status"] == "ready", ready.text
            assert (await client.get("/metrics")).status_code == 404  # per process only
            direct = await client.get(f"{deployment.processes[0].url}/metrics")
            assert direct.status_code == 200 and "dnsmate_" in direct.text
            exposed = {f.name for f in text_string_to_metric_families(direct.text)}
            exposed |= {s.name for f in text_string_to_metric_families(direct.text)
                        for s in f.samples}  # fmt: skip
            assert alerted_metrics() <= exposed | {"up"}, alerted_metrics() - exposed

            # The upgrade procedure: migrate once, then restart one process at a time,
            # while a client keeps reading through nginx.
            upgrade = _upgrade_command(environment)
            assert upgrade.returncode == 0, upgrade.stderr
            statuses: list[int] = []
            stop = asyncio.Event()

            async def keep_reading() -> None:
                while not stop.is_set():
                    statuses.append((await client.get("/api/auth/me")).status_code)

            reader = asyncio.create_task(keep_reading())
            for process in deployment.processes:
                await asyncio.to_thread(process.stop)
                await asyncio.sleep(0.5)  # requests arrive while it is down
                await asyncio.to_thread(process.start)
                await asyncio.to_thread(wait_ready, process, time.monotonic() + 90)
            await asyncio.sleep(0.5)
            stop.set()
            await reader
    assert statuses and set(statuses) == {200}, (len(statuses), sorted(set(statuses)))
