"""Password hashing, access tokens and encryption of stored secrets."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

_hasher = PasswordHasher()
_ALGORITHM = "HS256"


class InvalidCredentials(Exception):
    """A token or a stored secret could not be verified."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(*, subject: str, secret_key: str, minutes: int) -> str:
    now = datetime.now(UTC)
    payload = {"sub": subject, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(payload, secret_key, algorithm=_ALGORITHM)


def decode_access_token(token: str, *, secret_key: str) -> str:
    """Return the token's subject, or raise InvalidCredentials."""
    try:
        payload = jwt.decode(token, secret_key, algorithms=[_ALGORITHM])
    except jwt.PyJWTError as exc:
        raise InvalidCredentials("Invalid or expired token") from exc
    subject = payload.get("sub")
    if not isinstance(subject, str):
        raise InvalidCredentials("Invalid token")
    return subject


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
