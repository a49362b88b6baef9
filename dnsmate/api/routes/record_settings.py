"""Record-change defaults: whether A/AAAA changes keep their PTR records in step."""

from __future__ import annotations

from fastapi import APIRouter

from dnsmate.api.deps import AdminUser, AuditDep, CurrentUser, SessionDep
from dnsmate.schemas.settings import RecordSettingsPublic
from dnsmate.services.zonedata import record_settings

router = APIRouter(prefix="/settings/records", tags=["settings"])


@router.get("", response_model=RecordSettingsPublic)
async def read_record_settings(session: SessionDep, _user: CurrentUser) -> RecordSettingsPublic:
    """The record-change defaults (every user but zone-limited tokens: the record dialog
    starts from them)."""
    return RecordSettingsPublic(auto_ptr=await record_settings.auto_ptr(session=session))


@router.put("", response_model=RecordSettingsPublic)
async def update_record_settings(
    body: RecordSettingsPublic, session: SessionDep, audit: AuditDep, _admin: AdminUser
) -> RecordSettingsPublic:
    """Set the record-change defaults (admins)."""
    old = await record_settings.auto_ptr(session=session)
    new = await record_settings.set_auto_ptr(session=session, value=body.auto_ptr)
    await audit.record(
        "settings.records.update",
        target="record defaults",
        before={"auto_ptr": old},
        after={"auto_ptr": new},
    )
    return RecordSettingsPublic(auto_ptr=new)
