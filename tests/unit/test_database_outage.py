"""Which database errors answer 503 (an outage) rather than 500 (a bug)."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError

from dnsmate.api.errors import _is_database_outage


class _Adapted(Exception):
    """Shaped like SQLAlchemy's asyncpg adaptor error: the driver error is its cause."""


def _wrapped(driver_error: Exception) -> DBAPIError:
    adapted = _Adapted(str(driver_error))
    adapted.__cause__ = driver_error
    return DBAPIError("connect", None, adapted)


def test_a_database_shutting_down_is_an_outage() -> None:
    error = asyncpg.exceptions.CannotConnectNowError("the database system is shutting down")
    assert _is_database_outage(_wrapped(error))


def test_an_admin_shutdown_is_an_outage() -> None:
    error = asyncpg.exceptions.AdminShutdownError("terminating connection")
    assert _is_database_outage(_wrapped(error))


def test_a_bad_statement_is_not_an_outage() -> None:
    error = asyncpg.exceptions.UndefinedColumnError('column "x" does not exist')
    assert not _is_database_outage(_wrapped(error))
