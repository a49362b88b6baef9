"""The ``dnsmate`` command line: the only place that prints."""

from dnsmate.cli.main import app

__all__ = ["app"]
