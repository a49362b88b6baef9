"""The demo: three local PowerDNS servers (the seed's scenario 2) and a sample zone.

"Primary PowerDNS" and "Secondary PowerDNS" have multi-server mode on, "Legacy PowerDNS"
has it off, so every write in the demo lands on the first two and not on the third.
"""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.dev.pdns_local import LocalPowerDNS, free_port
from dnsmate.models import PowerDNSSettings
from dnsmate.schemas.settings import PowerDNSSettingsCreate, PowerDNSSettingsUpdate
from dnsmate.security import SecretBox
from dnsmate.services.access.users import bootstrap_admin, count_users
from dnsmate.services.fleet import servers
from dnsmate.services.write.changes import CreateZone, add_record_change
from dnsmate.services.zonedata.zones import build_zone_payload

log = logging.getLogger(__name__)

DEMO_SERVERS = (
    ("Primary PowerDNS", True),
    ("Secondary PowerDNS", True),
    ("Legacy PowerDNS", False),
)
DEMO_ZONE = "example.com"
DEMO_RECORDS = (
    ("@", "A", "192.0.2.10"),
    ("www", "A", "192.0.2.10"),
    ("www", "A", "192.0.2.11"),
    ("@", "MX", "10 mail.example.com."),
    ("mail", "A", "192.0.2.20"),
    ("@", "TXT", "v=spf1 mx -all"),
)


@dataclass
class DemoState:
    """Ports and keys of the demo servers and the demo login, kept across restarts."""

    servers: list[dict[str, object]]
    email: str
    password: str

    @classmethod
    def load_or_create(cls, path: Path) -> DemoState:
        if path.exists():
            return cls(**json.loads(path.read_text()))
        state = cls(
            servers=[
                {
                    "name": name,
                    "dns_port": free_port(),
                    "api_port": free_port(),
                    "api_key": secrets.token_urlsafe(24),
                }
                for name, _ in DEMO_SERVERS
            ],
            email="admin@dnsmate.local",
            password=secrets.token_urlsafe(12),
        )
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(json.dumps(state.__dict__, indent=2))
        return state


def start_demo_servers(data_dir: Path) -> tuple[DemoState, list[LocalPowerDNS]]:
    """Start (or restart) the three demo PowerDNS servers under ``data_dir/demo``."""
    state = DemoState.load_or_create(data_dir / "demo" / "state.json")
    running = []
    for spec in state.servers:
        server = LocalPowerDNS(
            name=str(spec["name"]),
            workdir=data_dir / "demo" / str(spec["name"]).split()[0].lower(),
            api_key=str(spec["api_key"]),
            dns_port=int(str(spec["dns_port"])),
            api_port=int(str(spec["api_port"])),
        )
        server.start()
        running.append(server)
    return state, running


async def configure_demo(
    *,
    session: AsyncSession,
    box: SecretBox,
    state: DemoState,
    pdns: list[LocalPowerDNS],
    pool: servers.ClientPool,
) -> None:
    """Register the demo servers, the demo admin and the sample zone (idempotent)."""
    if await count_users(session) == 0:
        await bootstrap_admin(session=session, email=state.email, password=state.password)
    existing = {row.name: row for row in await servers.list_servers(session)}
    for (name, multi_mode), server in zip(DEMO_SERVERS, pdns, strict=True):
        row: PowerDNSSettings | None = existing.get(name)
        if row is None:
            await servers.create_server(
                session=session,
                box=box,
                data=PowerDNSSettingsCreate(
                    name=name,
                    api_url=server.api_url,
                    api_key=server.api_key,  # type: ignore[arg-type]
                    multi_server_mode=multi_mode,
                    is_default=name == DEMO_SERVERS[0][0],
                ),
            )
        else:
            await servers.update_server(
                session=session,
                box=box,
                server_id=row.id,
                data=PowerDNSSettingsUpdate(api_url=server.api_url, api_key=server.api_key),  # type: ignore[arg-type]
            )
    multi = await servers.build_multi(session=session, pool=pool)
    payload = build_zone_payload(
        name=DEMO_ZONE,
        kind="Native",
        nameservers=["ns1.example.com.", "ns2.example.com."],
        masters=[],
    )
    # Sample data before anyone uses DNSMate: applied directly, without audit or versions.
    result = await multi.execute(CreateZone(zone=payload["name"], payload=payload).apply)
    if result.any_succeeded:
        for name, rtype, content in DEMO_RECORDS:
            change = add_record_change(
                zone=DEMO_ZONE, name=name, rtype=rtype, content=content, ttl=3600
            )
            await multi.execute(change.apply)
