"""Two-factor login with TOTP (RFC 6238, pyotp) and single-use recovery codes.

The TOTP secret is stored encrypted (SecretBox) and only becomes active after the user
proves their authenticator with a valid code. A code is accepted once: the time step of
the last accepted code is stored, so an observed code cannot be replayed. Recovery codes
are random (80 bits), shown once, stored as SHA-256 hashes and consumed on use.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.security import SecretBox, verify_password
from dnsmate.services.errors import Conflict, InvalidInput, PermissionDenied

ISSUER = "DNSMate"
RECOVERY_CODES = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_STEP = 30


def _normalize_recovery(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _hash_recovery(code: str) -> str:
    return hashlib.sha256(_normalize_recovery(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


async def start_setup(*, session: AsyncSession, box: SecretBox, user: User) -> tuple[str, str]:
    """A new secret for the user (not active yet): returns it and its otpauth:// URI."""
    if user.totp_enabled:
        raise Conflict("Two-factor login is already on; turn it off first to set up a new key")
    secret = pyotp.random_base32()
    user.totp_secret_encrypted = box.encrypt(secret)
    await session.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return secret, uri


def _accept_totp(box: SecretBox, user: User, code: str) -> bool:
    """True (and the step remembered) when ``code`` is valid now and not used before."""
    if not user.totp_secret_encrypted:
        return False
    digits = code.strip().replace(" ", "")
    if not (digits.isdigit() and len(digits) == 6):
        return False
    totp = pyotp.TOTP(box.decrypt(user.totp_secret_encrypted))
    now = int(time.time()) // _STEP
    for step in (now - 1, now, now + 1):  # one step of clock drift either way
        if hmac.compare_digest(totp.at(step * _STEP), digits):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def _use_recovery_code(user: User, code: str) -> bool:
    hashes = list(user.recovery_codes or [])
    digest = _hash_recovery(code)
    for stored in hashes:
        if hmac.compare_digest(stored, digest):
            hashes.remove(stored)
            user.recovery_codes = hashes
            return True
    return False


async def enable(*, session: AsyncSession, box: SecretBox, user: User, code: str) -> list[str]:
    """Turn two-factor login on after a valid code; returns the recovery codes (once)."""
    if user.totp_enabled:
        raise Conflict("Two-factor login is already on")
    if not user.totp_secret_encrypted:
        raise InvalidInput("code", "start with POST /api/auth/2fa/setup")
    if not _accept_totp(box, user, code):
        raise InvalidInput("code", "the code is not valid; check the authenticator's clock")
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [_hash_recovery(c) for c in codes]
    user.totp_enabled = True
    await session.commit()
    return codes


async def verify_login_code(*, session: AsyncSession, box: SecretBox, user: User, code: str) -> str:
    """Check a login's second factor: "totp" or "recovery" (that code is now used up).

    Raises PermissionDenied for a wrong or replayed code.
    """
    if _accept_totp(box, user, code):
        await session.commit()
        return "totp"
    if _use_recovery_code(user, code):
        await session.commit()
        return "recovery"
    raise PermissionDenied("Invalid two-factor code")


async def disable(
    *, session: AsyncSession, box: SecretBox, user: User, password: str, code: str
) -> None:
    """Turn two-factor login off; needs the password and a current (or recovery) code."""
    if not user.totp_enabled:
        raise Conflict("Two-factor login is not on")
    if not await verify_password(password, user.password_hash):
        raise PermissionDenied("The password is wrong")
    await verify_login_code(session=session, box=box, user=user, code=code)
    reset(user)
    await session.commit()


def reset(user: User) -> None:
    """Forget the user's second factor (an admin's reset for a lost authenticator) and end
    the user's sessions: those opened before two-factor login was on must not come back."""
    user.session_epoch = (user.session_epoch or 0) + 1
    user.totp_enabled = False
    user.totp_secret_encrypted = None
    user.totp_last_step = None
    user.recovery_codes = None
