"""TSIG keys for RFC 2136 dynamic updates: create (secret shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, status

from dnsmate.api.deps import AuditDep, ContextDep, CurrentUser, LoginUser, SessionDep
from dnsmate.schemas.common import RowId
from dnsmate.schemas.dnsupdate import DnsUpdateKeyCreate, DnsUpdateKeyCreated, DnsUpdateKeyPublic
from dnsmate.services.dnsupdate import keys

router = APIRouter(prefix="/dns-update/keys", tags=["dns-update"])


@router.post("", response_model=DnsUpdateKeyCreated, status_code=status.HTTP_201_CREATED)
async def create_dns_update_key(
    body: DnsUpdateKeyCreate,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    user: LoginUser,
) -> DnsUpdateKeyCreated:
    """Create a TSIG key acting as you (within ``zones``); the secret is in this answer only."""
    key, secret = await keys.create_key(
        session=session,
        box=context.box,
        user=user,
        name=body.name,
        algorithm=body.algorithm,
        zones=body.zones,
    )
    public = DnsUpdateKeyPublic.model_validate(key)
    await audit.record(
        "dns_update_key.create", target=public.name, after=public.model_dump(mode="json")
    )
    return DnsUpdateKeyCreated(**public.model_dump(), secret=secret)


@router.get("", response_model=list[DnsUpdateKeyPublic])
async def read_dns_update_keys(session: SessionDep, user: CurrentUser) -> list[DnsUpdateKeyPublic]:
    """Your DNS update keys without their secrets (an admin sees every user's)."""
    rows = await keys.list_keys(session=session, user=user)
    return [DnsUpdateKeyPublic.model_validate(row) for row in rows]


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_dns_update_key(
    key_id: RowId, session: SessionDep, audit: AuditDep, user: CurrentUser
) -> None:
    """Revoke a key (yours, or anyone's for an admin); updates signed with it fail at once."""
    key = await keys.revoke_key(session=session, user=user, key_id=key_id)
    before = DnsUpdateKeyPublic.model_validate(key).model_dump(mode="json")
    await audit.record("dns_update_key.revoke", target=before["name"], before=before)
