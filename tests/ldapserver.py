"""A real OpenLDAP ``slapd`` for the tests: its own config directory, a loopback port for
``ldap://`` (StartTLS offered) and one for ``ldaps://``, a certificate from a CA made for
the run, and a directory loaded from LDIF with ``slapadd`` (users and nested groups).

The directory (suffix ``dc=example,dc=org``):

- users ``alice`` (admins), ``bob`` (team-a, nested in dns-managers), ``carol`` (no
  group), ``dave`` (ops, nested in sre, nested in dns-editors); every password is
  ``<uid>-secret-pass``.
- the service account ``cn=dnsmate,ou=services,dc=example,dc=org`` (``service-secret``).
"""

from __future__ import annotations

import datetime
import ipaddress
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

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SUFFIX = "dc=example,dc=org"
SERVICE_DN = f"cn=dnsmate,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"
USERS = ("alice", "bob", "carol", "dave")


def group_dn(name: str) -> str:
    return f"cn={name},ou=groups,{SUFFIX}"


def user_dn(uid: str) -> str:
    return f"uid={uid},ou=people,{SUFFIX}"


def password_of(uid: str) -> str:
    return f"{uid}-secret-pass"


# group -> members (users by uid, groups by "group:<name>")
GROUPS: dict[str, list[str]] = {
    "dns-admins": ["alice"],
    "team-a": ["bob"],
    "dns-managers": ["group:team-a"],
    "ops": ["dave"],
    "sre": ["group:ops"],
    "dns-editors": ["group:sre"],
}


def _ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people",
        f"dn: ou=groups,{SUFFIX}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services",
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: dnsmate\nuserPassword: {SERVICE_PASSWORD}",
    ]
    for uid in USERS:
        entries.append(
            f"dn: {user_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid.title()}\n"
            f"sn: {uid.title()}\nmail: {uid}@example.org\nuserPassword: {password_of(uid)}"
        )
    for name, members in GROUPS.items():
        lines = [f"dn: {group_dn(name)}", "objectClass: groupOfNames", f"cn: {name}"]
        for member in members:
            kind, _, value = member.partition(":")
            lines.append(f"member: {group_dn(value) if kind == 'group' else user_dn(member)}")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + "\n"


def _certificates(directory: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 and localhost signed by it (PEM files)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "DNSMate test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = (directory / n for n in ("ca.pem", "server.pem", "key.pem"))
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return ca_file, cert_file, key_file


@dataclass
class Slapd:
    """A running slapd; ``stop()`` ends it."""

    process: subprocess.Popen[bytes]
    port: int
    tls_port: int
    ca_file: Path
    directory: Path

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    def stop(self) -> None:
        stop_process(self.process, "slapd", 10)


def available() -> str | None:
    """None when slapd can run here, else why not."""
    if not SLAPD.exists() or not SLAPADD.exists():
        return "slapd is not installed (apt-get install slapd ldap-utils; scripts/setup.sh)"
    return None


def start_slapd(directory: Path) -> Slapd:
    """Configure, load and start a slapd under ``directory``; ready when it accepts binds."""
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    data.mkdir()
    ca_file, cert_file, key_file = _certificates(directory)
    schemas = ("core", "cosine", "inetorgperson", "nis")
    config = directory / "slapd.conf"
    config.write_text(
        "\n".join(
            [
                *(f"include /etc/ldap/schema/{s}.schema" for s in schemas),
                f"pidfile {directory / 'slapd.pid'}",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                f"TLSCACertificateFile {ca_file}",
                f"TLSCertificateFile {cert_file}",
                f"TLSCertificateKeyFile {key_file}",
                "database mdb",
                "maxsize 10485760",
                f"suffix {SUFFIX}",
                f"rootdn cn=root,{SUFFIX}",
                f"directory {data}",
                "access to attrs=userPassword by self read by anonymous auth by * none",
                f'access to * by dn.exact="{SERVICE_DN}" read by self read by * none',
                "",
            ]
        )
    )
    ldif = directory / "directory.ldif"
    ldif.write_text(_ldif())
    subprocess.run(
        [str(SLAPADD), "-f", str(config), "-l", str(ldif)], check=True, capture_output=True
    )
    port, tls_port = free_port(), free_port()
    urls = f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
    log = (directory / "slapd.log").open("wb")
    process = subprocess.Popen(
        [str(SLAPD), "-f", str(config), "-h", urls, "-d", "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Slapd(process, port, tls_port, ca_file, directory)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited: {(directory / 'slapd.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("slapd did not start listening within 20 s")


def remove(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
