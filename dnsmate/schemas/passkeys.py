"""Passkeys: the WebAuthn ceremonies' options and answers, and a passkey as listed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from dnsmate.schemas.common import UTCDateTime


class PasskeyOptions(BaseModel):
    """Give ``options`` to the browser's WebAuthn call (JSON form, base64url); send
    ``state`` back with its answer."""

    options: dict[str, Any]
    state: str


class PasskeyAnswer(BaseModel):
    """The browser's credential (``PublicKeyCredential.toJSON()``) and the state."""

    state: str = Field(min_length=1, max_length=4000)
    credential: dict[str, Any]


class PasskeyCreate(PasskeyAnswer):
    name: str = Field(min_length=1, max_length=100)


class PasskeyRename(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class PasskeyPublic(BaseModel):
    id: int
    name: str
    created_at: UTCDateTime
    last_used_at: UTCDateTime | None
