"""Kea's DHCP-DDNS server (kea-dhcp-ddns) on loopback, and a NameChangeRequest sender.

A Kea DHCP server tells D2 about leases with NameChangeRequests; here the test plays the
DHCP server: ``send_ncr`` sends one over D2's UDP listener in the JSON format (a two-byte
length, then the JSON text), and D2 sends the forward and reverse DNS UPDATEs, signed with
the TSIG key, to DNSMate's listener.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

from dnsmate.dev.pdns_local import stop_process

KEA_D2 = shutil.which("kea-dhcp-ddns") or "/usr/sbin/kea-dhcp-ddns"


def d2_config(
    *, ncr_port: int, dns_port: int, key: dict[str, str], forward: str, reverse: str
) -> dict[str, Any]:
    """A D2 configuration sending updates for ``forward`` and ``reverse`` to DNSMate."""
    server = [{"ip-address": "127.0.0.1", "port": dns_port}]
    return {
        "DhcpDdns": {
            "ip-address": "127.0.0.1",
            "port": ncr_port,
            "dns-server-timeout": 10000,
            "ncr-protocol": "UDP",
            "ncr-format": "JSON",
            "tsig-keys": [key],
            "forward-ddns": {
                "ddns-domains": [{"name": forward, "key-name": key["name"], "dns-servers": server}]
            },
            "reverse-ddns": {
                "ddns-domains": [{"name": reverse, "key-name": key["name"], "dns-servers": server}]
            },
            "loggers": [
                {
                    "name": "kea-dhcp-ddns",
                    "severity": "DEBUG",
                    "debuglevel": 40,
                    "output_options": [{"output": "stdout"}],
                }
            ],
        }
    }


class KeaD2:
    """One kea-dhcp-ddns process with its own directory (config, pid and lock files)."""

    def __init__(self, workdir: Path, config: dict[str, Any]) -> None:
        self.workdir = workdir
        self.config_path = workdir / "kea-dhcp-ddns.conf"
        self.log_path = workdir / "kea-dhcp-ddns.log"
        self.port = int(config["DhcpDdns"]["port"])
        workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(json.dumps(config, indent=2))
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = os.environ | {
            "KEA_PIDFILE_DIR": str(self.workdir),
            "KEA_LOCKFILE_DIR": str(self.workdir),
            "KEA_LOGGER_DESTINATION": str(self.log_path),
        }
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [KEA_D2, "-c", str(self.config_path)], stdout=log, stderr=log, env=env
        )
        # D2 logs DHCP_DDNS_STARTED before it binds the NameChangeRequest listener, and a
        # request sent in between is lost: wait for the listener itself.
        deadline = time.monotonic() + 30
        while "DHCP_DDNS_QUEUE_MGR_STARTED" not in self.log():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"kea-dhcp-ddns did not start:\n{self.log()}")
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_process(process, "kea-dhcp-ddns", 10)

    def send_ncr(
        self, *, add: bool, fqdn: str, address: str, dhcid: str, lease_seconds: int = 3600
    ) -> None:
        """Send one NameChangeRequest (forward and reverse) as a DHCP server would."""
        request = {
            "change-type": 0 if add else 1,
            "forward-change": True,
            "reverse-change": True,
            "fqdn": fqdn,
            "ip-address": address,
            "dhcid": dhcid,
            "lease-expires-on": time.strftime(
                "%Y%m%d%H%M%S", time.gmtime(time.time() + lease_seconds)
            ),
            "lease-length": lease_seconds,
            "use-conflict-resolution": True,
        }
        text = json.dumps(request).encode()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(struct.pack("!H", len(text)) + text, ("127.0.0.1", self.port))
