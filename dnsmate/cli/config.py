"""Where the command line keeps its server URL and token: one JSON file, mode 0600.

The file is ``$XDG_CONFIG_HOME/dnsmate/config.json`` (``~/.config/dnsmate`` by default).
``DNSMATE_URL`` and ``DNSMATE_TOKEN`` override what is stored, for scripts and CI.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import typer

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass
class ClientConfig:
    """The DNSMate server the client talks to and the token it sends."""

    url: str = DEFAULT_URL
    token: str | None = None
    email: str | None = None
    # The id of the API token ``dnsmate login`` created, so ``logout`` can revoke it.
    token_id: int | None = None


def config_path() -> Path:
    return Path(typer.get_app_dir("dnsmate")) / "config.json"


def load_stored() -> ClientConfig:
    """The stored configuration, without environment overrides."""
    path = config_path()
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return ClientConfig()
    except (OSError, ValueError):
        return ClientConfig()
    known = {k: v for k, v in data.items() if k in ClientConfig.__dataclass_fields__}
    return ClientConfig(**known)


def load_config() -> ClientConfig:
    """The stored configuration with ``DNSMATE_URL`` / ``DNSMATE_TOKEN`` applied on top."""
    config = load_stored()
    if url := os.environ.get("DNSMATE_URL"):
        config.url = url
    if token := os.environ.get("DNSMATE_TOKEN"):
        config.token = token
    config.url = config.url.rstrip("/")
    return config


def save_config(config: ClientConfig) -> Path:
    """Write the configuration readable by its owner only (the token is a credential)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(asdict(config), handle, indent=2)
    os.chmod(path, 0o600)  # an older file may have been created with wider permissions
    return path
