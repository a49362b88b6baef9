"""Passkeys (WebAuthn, py_webauthn): registered per user, several each, named, removable;
used to sign in without a password (a discoverable credential names its user) and as the
second factor after a password.

A ceremony's challenge travels to the browser and back inside an encrypted, expiring
``state`` (SecretBox), so no process keeps it and any process can finish the ceremony.
The relying party is DNSMate's host name (``DNSMATE_PUBLIC_URL``'s, or the request's) and
the expected origin its scheme, host and port; the signature counter must grow when the
authenticator keeps one.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from dnsmate.db import utcnow
from dnsmate.models import Passkey, User
from dnsmate.security import InvalidCredentials, SecretBox
from dnsmate.services.errors import InvalidInput, NotFound, PermissionDenied

# How long a browser may take between the options and its answer.
CEREMONY_SECONDS = 300


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys are for: the host name (RP ID) and the origin browsers report."""

    id: str
    origin: str

    @classmethod
    def from_url(cls, base_url: str) -> RelyingParty:
        """From DNSMate's base URL (``https://dns.example.com``)."""
        scheme, _, rest = base_url.partition("://")
        host = rest.split("/", 1)[0]
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        return cls(id=name, origin=f"{scheme}://{host}")


def _seal(box: SecretBox, purpose: str, challenge: bytes, user_id: int | None) -> str:
    payload = {
        "purpose": purpose,
        "challenge": bytes_to_base64url(challenge),
        "user_id": user_id,
        "expires": int(time.time()) + CEREMONY_SECONDS,
    }
    return box.encrypt(json.dumps(payload))


def _open(box: SecretBox, state: str, purpose: str) -> dict[str, Any]:
    try:
        payload: dict[str, Any] = json.loads(box.decrypt(state))
    except (InvalidCredentials, ValueError) as exc:
        raise PermissionDenied("The passkey request could not be read; try again") from exc
    if payload.get("purpose") != purpose or payload.get("expires", 0) < time.time():
        raise PermissionDenied("The passkey request has expired; try again")
    return payload


async def list_passkeys(*, session: AsyncSession, user: User) -> list[Passkey]:
    """The user's passkeys, oldest first."""
    rows = await session.scalars(
        select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)
    )
    return list(rows.all())


async def has_passkeys(*, session: AsyncSession, user: User) -> bool:
    """Whether the user registered a passkey (a password sign-in then needs a second factor)."""
    found = await session.scalar(select(Passkey.id).where(Passkey.user_id == user.id).limit(1))
    return found is not None


async def registration_options(
    *, session: AsyncSession, box: SecretBox, rp: RelyingParty, user: User
) -> tuple[str, str]:
    """Options for ``navigator.credentials.create`` (JSON) and the state to send back."""
    existing = await list_passkeys(session=session, user=user)
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name="DNSMate",
        user_name=user.email,
        user_id=str(user.id).encode(),
        challenge=secrets.token_bytes(32),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id)) for p in existing
        ],
    )
    return options_to_json(options), _seal(box, "register", options.challenge, user.id)


async def register(
    *,
    session: AsyncSession,
    box: SecretBox,
    rp: RelyingParty,
    user: User,
    name: str,
    state: str,
    credential: dict[str, Any],
) -> Passkey:
    """Verify the browser's new credential and keep it under ``name``."""
    payload = _open(box, state, "register")
    if payload.get("user_id") != user.id:
        raise PermissionDenied("The passkey request was made for another user")
    name = name.strip()
    if not name:
        raise InvalidInput("name", "must not be empty")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(payload["challenge"]),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
        )
    except (WebAuthnException, ValueError, KeyError) as exc:
        raise InvalidInput("credential", f"the passkey could not be verified: {exc}") from exc
    passkey = Passkey(
        user_id=user.id,
        name=name,
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=credential.get("response", {}).get("transports"),
    )
    session.add(passkey)
    await session.commit()
    return passkey


async def _own(session: AsyncSession, user: User, passkey_id: int) -> Passkey:
    passkey = await session.get(Passkey, passkey_id)
    if passkey is None or passkey.user_id != user.id:
        raise NotFound(f"Passkey {passkey_id} not found")
    return passkey


async def rename(*, session: AsyncSession, user: User, passkey_id: int, name: str) -> Passkey:
    """Give one of the user's passkeys another name."""
    passkey = await _own(session, user, passkey_id)
    if not name.strip():
        raise InvalidInput("name", "must not be empty")
    passkey.name = name.strip()
    await session.commit()
    return passkey


async def remove(*, session: AsyncSession, user: User, passkey_id: int) -> Passkey:
    """Delete one of the user's passkeys."""
    passkey = await _own(session, user, passkey_id)
    await session.delete(passkey)
    await session.commit()
    return passkey


def authentication_options(*, box: SecretBox, rp: RelyingParty) -> tuple[str, str]:
    """Options for ``navigator.credentials.get`` (any of the person's passkeys) and state."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=secrets.token_bytes(32),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return options_to_json(options), _seal(box, "authenticate", options.challenge, None)


async def authenticate(
    *,
    session: AsyncSession,
    box: SecretBox,
    rp: RelyingParty,
    state: str,
    credential: dict[str, Any],
) -> tuple[User, Passkey]:
    """The active user whose passkey signed the challenge; PermissionDenied otherwise."""
    payload = _open(box, state, "authenticate")
    credential_id = str(credential.get("id", ""))
    passkey = await session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise PermissionDenied("This passkey is not registered here")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=base64url_to_bytes(payload["challenge"]),
            expected_rp_id=rp.id,
            expected_origin=rp.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError) as exc:
        raise PermissionDenied(f"The passkey could not be verified: {exc}") from exc
    user = await session.get(User, passkey.user_id)
    if user is None or not user.is_active:
        raise PermissionDenied("This DNSMate account is deactivated")
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    await session.commit()
    return user, passkey
