"""Typed PowerDNS failures, each with a short message for operators.

PowerDNSError
 ├── PowerDNSUnreachable    connection refused, DNS failure ("Server unreachable")
 ├── PowerDNSTimeout        no answer in time ("Connection timeout")
 ├── PowerDNSAuthError      HTTP 401/403 ("API key invalid")
 ├── PowerDNSNotFound       HTTP 404 ("Zone not found")
 ├── PowerDNSConflict       HTTP 409 ("Zone already exists")
 ├── PowerDNSRejected       HTTP 422, or 400 with a reason: PowerDNS refused the data
 │    └── InvalidForZone    DNSMate refused it against the server's zone (a CNAME rule)
 └── PowerDNSServerError    HTTP 5xx and anything unexpected

``RecordConflict`` is raised by DNSMate itself when a record-level update finds that the
record it was asked to replace is gone (someone else changed it).
"""

from __future__ import annotations


class PowerDNSError(Exception):
    """Base class: ``str(exc)`` is the short message shown per server."""

    default_message = "PowerDNS error"

    def __init__(
        self, message: str | None = None, *, status: int | None = None, maybe_applied: bool = False
    ) -> None:
        super().__init__(message or self.default_message)
        self.status = status
        # A write whose request reached the server but whose answer was lost (timeout,
        # dropped connection): PowerDNS may have applied it. Never true for a refused
        # connection or an HTTP error answer.
        self.maybe_applied = maybe_applied


class PowerDNSUnreachable(PowerDNSError):
    default_message = "Server unreachable"


class PowerDNSTimeout(PowerDNSError):
    default_message = "Connection timeout"


class PowerDNSAuthError(PowerDNSError):
    default_message = "API key invalid"


class PowerDNSNotFound(PowerDNSError):
    default_message = "Zone not found"


class PowerDNSConflict(PowerDNSError):
    default_message = "Zone already exists"


class PowerDNSRejected(PowerDNSError):
    default_message = "Rejected by PowerDNS"


class InvalidForZone(PowerDNSRejected):
    """Input that is valid alone but not beside what this server's zone holds (a CNAME next
    to other data), found by DNSMate while applying a change; ``field`` names the input."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, status=422)
        self.field = field


class PowerDNSServerError(PowerDNSError):
    default_message = "PowerDNS internal error"


class RecordConflict(PowerDNSError):
    default_message = "Record was changed by someone else"
