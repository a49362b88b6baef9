"""The listen address of the DNS UPDATE listener (read by the settings, without imports)."""

from __future__ import annotations


def parse_address(text: str) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port`` as (host, port); ValueError saying what is wrong."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{text!r}: write address:port, e.g. 127.0.0.1:5353 or [::1]:5353")
    return host.strip("[]"), int(port)
