"""Login."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from dnsmate.api.deps import ContextDep, CurrentUser, SessionDep
from dnsmate.schemas.auth import LoginRequest, Token, UserSummary
from dnsmate.security import create_access_token
from dnsmate.services.users import authenticate

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=Token)
async def login(body: LoginRequest, session: SessionDep, context: ContextDep) -> Token:
    """Exchange e-mail and password for a bearer token."""
    user = await authenticate(session=session, email=body.email, password=body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect e-mail or password")
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
