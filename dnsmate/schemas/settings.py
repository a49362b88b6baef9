"""PowerDNS server settings. ``api_key`` is accepted on input and never returned."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, field_validator

from dnsmate.schemas.common import PUBLIC, RowId, UTCDateTime
from dnsmate.schemas.fleet import JobPublic


class PowerDNSSettingsBase(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    api_url: str = Field(
        description="Base URL of the PowerDNS webserver, e.g. http://127.0.0.1:8081"
    )
    server_id: str = Field(default="localhost", min_length=1, max_length=100)
    is_default: bool = False
    is_active: bool = True
    multi_server_mode: bool = False
    timeout_seconds: float = Field(default=10.0, gt=0, le=120, allow_inf_nan=False)
    verify_ssl: bool = True

    @field_validator("api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)


class PowerDNSSettingsCreate(PowerDNSSettingsBase):
    api_key: SecretStr = Field(min_length=1)
    seed_from: RowId | None = Field(
        default=None,
        description="Onboard it at once from this server (id): a job copies every zone, then "
        "it becomes a write target (the answer carries the job)",
    )


class PowerDNSSettingsUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    api_url: str | None = None
    api_key: SecretStr | None = Field(default=None, min_length=1)
    server_id: str | None = Field(default=None, min_length=1, max_length=100)
    is_default: bool | None = None
    is_active: bool | None = None
    multi_server_mode: bool | None = None
    timeout_seconds: float | None = Field(default=None, gt=0, le=120, allow_inf_nan=False)
    verify_ssl: bool | None = None
    force_join: bool = Field(
        default=False,
        description="Make an active server a write target even though it lacks zones the "
        "write targets hold (without it that change is refused, 409: onboard it instead); "
        "writes to those zones answer 207 for it until they are reconciled",
    )

    @field_validator("api_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)


class PowerDNSSettingsPublic(PowerDNSSettingsBase):
    model_config = ConfigDict(from_attributes=True, **PUBLIC)

    api_url: str | None = Field(  # type: ignore[assignment]
        description="Admins only (null for the other roles: internal addresses stay internal)"
    )
    id: int
    lifecycle: Literal["active", "pending", "seeding"] = Field(
        description="pending: added while the write targets hold zones, not onboarded yet (no "
        "write target; nothing queued for it); seeding: an onboarding job is copying the zones "
        "onto it (no write target yet; writes are queued for it)"
    )
    created_at: UTCDateTime
    updated_at: UTCDateTime


class PowerDNSServerAdded(PowerDNSSettingsPublic):
    """A server just added: whether it joined the write targets, and what to do next."""

    onboarding: str | None = Field(
        description="Set when it is not a write target yet: how to onboard it (plan + seed)"
    )
    job: JobPublic | None = Field(description="The onboarding job started by seed_from")


class ServerHealth(BaseModel):
    id: int
    name: str
    healthy: bool
    # healthy; not_answering (no answer in time: hung or overloaded); unreachable (refused,
    # bad API key, server error)
    state: Literal["healthy", "not_answering", "unreachable"]
    latency_ms: float | None
    version: str | None
    error: str | None
    is_default: bool
    is_active: bool
    multi_server_mode: bool


def _check_url(value: str) -> str:
    url = HttpUrl(value)
    if url.scheme not in ("http", "https"):
        raise ValueError("api_url must start with http:// or https://")
    return value.rstrip("/")


class RecordSettingsPublic(BaseModel):
    """Record-change defaults (GET/PUT /api/settings/records)."""

    auto_ptr: bool = Field(
        description="A/AAAA changes add, move and remove the PTR in the managed reverse zone "
        "unless a request says ?ptr=false"
    )
