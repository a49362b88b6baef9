"""The consistency settings: what a write does when some servers fail."""

from __future__ import annotations

from fastapi import APIRouter

from dnsmate.api.deps import AdminUser, AuditDep, SessionDep
from dnsmate.schemas.sync import ConsistencySettingsPublic, ConsistencySettingsUpdate
from dnsmate.services.sync import policy

router = APIRouter(prefix="/settings/consistency", tags=["settings"])


@router.get("", response_model=ConsistencySettingsPublic)
async def read_consistency(session: SessionDep, _user: AdminUser) -> ConsistencySettingsPublic:
    """The partial-failure policy applied when a request does not choose one."""
    return ConsistencySettingsPublic.model_validate(
        {"on_partial_failure": await policy.get_policy(session)}
    )


@router.put("", response_model=ConsistencySettingsPublic)
async def update_consistency(
    body: ConsistencySettingsUpdate, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> ConsistencySettingsPublic:
    """Set the partial-failure policy: retry (default), report or rollback."""
    old = await policy.get_policy(session)
    stored = await policy.set_policy(session=session, policy=body.on_partial_failure)
    await audit.record(
        "settings.consistency.update",
        target="on_partial_failure",
        before={"on_partial_failure": old},
        after={"on_partial_failure": stored},
    )
    return ConsistencySettingsPublic.model_validate({"on_partial_failure": stored})
