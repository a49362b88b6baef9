"""API tokens: create (secret shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import AuditDep, CurrentUser, LoginUser, SessionDep
from dnsmate.schemas.common import RowId
from dnsmate.schemas.tokens import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic
from dnsmate.services.access import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.post("", response_model=ApiTokenCreated, status_code=status.HTTP_201_CREATED)
async def create_token(
    body: ApiTokenCreate, session: SessionDep, audit: AuditDep, user: LoginUser
) -> ApiTokenCreated:
    """Create an API token for yourself; the secret is in this answer only."""
    token, secret = await tokens.create_token(
        session=session,
        user=user,
        name=body.name,
        expires_at=body.expires_at,
        read_only=body.read_only,
        zones=body.zones,
        hosts=body.hosts,
        record_limits=None if body.record_limits is None else body.record_limits.limits(),
    )
    public = ApiTokenPublic.model_validate(token)
    await audit.record("token.create", target=token.name, after=public.model_dump(mode="json"))
    return ApiTokenCreated(**public.model_dump(), token=secret)


@router.get("", response_model=list[ApiTokenPublic])
async def read_tokens(session: SessionDep, user: CurrentUser) -> list[ApiTokenPublic]:
    """Your tokens without their secrets (an admin sees every user's)."""
    rows = await tokens.list_tokens(session=session, user=user)
    return [ApiTokenPublic.model_validate(row) for row in rows]


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_token(
    token_id: RowId, session: SessionDep, audit: AuditDep, user: CurrentUser
) -> None:
    """Revoke a token (yours, or anyone's for an admin); it stops working at once."""
    token = await tokens.revoke_token(session=session, user=user, token_id=token_id)
    before = ApiTokenPublic.model_validate(token).model_dump(mode="json")
    await audit.record("token.revoke", target=token.name, before=before)
