"""The one error -> status table, as both APIs answer with it."""

from __future__ import annotations

import json

import pytest
from fastapi.responses import Response

from dnsmate.api.compat.errors import failure_response, translate
from dnsmate.api.results import multi_response
from dnsmate.powerdns import errors as pdns
from dnsmate.services import errors as domain
from dnsmate.services.write.changes import DeleteZone, ServerChange
from dnsmate.services.write.multi_powerdns import MultiPowerDNSResult, ServerResult
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.settle import settle


def fan_out(*errors: pdns.PowerDNSError) -> MultiPowerDNSResult[ServerChange]:
    return MultiPowerDNSResult(
        [ServerResult(f"s{i}", False, str(e), 1.0, exc=e) for i, e in enumerate(errors)]
    )


def settled(result: MultiPowerDNSResult[ServerChange]) -> WriteOutcome:
    """The outcome the write pipeline answers for ``result`` (``report``: nothing queued)."""
    return WriteOutcome(DeleteZone(zone="x."), result, settle(result.results, "report"))


def body(response: Response) -> dict[str, object]:
    data: dict[str, object] = json.loads(bytes(response.body))
    return data


@pytest.mark.parametrize(
    ("error", "api", "compat", "compat_text"),
    [
        (pdns.PowerDNSNotFound("Zone not found"), 404, 404, "Not Found"),
        (pdns.PowerDNSConflict("Zone already exists"), 409, 409, "Conflict"),
        (pdns.RecordConflict("gone"), 409, 409, "gone"),
        (pdns.PowerDNSRejected("bad data"), 422, 422, "bad data"),
        (pdns.PowerDNSUnreachable(), 400, 500, "Failed on all PowerDNS servers: "),
    ],
)
def test_a_fan_out_failed_everywhere_answers_the_agreed_error(
    error: pdns.PowerDNSError, api: int, compat: int, compat_text: str
) -> None:
    result = fan_out(error, error)
    assert (
        multi_response(settled(result), action="create", noun="Record", body={}).status_code == api
    )
    response = failure_response(result)
    assert response.status_code == compat
    assert str(body(response)["error"]).startswith(compat_text)


def test_mixed_errors_are_no_agreed_data_error() -> None:
    result = fan_out(pdns.PowerDNSNotFound(), pdns.PowerDNSConflict())
    assert (
        multi_response(settled(result), action="create", noun="Record", body={}).status_code == 400
    )
    assert failure_response(result).status_code == 500


@pytest.mark.parametrize(
    ("error", "compat", "text"),
    [
        (domain.NotFound("Zone x not found"), 404, "Not Found"),
        (domain.Conflict("exists"), 409, "Conflict"),
        (domain.PermissionDenied("no"), 403, "no"),
        (domain.NoServerAvailable("none"), 500, "none"),
        (domain.TooManyAttempts("later", retry_after=5), 500, "later"),
        (pdns.PowerDNSRejected("bad"), 422, "bad"),
        (pdns.PowerDNSTimeout(), 500, "Connection timeout"),
    ],
)
def test_the_compatible_api_answers_in_powerdns_words(
    error: Exception, compat: int, text: str
) -> None:
    response = translate(error)
    assert (response.status_code, body(response)) == (compat, {"error": text})
