"""Password hashing, access tokens and encryption of stored secrets."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

_hasher = PasswordHasher()
_ALGORITHM = "HS256"


class InvalidCredentials(Exception):
    """A token or a stored secret could not be verified."""


def _hash(password: str) -> str:
    return _hasher.hash(password)


def _verify(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# argon2 spends tens of milliseconds of CPU per call by design: on the event loop, twenty
# concurrent logins would stall every other request (health checks, writes) for seconds.
async def hash_password(password: str) -> str:
    """The argon2 hash of ``password``, computed in a worker thread."""
    return await asyncio.to_thread(_hash, password)


async def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash``, checked in a worker thread."""
    return await asyncio.to_thread(_verify, password, password_hash)


def password_stamp(password_hash: str, *, secret_key: str) -> str:
    """A short keyed digest of a user's password hash, carried in their login tokens.

    A password change gives a new hash and so a new stamp: every login token issued before
    the change stops being accepted, on every device. The digest is keyed with the secret
    key, so the token (signed, not encrypted) reveals nothing about the hash.
    """
    digest = hmac.new(secret_key.encode(), password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def create_access_token(*, subject: str, stamp: str, secret_key: str, minutes: float) -> str:
    now = datetime.now(UTC)
    payload = {"sub": subject, "pwd": stamp, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(payload, secret_key, algorithm=_ALGORITHM)


class LoginClaims(NamedTuple):
    """What a valid login token says: who, their password stamp, and until when."""

    subject: str
    stamp: str
    expires_at: datetime


def decode_access_token(token: str, *, secret_key: str) -> LoginClaims:
    """Return the token's claims, or raise InvalidCredentials."""
    try:
        # A token without an expiry would be valid forever: refused, whoever signed it.
        payload = jwt.decode(
            token, secret_key, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]}
        )
    except jwt.PyJWTError as exc:
        raise InvalidCredentials("Invalid or expired token") from exc
    subject, stamp = payload.get("sub"), payload.get("pwd")
    if not isinstance(subject, str) or not isinstance(stamp, str):
        raise InvalidCredentials("Invalid token")
    # PyJWT has checked that ``exp`` is present and a number in the future.
    return LoginClaims(subject, stamp, datetime.fromtimestamp(payload["exp"], UTC))


class SecretBox:
    """Symmetric encryption for secrets at rest (PowerDNS API keys).

    The Fernet key is derived from DNSMATE_SECRET_KEY, so stored values stay readable
    after a restart as long as the secret key is the same.
    """

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(b"dnsmate-secretbox-v1:" + secret_key.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise InvalidCredentials(
                "Stored secret cannot be decrypted: DNSMATE_SECRET_KEY changed"
            ) from exc
