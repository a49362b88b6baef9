"""Passkeys: register (several, named), rename, remove; sign in without a password.

Registering and managing passkeys needs a login (not an API token). Signing in with one
is throttled and audited like a password sign-in.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, status

from dnsmate.api.deps import (
    AuditDep,
    ContextDep,
    LoginUser,
    SessionDep,
    client_address,
    public_base_url,
)
from dnsmate.models import Passkey
from dnsmate.schemas.auth import Token
from dnsmate.schemas.common import RowId
from dnsmate.schemas.passkeys import (
    PasskeyAnswer,
    PasskeyCreate,
    PasskeyOptions,
    PasskeyPublic,
    PasskeyRename,
)
from dnsmate.services.access import passkeys, throttle
from dnsmate.services.access.passkeys import RelyingParty
from dnsmate.services.errors import DNSMateError

router = APIRouter(prefix="/auth/passkeys", tags=["auth"])
PROVIDER = "passkey"


def _rp(request: Request, context: ContextDep) -> RelyingParty:
    return RelyingParty.from_url(public_base_url(request, context))


def _public(passkey: Passkey) -> PasskeyPublic:
    return PasskeyPublic(
        id=passkey.id,
        name=passkey.name,
        created_at=passkey.created_at,
        last_used_at=passkey.last_used_at,
    )


@router.get("", response_model=list[PasskeyPublic])
async def read_passkeys(session: SessionDep, user: LoginUser) -> list[PasskeyPublic]:
    """Your passkeys."""
    return [_public(p) for p in await passkeys.list_passkeys(session=session, user=user)]


@router.post("/options", response_model=PasskeyOptions)
async def start_passkey_registration(
    request: Request, session: SessionDep, context: ContextDep, user: LoginUser
) -> PasskeyOptions:
    """Options for registering a new passkey (``navigator.credentials.create``)."""
    options, state = await passkeys.registration_options(
        session=session, box=context.box, rp=_rp(request, context), user=user
    )
    return PasskeyOptions(options=json.loads(options), state=state)


@router.post("", response_model=PasskeyPublic, status_code=status.HTTP_201_CREATED)
async def create_passkey(
    body: PasskeyCreate,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    user: LoginUser,
) -> PasskeyPublic:
    """Keep the new passkey under a name; from now on it signs you in, and a password
    sign-in asks for it (or the authenticator code) as the second factor."""
    passkey = await passkeys.register(
        session=session,
        box=context.box,
        rp=_rp(request, context),
        user=user,
        name=body.name,
        state=body.state,
        credential=body.credential,
    )
    await audit.record("auth.passkey.create", target=user.email, detail=passkey.name)
    return _public(passkey)


@router.put("/{passkey_id}", response_model=PasskeyPublic)
async def rename_passkey(
    passkey_id: RowId, body: PasskeyRename, session: SessionDep, user: LoginUser
) -> PasskeyPublic:
    """Rename one of your passkeys."""
    passkey = await passkeys.rename(
        session=session, user=user, passkey_id=passkey_id, name=body.name
    )
    return _public(passkey)


@router.delete("/{passkey_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_passkey(
    passkey_id: RowId, session: SessionDep, audit: AuditDep, user: LoginUser
) -> None:
    """Remove one of your passkeys."""
    passkey = await passkeys.remove(session=session, user=user, passkey_id=passkey_id)
    await audit.record("auth.passkey.delete", target=user.email, detail=passkey.name)


@router.post("/login/options", response_model=PasskeyOptions)
async def start_passkey_sign_in(request: Request, context: ContextDep) -> PasskeyOptions:
    """Options for signing in with a passkey (``navigator.credentials.get``); no login."""
    options, state = passkeys.authentication_options(box=context.box, rp=_rp(request, context))
    return PasskeyOptions(options=json.loads(options), state=state)


@router.post("/login", response_model=Token, responses={403: {}, 429: {}})
async def sign_in_with_passkey(
    body: PasskeyAnswer,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
) -> Token:
    """Sign in with a passkey, no password; throttled and audited like a password."""
    address = client_address(request) or "unknown"
    request.state.auth_via = PROVIDER
    attempt = await throttle.begin_attempt(session=session, email=PROVIDER, client_ip=address)
    try:
        user, passkey = await passkeys.authenticate(
            session=session,
            box=context.box,
            rp=_rp(request, context),
            state=body.state,
            credential=body.credential,
        )
    except DNSMateError as exc:
        await throttle.finish_attempt(session=session, attempt=attempt, succeeded=False)
        await audit.record(
            "auth.login_failed", target=PROVIDER, email=PROVIDER, outcome="failed", detail=str(exc)
        )
        raise
    await throttle.finish_attempt(session=session, attempt=attempt, succeeded=True)
    after = {"provider": PROVIDER, "subject": passkey.name, "role": user.role, "zones": []}
    await audit.record("auth.login", user=user, target=user.email, after=after)
    return Token(access_token=context.login_token(user))
