"""The bodies of a fan-out write's answer: the per-server outcome and its status families.

Every write that goes to the target servers answers one of these shapes (built by
``api/results.py``), with its keys at the top level, never under ``detail``:

- 201/200 ``Written``: the resource's own fields plus ``servers``;
- 207 (applied on some servers) and 202 (queued only) ``Partial``: the resource's fields
  plus what happened where;
- 400/404/409/422 ``Failed``: no server took the change (the status says which data error
  every server agreed on, 400 for anything else);
- 400 ``RolledBack``: some servers took it and the ``rollback`` policy undid it there.

``warnings`` is present only when the servers took the change but recording it afterwards
(queue, versions, audit log) failed. The resource-specific combinations (``Written`` and
``Partial`` with each route's own fields) live in ``schemas/writes.py``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ServerOutcome(BaseModel):
    """What one target server did with the change (one entry of ``servers``)."""

    model_config = ConfigDict(extra="forbid")

    server: str = Field(description="The server's display name")
    success: bool
    error: str | None = Field(description="The server's short error message; null on success")
    duration_ms: float = Field(description="Time spent on this server, rounded to 0.1 ms")
    skipped: bool = Field(
        description="Not contacted: unhealthy (breaker open) or behind older queued changes"
    )


class CompatServerOutcome(ServerOutcome):
    """One entry of the compatible API's ``X-DNSMate-Servers`` header."""

    queued: bool = Field(description="The change is stored for this server and replayed later")
    rolled_back: bool = Field(description="Restored to its state before the write (rollback)")


class _Outcome(BaseModel):
    # warnings is absent when empty: optional even where the resource model says otherwise.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=False)

    servers: list[ServerOutcome] = Field(description="One entry per target server, in order")
    warnings: list[str] = Field(
        default_factory=list,
        description="Present when the servers took the change but recording it failed",
    )


class Written(_Outcome):
    """Keys every successful (201/200) fan-out answer adds to the resource's fields."""


class Partial(_Outcome):
    """207 (applied on some servers) and 202 (queued for them, applied nowhere yet)."""

    message: str = Field(examples=["Record created on 1/2 servers"])
    success_servers: list[str]
    failed_servers: list[str] = Field(description='"Server: error" for each failed server')
    queued_servers: list[str] = Field(description="The change is queued for these servers")
    skipped_servers: list[str] = Field(description="Not contacted (see ServerOutcome.skipped)")
    partial_success: Literal[True]


class Failed(_Outcome):
    """No server took the change: 404/409/422 when every server failed with that data
    error, 400 for anything else (servers down, mixed errors)."""

    message: str = Field(examples=["Failed to create record on all PowerDNS servers"])
    errors: list[str] = Field(description='"Server: error" for each server')
    skipped_servers: list[str]


class RolledBack(_Outcome):
    """400 under the ``rollback`` policy: servers that took the change were restored."""

    message: str
    errors: list[str] = Field(description='"Server: error" per failure, then rollback errors')
    rolled_back_servers: list[str]
    queued_servers: list[str]
    skipped_servers: list[str]
    partial_success: Literal[False]


class ValidationIssue(BaseModel):
    """One invalid input, as FastAPI reports request validation errors."""

    loc: list[str | int]
    msg: str
    type: str


class RowError(BaseModel):
    """One invalid row of a batch (bulk operations): every invalid row is listed."""

    row: int
    field: str
    message: str


class ErrorBody(BaseModel):
    """A domain or PowerDNS error translated by the API's one exception handler."""

    message: str
    detail: str | list[ValidationIssue] = Field(
        description="The message again, or for invalid input FastAPI's list of issues"
    )
    field: str | None = Field(default=None, description="The invalid field (422 only)")
    errors: list[RowError] | None = Field(default=None, description="Every invalid batch row")


class RequestInvalid(BaseModel):
    """FastAPI's answer to a request that does not match the route's parameters or body."""

    detail: list[ValidationIssue]


class HTTPErrorBody(BaseModel):
    """FastAPI's own error body (authentication: 401)."""

    detail: str
