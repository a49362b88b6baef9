"""An ACME certificate authority and client on loopback: pebble (the ACME test server) and
lego (the Go ACME client Traefik uses), both from Debian.

``Pebble`` runs one pebble process: its HTTPS listener on a free loopback port with a TLS
certificate made here (Debian's package does not ship pebble's test certificates), and
``-dnsserver`` pointing at one PowerDNS server, where pebble looks up the DNS-01 challenge
TXT record. ``run_lego`` runs ``lego run`` with a DNS provider and returns its exit status,
output and the certificate it wrote.
"""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dnsmate.dev.pdns_local import free_port, stop_process

PEBBLE = shutil.which("pebble") or "/usr/bin/pebble"
LEGO = shutil.which("lego") or "/usr/bin/lego"
START_TIMEOUT = 30.0
LEGO_TIMEOUT = 180.0


def write_tls_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost (pebble's HTTPS listener) and
    its key; lego trusts the certificate itself as its CA (``LEGO_CA_CERTIFICATES``)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pebble on loopback")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "pebble-cert.pem", directory / "pebble-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Pebble:
    """One pebble process with its own directory (configuration, TLS certificate, log)."""

    def __init__(self, workdir: Path, dns_server: str) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.dns_server = dns_server
        self.port = free_port()
        self.ca_certificate, key = write_tls_certificate(workdir)
        self.config_path = workdir / "pebble-config.json"
        self.log_path = workdir / "pebble.log"
        config = {
            "pebble": {
                "listenAddress": f"127.0.0.1:{self.port}",
                "managementListenAddress": f"127.0.0.1:{free_port()}",
                "certificate": str(self.ca_certificate),
                "privateKey": str(key),
                # Only used by HTTP-01 and TLS-ALPN-01 validation, which these tests do not use.
                "httpPort": free_port(),
                "tlsPort": free_port(),
                "ocspResponderURL": "",
                "externalAccountBindingRequired": False,
            }
        }
        self.config_path.write_text(json.dumps(config, indent=2))
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def directory_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/dir"

    def start(self) -> None:
        env = os.environ | {
            # Validate at once (no random 0-15 s sleep), never reject a good nonce, and
            # never reuse an authorization: every run validates a fresh challenge.
            "PEBBLE_VA_NOSLEEP": "1",
            "PEBBLE_WFE_NONCEREJECT": "0",
            "PEBBLE_AUTHZREUSE": "0",
        }
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [PEBBLE, "-config", str(self.config_path), "-dnsserver", self.dns_server],
            stdout=log,
            stderr=log,
            env=env,
            cwd=self.workdir,
        )
        log.close()
        # pebble logs "Listening on" before it binds: wait for the port to accept.
        deadline = time.monotonic() + START_TIMEOUT
        while not self._accepts():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"pebble did not start:\n{self.log()}")
            time.sleep(0.05)

    def _accepts(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_process(process, "pebble", 10)


@dataclass
class LegoRun:
    returncode: int
    output: str
    certificate: Path


async def run_lego(
    pebble: Pebble, workdir: Path, domain: str, provider: str, resolver: str, **env: str
) -> LegoRun:
    """``lego run`` for ``domain`` against ``pebble`` with the DNS-01 ``provider`` (its
    settings in ``env``), resolving the zone's SOA and checking the TXT record at
    ``resolver`` (host:port) without waiting for every authoritative server (there is no
    delegation on loopback)."""
    args = [
        LEGO,
        "--server", pebble.directory_url,
        "--accept-tos",
        "--email", "acme@dnsmate.test",
        "--path", str(workdir),
        "--domains", domain,
        "--dns", provider,
        "--dns.resolvers", resolver,
        "--dns.disable-cp",
        "--dns-timeout", "10",
        "--http-timeout", "60",
        "--cert.timeout", "60",
        "run",
    ]  # fmt: skip
    environment = os.environ | {"LEGO_CA_CERTIFICATES": str(pebble.ca_certificate)} | env
    process = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=environment,
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), LEGO_TIMEOUT)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return LegoRun(
        process.returncode or 0,
        out.decode(errors="replace"),
        workdir / "certificates" / f"{domain}.crt",
    )


def certificate_names(path: Path) -> list[str]:
    """The DNS names of the first (leaf) certificate in the PEM file ``path``."""
    certificate = x509.load_pem_x509_certificates(path.read_bytes())[0]
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    return names.value.get_values_for_type(x509.DNSName)
