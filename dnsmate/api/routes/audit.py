"""The audit log (read-only: events are append-only, no route changes or deletes them)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query

from dnsmate.api.deps import CurrentUser, SessionDep
from dnsmate.schemas.audit import AuditEventPublic, AuditEventsPublic
from dnsmate.schemas.common import Page
from dnsmate.services.history import audit

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=AuditEventsPublic)
async def read_audit(
    session: SessionDep,
    user: CurrentUser,
    zone: str | None = None,
    user_filter: str | None = Query(None, alias="user", description="user id or e-mail"),
    action: str | None = Query(None, description="exact, or a prefix such as 'record'"),
    since: datetime | None = None,
    page: Page = 1,
    per_page: int = Query(50, ge=1, le=500),
) -> AuditEventsPublic:
    """Newest first. Admins see every event; others the events of zones they may read."""
    rows, total = await audit.list_events(
        session=session, viewer=user, zone=zone, user=user_filter, action=action, since=since,
        page=page, per_page=per_page,
    )  # fmt: skip
    return AuditEventsPublic(
        items=[
            AuditEventPublic.model_validate(view)
            for view in await audit.event_views(session=session, events=rows)
        ],
        total=total,
        page=page,
        per_page=per_page,
    )
