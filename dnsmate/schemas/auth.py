"""Login request and token; two-factor setup."""

from __future__ import annotations

from pydantic import BaseModel, Field

from dnsmate.schemas.passkeys import PasskeyAnswer
from dnsmate.schemas.users import UserSummary


class LoginRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=1024)
    otp: str | None = Field(
        default=None, max_length=64, description="TOTP or recovery code, when 2FA is on"
    )
    # Or, as the second factor, a passkey's answer (POST /api/auth/passkeys/login/options).
    passkey: PasskeyAnswer | None = None


class SignInProvider(BaseModel):
    """A single sign-on provider the login page offers ("Sign in with <name>")."""

    id: str
    name: str
    # Where the browser goes to start the sign-in.
    start_url: str


class SignInMethods(BaseModel):
    """How people sign in here (no secret, no configuration detail): for the login page."""

    # Local accounts sign in with a password: "on", or "break-glass" (a few admins only).
    local_login: str
    # Directory (LDAP / Active Directory) names and passwords are accepted.
    ldap: bool
    providers: list[SignInProvider]


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class TwoFactorSetup(BaseModel):
    """The new secret: enter it (or scan the URI as a QR code) in an authenticator app."""

    secret: str
    otpauth_uri: str


class TwoFactorCode(BaseModel):
    code: str = Field(min_length=1, max_length=64)


class TwoFactorEnabled(BaseModel):
    """Shown once: each code logs in once in place of a TOTP code.

    Turning two-factor login on ends every other session of the user; ``access_token``
    is the new token for this one.
    """

    recovery_codes: list[str]
    access_token: str
    token_type: str = "bearer"


class TwoFactorDisable(BaseModel):
    password: str = Field(min_length=1, max_length=1024)
    code: str = Field(min_length=1, max_length=64)


__all__ = [
    "LoginRequest",
    "SignInMethods",
    "SignInProvider",
    "Token",
    "TwoFactorCode",
    "TwoFactorDisable",
    "TwoFactorEnabled",
    "TwoFactorSetup",
    "UserSummary",
]
