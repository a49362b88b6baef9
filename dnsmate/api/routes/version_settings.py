"""Version retention settings: how many versions per zone, and how old, are kept."""

from __future__ import annotations

from fastapi import APIRouter, Request

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, SessionDep
from dnsmate.schemas.versions import VersionSettingsPublic, VersionSettingsUpdate
from dnsmate.services.history import retention
from dnsmate.services.history.version_recorder import VersionRecorder

router = APIRouter(prefix="/settings/versions", tags=["settings"])


@router.get("", response_model=VersionSettingsPublic)
async def read_version_settings(
    session: SessionDep, context: ContextDep, _user: AdminUser
) -> VersionSettingsPublic:
    """The retention in force, the stored values and the environment's defaults."""
    kept = await retention.get_retention(session=session, settings=context.settings)
    return VersionSettingsPublic.model_validate(kept.public())


@router.put("", response_model=VersionSettingsPublic)
async def update_version_settings(
    body: VersionSettingsUpdate,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    _user: AdminUser,
) -> VersionSettingsPublic:
    """Set both values (null: back to the default); every zone is pruned in the background."""
    old = await retention.get_retention(session=session, settings=context.settings)
    new = await retention.set_retention(
        session=session,
        settings=context.settings,
        max_per_zone=body.max_per_zone,
        max_age_days=body.max_age_days,
    )
    await audit.record(
        "settings.versions.update",
        target="version retention",
        before={"max_per_zone": old.max_per_zone, "max_age_days": old.max_age_days},
        after={"max_per_zone": new.max_per_zone, "max_age_days": new.max_age_days},
    )
    pruning: VersionRecorder = request.app.state.versions
    pruning.schedule_prune_all()
    return VersionSettingsPublic.model_validate(new.public())
