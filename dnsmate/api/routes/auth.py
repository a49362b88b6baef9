"""Login, with throttling and an optional second factor (TOTP or a recovery code)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from dnsmate.api.deps import (
    AuditDep,
    ContextDep,
    CurrentUser,
    LoginUser,
    SessionDep,
    SignInTargetsDep,
    client_address,
    public_base_url,
)
from dnsmate.models import User
from dnsmate.schemas.auth import (
    LoginRequest,
    SignInMethods,
    SignInProvider,
    Token,
    TwoFactorCode,
    TwoFactorDisable,
    TwoFactorEnabled,
    TwoFactorSetup,
    UserSummary,
)
from dnsmate.services.access import passkeys, throttle, twofactor
from dnsmate.services.access.passkeys import RelyingParty
from dnsmate.services.access.users import normalize_email
from dnsmate.services.errors import PermissionDenied, ProviderUnavailable
from dnsmate.services.identity import password

router = APIRouter(prefix="/auth", tags=["auth"])
OTP_REQUIRED = 'Two-factor code required: send "otp" (authenticator or recovery code)'


@router.post("/login", response_model=Token, responses={401: {}, 403: {}, 429: {}, 503: {}})
async def login(
    body: LoginRequest,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    targets: SignInTargetsDep,
) -> Token:
    """Exchange a login name and password (and ``otp`` when two-factor login is on) for a
    token. The name is a local account's e-mail or, with LDAP configured, a directory name.

    Repeated failures slow down further attempts for that account from that address
    (429 with Retry-After; progressive delays, never a lock-out).
    """
    email = normalize_email(body.email)
    address = client_address(request) or "unknown"
    attempt = await throttle.begin_attempt(session=session, email=email, client_ip=address)
    try:
        signed = await password.sign_in(
            session=session,
            settings=context.settings,
            directory=context.directory,
            servers=targets,
            login=email,
            password=body.password,
        )
    except ProviderUnavailable:
        await throttle.forget_attempt(session=session, attempt=attempt)
        raise
    except PermissionDenied as exc:
        await _failed(session, attempt, audit, email, str(exc))
        raise
    failure = None if signed is not None else "Incorrect e-mail or password"
    second = None
    if signed is not None and await _needs_second_factor(session, signed.user):
        try:
            second = await _second_factor(body, request, session, context, signed.user)
        except PermissionDenied as exc:
            failure = str(exc)
        if second is None and failure is None:
            # Not a failed attempt: a client asks for the code after the password.
            await throttle.forget_attempt(session=session, attempt=attempt)
            headers = {"X-DNSMate-OTP": "required"}
            if await passkeys.has_passkeys(session=session, user=signed.user):
                headers["X-DNSMate-Passkey"] = "available"
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, OTP_REQUIRED, headers=headers)
    if signed is None or failure is not None:
        await _failed(session, attempt, audit, email, failure)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, failure)
    await throttle.finish_attempt(session=session, attempt=attempt, succeeded=True)
    detail = {
        "totp": "with an authenticator code",
        "recovery": "with a recovery code",
        "passkey": "with a passkey",
    }
    request.state.auth_via = signed.provider
    await audit.record(
        "auth.login",
        user=signed.user,
        target=signed.user.email,
        after=signed.audit(),
        detail=detail.get(second or ""),
    )
    return Token(access_token=context.login_token(signed.user))


async def _needs_second_factor(session: SessionDep, user: User) -> bool:
    return user.totp_enabled or await passkeys.has_passkeys(session=session, user=user)


async def _second_factor(
    body: LoginRequest, request: Request, session: SessionDep, context: ContextDep, user: User
) -> str | None:
    """ "totp", "recovery" or "passkey" when the body proves the second factor, None when it
    brings none; PermissionDenied when what it brings is wrong."""
    if body.passkey is not None:
        owner, _passkey = await passkeys.authenticate(
            session=session,
            box=context.box,
            rp=RelyingParty.from_url(public_base_url(request, context)),
            state=body.passkey.state,
            credential=body.passkey.credential,
        )
        if owner.id != user.id:
            raise PermissionDenied("That passkey belongs to another account")
        return "passkey"
    if body.otp and user.totp_enabled:
        return await twofactor.verify_login_code(
            session=session, box=context.box, user=user, code=body.otp
        )
    if body.otp:
        raise PermissionDenied("Invalid two-factor code")
    return None


async def _failed(
    session: SessionDep, attempt: throttle.Attempt, audit: AuditDep, email: str, why: str | None
) -> None:
    await throttle.finish_attempt(session=session, attempt=attempt, succeeded=False)
    await audit.record("auth.login_failed", target=email, email=email, outcome="failed", detail=why)


@router.get("/methods", response_model=SignInMethods)
async def read_sign_in_methods(context: ContextDep) -> SignInMethods:
    """How to sign in here (no authentication needed: the login page asks)."""
    return SignInMethods(
        local_login=context.settings.local_login,
        ldap=context.directory is not None,
        providers=[
            SignInProvider(id=p.id, name=p.name, start_url=f"/api/auth/oidc/{p.id}/start")
            for p in context.oidc.providers
        ],
    )


@router.get("/me", response_model=UserSummary)
async def read_me(user: CurrentUser) -> UserSummary:
    """The logged-in user (GET /api/users/me has the details)."""
    return UserSummary(id=user.id, email=user.email, role=user.role, is_active=user.is_active)


@router.post("/2fa/setup", response_model=TwoFactorSetup)
async def setup_two_factor(
    session: SessionDep, context: ContextDep, user: LoginUser
) -> TwoFactorSetup:
    """A new TOTP secret and otpauth:// URI; two-factor login is on only after /2fa/enable."""
    secret, uri = await twofactor.start_setup(session=session, box=context.box, user=user)
    return TwoFactorSetup(secret=secret, otpauth_uri=uri)


@router.post("/2fa/enable", response_model=TwoFactorEnabled)
async def enable_two_factor(
    body: TwoFactorCode, session: SessionDep, context: ContextDep, audit: AuditDep, user: LoginUser
) -> TwoFactorEnabled:
    """Turn two-factor login on with a valid code; answers the recovery codes, once.

    Every other session of yours ends (a session opened with a stolen password does not
    outlive the second factor); the answer carries a new token for this one.
    """
    codes = await twofactor.enable(session=session, box=context.box, user=user, code=body.code)
    await audit.record("auth.2fa.enable", target=user.email)
    return TwoFactorEnabled(recovery_codes=codes, access_token=context.login_token(user))


@router.post("/2fa/disable", response_model=Token)
async def disable_two_factor(
    body: TwoFactorDisable,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    user: LoginUser,
) -> Token:
    """Turn two-factor login off; needs your password and a current or recovery code.

    Sessions opened with the second factor end; the answer carries a new token for this one.
    """
    await twofactor.disable(
        session=session, box=context.box, user=user, password=body.password, code=body.code
    )
    await audit.record("auth.2fa.disable", target=user.email)
    return Token(access_token=context.login_token(user))
