"""TSIG key requests and responses."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.outcomes import Partial, Written


class TSIGKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=255, examples=["xfr-key"])
    algorithm: str = Field(default="hmac-sha256", examples=["hmac-sha256"])
    secret: str | None = Field(
        default=None, max_length=1000,
        description="Import this base64 secret; omit to let DNSMate make one",
    )  # fmt: skip


class TSIGKeyUpdate(BaseModel):
    """What to change; a field left out stays as it is."""

    name: str | None = Field(
        default=None, min_length=1, max_length=255, description="A new name (rename)"
    )
    algorithm: str | None = Field(default=None, examples=["hmac-sha512"])
    secret: str | None = Field(default=None, max_length=1000, description="Set this base64 secret")
    rotate: bool = Field(
        default=False, description="Replace the secret with a new one DNSMate makes (shown once)"
    )


class TSIGKeyPublic(BaseModel):
    name: str
    id: str = Field(description="PowerDNS's id: the name and a dot")
    algorithm: str


class TSIGKeysPublic(BaseModel):
    items: list[TSIGKeyPublic]


class TSIGKeySecret(TSIGKeyPublic):
    secret: str = Field(description="Base64; shown to admins on request, and audited")


class TSIGKeyCreatedFields(BaseModel):
    name: str
    algorithm: str
    secret: str = Field(description="Shown once, to the admin who created the key")


class TSIGKeyCreated(TSIGKeyCreatedFields, Written):
    """201: the key exists on every target with the same secret."""


class TSIGKeyCreatedPartial(TSIGKeyCreatedFields, Partial):
    """207/202: on some targets (or queued)."""


class TSIGKeyUpdatedFields(BaseModel):
    name: str
    algorithm: str
    secret: str | None = Field(
        description="The new secret when this change set one (shown once), else null"
    )


class TSIGKeyUpdated(TSIGKeyUpdatedFields, Written):
    """200: every target has the key as asked."""


class TSIGKeyUpdatedPartial(TSIGKeyUpdatedFields, Partial):
    """207/202: on some targets (or queued)."""


class TSIGKeyDeletedFields(BaseModel):
    name: str


class TSIGKeyDeleted(TSIGKeyDeletedFields, Written):
    """200: the key is gone from every target."""


class TSIGKeyDeletedPartial(TSIGKeyDeletedFields, Partial):
    """207/202: on some targets (or queued)."""
