"""The one table from errors to HTTP statuses, for /api and the PowerDNS-compatible API.

Three readers use it: the /api exception handler (``api/errors.py``), the write path's
decision for a fan-out write that failed on every server (``services/write/settle.py``: the
data error every server agreed on), and the compatible API (``api/compat/errors.py``), which
answers in PowerDNS's words and only with statuses PowerDNS itself uses. It sits at the top
of the package, below both the services and the APIs that read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from dnsmate.powerdns import errors as pdns
from dnsmate.services import errors as domain
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult

# An error the table does not name: /api blames the upstream server, the compatible API
# answers like PowerDNS's own internal error, and a fan-out write that failed everywhere
# for mixed or transport reasons answers 400 on /api.
UNKNOWN_ERROR = 502
COMPAT_UNKNOWN_ERROR = 500
FAN_OUT_FAILED = 400


@dataclass(frozen=True)
class StatusRule:
    """``error`` answers ``status`` on /api and ``compat_status`` on the compatible API."""

    error: type[Exception]
    status: int
    compat_status: int
    # PowerDNS's fixed text for this answer; None: the error's own message.
    compat_message: str | None = None
    # Every server of a fan-out write failing with this error answers ``status``.
    fan_out: bool = False


RULES: tuple[StatusRule, ...] = (
    StatusRule(domain.NotFound, 404, 404, "Not Found"),
    StatusRule(domain.Conflict, 409, 409, "Conflict"),
    StatusRule(domain.InvalidInput, 422, 422),
    StatusRule(domain.PermissionDenied, 403, 403),
    # PowerDNS answers neither 429 nor 503: the compatible API says 500.
    StatusRule(domain.TooManyAttempts, 429, 500),
    StatusRule(domain.NoServerAvailable, 503, 500),
    StatusRule(domain.ProviderUnavailable, 503, 500),
    StatusRule(pdns.PowerDNSNotFound, 404, 404, "Not Found", fan_out=True),
    StatusRule(pdns.PowerDNSConflict, 409, 409, "Conflict", fan_out=True),
    StatusRule(pdns.RecordConflict, 409, 409, fan_out=True),
    StatusRule(pdns.PowerDNSRejected, 422, 422, fan_out=True),
)


def rule_for(exc: BaseException) -> StatusRule | None:
    """The rule of the first error class ``exc`` is an instance of."""
    return next((rule for rule in RULES if isinstance(exc, rule.error)), None)


def fan_out_rule(result: MultiPowerDNSResult[Any]) -> StatusRule | None:
    """The rule of the data error every server failed with, if they all agree."""
    return next((r for r in RULES if r.fan_out and result.all_failed_with(r.error)), None)


def compat_message(rule: StatusRule, text: str | None) -> str:
    """What the compatible API says: PowerDNS's fixed words, the error's text, or the
    status's reason phrase."""
    return rule.compat_message or text or HTTPStatus(rule.compat_status).phrase
