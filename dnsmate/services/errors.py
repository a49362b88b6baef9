"""Domain errors. The API translates each into one HTTP status in one exception handler.

DNSMateError
 ├── NotFound              404
 ├── Conflict              409
 ├── InvalidInput          422  (names the field)
 ├── PermissionDenied      403
 ├── TooManyAttempts       429  (login throttling; says when to come back)
 ├── NoServerAvailable     503  (no PowerDNS server configured or usable)
 └── ProviderUnavailable   503  (the LDAP directory or OpenID provider cannot be asked)
"""

from __future__ import annotations


class DNSMateError(Exception):
    """Base class of every domain error; ``str(exc)`` is the operator-facing message."""


class NotFound(DNSMateError):
    pass


class Conflict(DNSMateError):
    pass


class PermissionDenied(DNSMateError):
    pass


class NoServerAvailable(DNSMateError):
    pass


class ProviderUnavailable(DNSMateError):
    """An identity provider (LDAP directory, OpenID provider) could not be asked."""


class InvalidInput(DNSMateError):
    """Bad input, detected before any server is contacted."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class TooManyAttempts(DNSMateError):
    """Too many failed logins; ``retry_after`` is the wait in seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidRows(InvalidInput):
    """Several rows of a batch are invalid; ``rows`` lists every error with its row number."""

    def __init__(self, field: str, rows: list[dict[str, object]]) -> None:
        super().__init__(field, f"{len(rows)} invalid operation(s); nothing was applied")
        self.rows = rows
