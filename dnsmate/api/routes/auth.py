"""Login, with throttling and an optional second factor (TOTP or a recovery code)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from dnsmate.api.deps import (
    AuditDep,
    ContextDep,
    CurrentUser,
    LoginUser,
    SessionDep,
    client_address,
)
from dnsmate.schemas.auth import (
    LoginRequest,
    Token,
    TwoFactorCode,
    TwoFactorDisable,
    TwoFactorEnabled,
    TwoFactorSetup,
    UserSummary,
)
from dnsmate.services import throttle, twofactor
from dnsmate.services.errors import PermissionDenied
from dnsmate.services.users import authenticate, normalize_email

router = APIRouter(prefix="/auth", tags=["auth"])
OTP_REQUIRED = 'Two-factor code required: send "otp" (authenticator or recovery code)'


@router.post("/login", response_model=Token, responses={401: {}, 429: {}})
async def login(
    body: LoginRequest, request: Request, session: SessionDep, context: ContextDep, audit: AuditDep
) -> Token:
    """Exchange e-mail and password (and ``otp`` when two-factor login is on) for a token.

    Repeated failures slow down further attempts for that account from that address
    (429 with Retry-After; progressive delays, never a lock-out).
    """
    email = normalize_email(body.email)
    address = client_address(request) or "unknown"
    attempt = await throttle.begin_attempt(session=session, email=email, client_ip=address)
    user = await authenticate(session=session, email=email, password=body.password)
    failure = None if user is not None else "Incorrect e-mail or password"
    second = None
    if user is not None and user.totp_enabled:
        if not body.otp:
            # Not a failed attempt: a client asks for the code after the password.
            await throttle.forget_attempt(session=session, attempt=attempt)
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, OTP_REQUIRED, headers={"X-DNSMate-OTP": "required"}
            )
        try:
            second = await twofactor.verify_login_code(
                session=session, box=context.box, user=user, code=body.otp
            )
        except PermissionDenied as exc:
            failure = str(exc)
    if user is None or failure is not None:
        await throttle.finish_attempt(session=session, attempt=attempt, succeeded=False)
        await audit.record(
            "auth.login_failed", target=email, email=email, outcome="failed", detail=failure
        )
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, failure)
    await throttle.finish_attempt(session=session, attempt=attempt, succeeded=True)
    detail = {"totp": "with an authenticator code", "recovery": "with a recovery code"}
    await audit.record("auth.login", user=user, target=user.email, detail=detail.get(second or ""))
    return Token(access_token=context.login_token(user))


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
