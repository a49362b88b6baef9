"""Login."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from dnsmate.api.deps import AuditDep, ContextDep, CurrentUser, SessionDep, client_address
from dnsmate.schemas.auth import LoginRequest, Token, UserSummary
from dnsmate.security import create_access_token
from dnsmate.services import throttle
from dnsmate.services.users import authenticate, normalize_email

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=Token, responses={401: {}, 429: {}})
async def login(
    body: LoginRequest, request: Request, session: SessionDep, context: ContextDep, audit: AuditDep
) -> Token:
    """Exchange e-mail and password for a bearer token.

    After 10 failed attempts for one account or from one address within 15 minutes, the
    answer is 429 with Retry-After until the cool-down ends.
    """
    email = normalize_email(body.email)
    address = client_address(request) or "unknown"
    await throttle.check_login_allowed(session=session, email=email, client_ip=address)
    user = await authenticate(session=session, email=email, password=body.password)
    if user is None:
        await throttle.record_login_attempt(
            session=session, email=email, client_ip=address, succeeded=False
        )
        await audit.record("auth.login_failed", target=email, email=email, outcome="failed")
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect e-mail or password")
    await throttle.record_login_attempt(
        session=session, email=email, client_ip=address, succeeded=True
    )
    await audit.record("auth.login", user=user, target=user.email)
    token = create_access_token(
        subject=str(user.id),
        secret_key=context.secret_key,
        minutes=context.settings.access_token_minutes,
    )
    return Token(access_token=token)


@router.get("/me", response_model=UserSummary)
async def read_me(user: CurrentUser) -> UserSummary:
    """The logged-in user (GET /api/users/me has the details)."""
    return UserSummary(id=user.id, email=user.email, role=user.role, is_active=user.is_active)
