"""Run a local PowerDNS Authoritative server as a child process.

Used by the integration tests and by ``dnsmate demo``. Each :class:`LocalPowerDNS`
owns one directory holding its ``pdns.conf``, its SQLite database (``pdns.sqlite3``),
its control socket and its log (``pdns.log``). The DNS listener binds to
``127.0.0.1:dns_port`` (UDP and TCP) and the HTTP API to ``127.0.0.1:api_port``.

Ports are chosen once, when the object is created, and the database is kept on
disk, so ``stop()`` followed by ``start()`` brings back the same server with the
same data, like a real outage and recovery.

All of PowerDNS's caches are switched off (see :data:`NO_CACHE_SETTINGS`), so a DNS
query sent right after an API write sees the write.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx

logger = logging.getLogger(__name__)

SCHEMA_PATH = Path("/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql")
"""The gsqlite3 schema shipped by Debian's pdns-backend-sqlite3 package."""

_PDNS_SERVER_CANDIDATES = ("/usr/sbin/pdns_server", "/usr/local/sbin/pdns_server")

NO_CACHE_SETTINGS: dict[str, str] = {
    # Packet cache: whole answers, 20 s by default.
    "cache-ttl": "0",
    # Query cache: backend lookups (positive 20 s, negative 60 s by default).
    "query-cache-ttl": "0",
    "negquery-cache-ttl": "0",
    # Zone cache: the list of zones, refreshed every 300 s by default.
    "zone-cache-refresh-interval": "0",
    # Per-zone metadata (API-RECTIFY, SOA-EDIT, ...) and DNSSEC keys.
    "zone-metadata-cache-ttl": "0",
    "dnssec-key-cache-ttl": "0",
}
"""pdns.conf settings that make every DNS answer reflect the database right now."""

_WEBSERVER_BIND_FAILED = "Listening on HTTP socket failed"
_STOP_TIMEOUT = 5.0
_LOG_TAIL_LINES = 40
_PR_SET_PDEATHSIG = 1
# Unix socket paths are limited to 108 bytes including the terminating NUL.
_MAX_SOCKET_PATH = 107

_ports_handed_out: set[int] = set()
_ports_lock = threading.Lock()


def find_pdns_server() -> str | None:
    """Return the path of the ``pdns_server`` binary, or ``None`` if it is not installed."""
    found = shutil.which("pdns_server")
    if found:
        return found
    for candidate in _PDNS_SERVER_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _is_free(port: int) -> bool:
    """True if ``port`` can be bound on 127.0.0.1 for both TCP and UDP."""
    kinds = (socket.SOCK_STREAM, socket.SOCK_DGRAM)
    try:
        for kind in kinds:
            with socket.socket(socket.AF_INET, kind) as sock:
                sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    return True


def free_port() -> int:
    """Return a port that is free on 127.0.0.1 for both TCP and UDP.

    The port is picked at random *below* the kernel's ephemeral range, so that no
    outgoing connection can take it while a server using it is stopped and about
    to be restarted. A port is never handed out twice by one process.
    """
    low_ephemeral, _ = _ephemeral_range()
    low, high = 10000, max(10001, low_ephemeral - 1)
    with _ports_lock:
        for _ in range(200):
            port = random.randint(low, high)
            if port not in _ports_handed_out and _is_free(port):
                _ports_handed_out.add(port)
                return port
        # Fall back on the kernel's choice.
        for _ in range(50):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
            if port not in _ports_handed_out and _is_free(port):
                _ports_handed_out.add(port)
                return port
    raise RuntimeError("could not find a free TCP+UDP port on 127.0.0.1")


def _listens_on(pid: int, port: int) -> bool:
    """True if process ``pid`` holds a TCP socket listening on 127.0.0.1:``port``.

    Tells our server's API apart from another process that answers on the same
    port. Returns True where /proc is not available.
    """
    local = f"0100007F:{port:04X}"
    inodes: set[str] = set()
    try:
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1] == local and fields[3] == "0A":  # 0A = LISTEN
                inodes.add(fields[9])
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except (OSError, IndexError):
        return True
    for fd in fds:
        with contextlib.suppress(OSError):
            if os.readlink(fd).removeprefix("socket:[").removesuffix("]") in inodes:
                return True
    return False


def die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Ask Linux to send SIGTERM to the child when the parent dies (preexec_fn)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def stop_process(
    process: subprocess.Popen[bytes] | None, name: str, timeout: float = _STOP_TIMEOUT
) -> None:
    """SIGTERM ``process`` if it still runs, SIGKILL when it has not exited ``timeout``
    seconds later; wait for it either way. Nothing to do for None or an exited process."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        logger.warning("%s did not stop after SIGTERM; killing it", name)
        process.kill()
        process.wait()


@dataclass
class LocalPowerDNS:
    """One PowerDNS Authoritative server (gsqlite3 backend) running on loopback.

    ``dns_port`` and ``api_port`` default to 0, meaning "pick a free port"; the
    choice is made in ``__post_init__`` and kept for the lifetime of the object.
    """

    name: str
    workdir: Path
    api_key: str
    dns_port: int = 0
    api_port: int = 0
    # secondary=yes runs the communicator that transfers Slave and Consumer (catalog) zones
    # from their masters; primary=yes sends NOTIFY and bumps a Producer zone's serial when
    # its members change. Zone transfers OUT need neither (allow-axfr-ips: 127.0.0.0/8).
    secondary: bool = False
    primary: bool = False
    extra_settings: dict[str, str] = field(default_factory=dict)
    _process: subprocess.Popen[bytes] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _log_file: IO[bytes] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.workdir = Path(self.workdir).resolve()
        if self.dns_port == 0:
            self.dns_port = free_port()
        if self.api_port == 0:
            self.api_port = free_port()

    @property
    def api_url(self) -> str:
        """Base URL of the HTTP API, without the ``/api/v1`` suffix."""
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def database_path(self) -> Path:
        return self.workdir / "pdns.sqlite3"

    @property
    def config_path(self) -> Path:
        return self.workdir / "pdns.conf"

    @property
    def log_path(self) -> Path:
        return self.workdir / "pdns.log"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running and self._process is not None else None

    def settings(self) -> dict[str, str]:
        """The ``pdns.conf`` content as a mapping (``extra_settings`` override)."""
        settings = {
            "launch": "gsqlite3",
            "gsqlite3-database": str(self.database_path),
            "gsqlite3-dnssec": "yes",
            "local-address": "127.0.0.1",
            "local-port": str(self.dns_port),
            "api": "yes",
            "api-key": self.api_key,
            "webserver": "yes",
            "webserver-address": "127.0.0.1",
            "webserver-port": str(self.api_port),
            "webserver-allow-from": "127.0.0.1,::1",
            "webserver-loglevel": "none",
            "socket-dir": str(self.workdir),
            "loglevel": "3",
            # No DNS query to secpoll.powerdns.com at start-up.
            "security-poll-suffix": "",
            **NO_CACHE_SETTINGS,
        }
        if self.secondary:
            settings["secondary"] = "yes"
        if self.primary:
            settings["primary"] = "yes"
        settings.update(self.extra_settings)
        return settings

    def start(self, timeout: float = 20.0) -> None:
        """Start the server and wait until its API answers.

        Does nothing if the server is already running. Raises ``RuntimeError``
        (including the end of ``pdns.log``) if ``pdns_server`` is missing, exits
        early, or does not answer within ``timeout`` seconds.
        """
        if self.running:
            return
        binary = find_pdns_server()
        if binary is None:
            raise RuntimeError(
                "pdns_server not found; install pdns-server and pdns-backend-sqlite3"
            )
        self._prepare_workdir()

        log_file = self.log_path.open("ab")
        log_offset = log_file.tell()
        command = [
            binary,
            f"--config-dir={self.workdir}",
            "--daemon=no",
            "--guardian=no",
            "--disable-syslog",
            "--write-pid=no",
        ]
        logger.info("starting %s: dns 127.0.0.1:%d, api %s", self.name, self.dns_port, self.api_url)
        started = time.monotonic()
        in_main_thread = threading.current_thread() is threading.main_thread()
        try:
            self._process = subprocess.Popen(
                command,
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                # PDEATHSIG fires when the parent *thread* exits, so only use it
                # from the main thread.
                preexec_fn=die_with_parent if in_main_thread else None,
            )
        except OSError:
            log_file.close()
            raise
        self._log_file = log_file

        try:
            self._wait_ready(started + timeout, log_offset)
        except RuntimeError as exc:
            self._terminate()
            tail = self._log_tail(log_offset)
            raise RuntimeError(f"{exc}\n--- end of {self.log_path} ---\n{tail}") from None
        except BaseException:
            self._terminate()
            raise
        logger.info("%s ready in %.2f s", self.name, time.monotonic() - started)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s). Safe to call repeatedly."""
        if self._process is not None:
            logger.info("stopping %s", self.name)
        self._terminate()

    def __enter__(self) -> LocalPowerDNS:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _prepare_workdir(self) -> None:
        # pdns.conf holds the API key: the directory and the file are the owner's only.
        self.workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.workdir.chmod(0o700)
        control_socket = self.workdir / "pdns.controlsocket"
        if len(os.fsencode(control_socket)) > _MAX_SOCKET_PATH:
            raise RuntimeError(
                f"workdir path too long for a Unix socket ({control_socket}); use a shorter one"
            )
        if not self.database_path.exists():
            self._create_database()
        lines = [
            f"# Written by dnsmate.dev.pdns_local for {self.name!r}; rewritten on every start."
        ]
        lines += [f"{key}={value}" for key, value in self.settings().items()]
        self.config_path.touch(mode=0o600, exist_ok=True)
        self.config_path.chmod(0o600)
        self.config_path.write_text("\n".join(lines) + "\n")

    def _create_database(self) -> None:
        if not SCHEMA_PATH.exists():
            raise RuntimeError(f"{SCHEMA_PATH} not found; install pdns-backend-sqlite3")
        logger.debug("creating %s", self.database_path)
        partial = self.database_path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        connection = sqlite3.connect(partial)
        try:
            connection.executescript(SCHEMA_PATH.read_text())
            connection.commit()
        finally:
            connection.close()
        partial.replace(self.database_path)

    def _wait_ready(self, deadline: float, log_offset: int) -> None:
        url = f"{self.api_url}/api/v1/servers"
        headers = {"X-API-Key": self.api_key, "Accept": "application/json"}
        last_problem = "no answer yet"
        with httpx.Client(timeout=1.0) as client:
            while True:
                process = self._process
                if process is None or process.poll() is not None:
                    code = None if process is None else process.returncode
                    raise RuntimeError(f"{self.name}: pdns_server exited with code {code}")
                try:
                    response = client.get(url, headers=headers)
                except httpx.HTTPError as exc:
                    last_problem = f"{type(exc).__name__}: {exc}"
                else:
                    # pdns_server keeps running when its API port is taken, and then
                    # the API that answers belongs to another process.
                    if _WEBSERVER_BIND_FAILED in self._log_tail(log_offset):
                        raise RuntimeError(
                            f"{self.name}: API port {self.api_port} is already in use"
                        )
                    if response.status_code == 200 and _listens_on(process.pid, self.api_port):
                        return
                    last_problem = f"HTTP {response.status_code}: {response.text[:200]}"
                if time.monotonic() >= deadline:
                    raise RuntimeError(
                        f"{self.name}: API at {url} not ready in time ({last_problem})"
                    )
                time.sleep(0.05)

    def _terminate(self) -> None:
        process, self._process = self._process, None
        stop_process(process, self.name)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def _log_tail(self, offset: int = 0) -> str:
        try:
            with self.log_path.open("rb") as log:
                log.seek(offset)
                lines = deque(log, maxlen=_LOG_TAIL_LINES)
        except OSError as exc:
            return f"(cannot read log: {exc})"
        return b"".join(lines).decode(errors="replace").rstrip() or "(log is empty)"
