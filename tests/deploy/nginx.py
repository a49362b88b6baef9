"""The shipped nginx site (deploy/nginx/dnsmate.conf) run by the tests on loopback ports.

The file is used as shipped except for what differs on a test machine: the listen
addresses become loopback ports, the upstream lists the test's DNSMate processes and the
certificate is one the test made. A minimal main ``nginx.conf`` around it keeps pid, logs
and temporary files in the test's directory; nginx runs in the foreground.
"""

from __future__ import annotations

import re
import shutil
import signal
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from dnsmate.dev.pdns_local import die_with_parent, free_port

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "deploy" / "nginx" / "dnsmate.conf"
NGINX = "/usr/sbin/nginx"
_UPSTREAM_SERVER = re.compile(r"^(\s*)server 127\.0\.0\.1:\d+ (.*);$", re.MULTILINE)


def require_nginx() -> str:
    """The nginx binary; skips the test when it is missing (scripts/setup.sh installs it)."""
    found = shutil.which("nginx") or (NGINX if Path(NGINX).exists() else None)
    if found is None:
        pytest.skip("nginx not installed (apt-get install nginx; scripts/setup.sh does it)")
    return found


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, valid for a day."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def site_config(*, upstream_ports: list[int], http_port: int, https_port: int,
                cert: Path, key: Path) -> str:  # fmt: skip
    """deploy/nginx/dnsmate.conf with the test's ports and certificate."""
    text = SITE.read_text()
    options = _UPSTREAM_SERVER.findall(text)
    assert options, "deploy/nginx/dnsmate.conf has no upstream server lines"
    indent, option = options[0]
    servers = "".join(f"{indent}server 127.0.0.1:{p} {option};\n" for p in upstream_ports)
    text = _UPSTREAM_SERVER.sub("", text, count=len(options) - 1)
    text = _UPSTREAM_SERVER.sub(servers.rstrip("\n"), text, count=1)
    replacements = {
        "    listen 80;\n": f"    listen 127.0.0.1:{http_port};\n",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        "/etc/ssl/dnsmate/fullchain.pem": str(cert),
        "/etc/ssl/dnsmate/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/dnsmate.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return text


@dataclass
class Nginx:
    """nginx in the foreground serving the shipped site in front of ``upstream_ports``."""

    workdir: Path
    upstream_ports: list[int]
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def cert(self) -> Path:
        return self.workdir / "tls" / "fullchain.pem"

    def start(self) -> None:
        binary = require_nginx()
        self.workdir.mkdir(parents=True, exist_ok=True)
        cert, key = make_certificate(self.workdir / "tls")
        site = site_config(upstream_ports=self.upstream_ports, http_port=self.http_port,
                           https_port=self.https_port, cert=cert, key=key)  # fmt: skip
        (self.workdir / "dnsmate.conf").write_text(site)
        temp = self.workdir / "tmp"
        temp.mkdir(exist_ok=True)
        main = f"""
user root;
worker_processes 1;
pid {self.workdir}/nginx.pid;
error_log {self.workdir}/error.log info;
events {{ worker_connections 512; }}
http {{
    access_log {self.workdir}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.workdir}/dnsmate.conf;
}}
"""
        (self.workdir / "nginx.conf").write_text(main)
        command = [binary, "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "stderr.log").open("ab"),
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.log_tail()}")
            try:
                httpx.get(f"http://127.0.0.1:{self.http_port}/", timeout=1)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {self.log_tail()}") from None
                time.sleep(0.05)

    def ssl_context(self) -> ssl.SSLContext:
        """A client TLS context that trusts the test certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.cert))

    def client(self, *, source: str = "127.0.0.1", token: str | None = None) -> httpx.AsyncClient:
        """A client of DNSMate through nginx over TLS, connecting from ``source``."""
        transport = httpx.AsyncHTTPTransport(verify=self.ssl_context(), local_address=source)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(
            base_url=self.url, transport=transport, headers=headers, timeout=60
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGQUIT)  # graceful: finish requests in flight
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log_tail(self, lines: int = 40) -> str:
        path = self.workdir / "error.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
