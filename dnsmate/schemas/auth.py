"""Login request and token."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.users import UserSummary


class LoginRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


__all__ = ["LoginRequest", "Token", "UserSummary"]
