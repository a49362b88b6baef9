"""Signed webhooks (admin only): endpoints per event kind, a test delivery, the log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, status

from dnsmate.api.deps import AdminUser, AuditDep, ContextDep, SessionDep
from dnsmate.api.responses import error_responses
from dnsmate.models import WebhookDelivery
from dnsmate.schemas.common import RowId
from dnsmate.schemas.webhooks import (
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPublic,
    WebhookEventKind,
    WebhookPublic,
    WebhookUpdate,
)
from dnsmate.services.webhooks import endpoints
from dnsmate.services.webhooks.events import EVENT_KINDS

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.get("/events", response_model=list[WebhookEventKind])
async def read_event_kinds(_user: AdminUser) -> list[dict[str, str]]:
    """The event kinds an endpoint may subscribe to."""
    return [{"kind": kind, "description": text} for kind, text in EVENT_KINDS.items()]


@router.get("", response_model=list[WebhookPublic])
async def read_webhooks(session: SessionDep, _user: AdminUser) -> list[dict[str, Any]]:
    """Every endpoint with its delivery counts (secrets are never shown again)."""
    return await endpoints.list_webhooks(session=session)


@router.post(
    "",
    response_model=WebhookCreated,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409, 422),
)
async def create_webhook(
    body: WebhookCreate, session: SessionDep, context: ContextDep, audit: AuditDep, user: AdminUser
) -> dict[str, Any]:
    """Register an endpoint; the answer carries its signing secret, this once."""
    hook, secret = await endpoints.create_webhook(
        session=session, box=context.box, name=body.name, url=body.url, events=body.events,
        created_by=user.email,
    )  # fmt: skip
    await audit.record("webhook.create", target=hook.name)
    return {**endpoints.webhook_view(hook), "secret": secret}


@router.put("/{webhook_id}", response_model=WebhookPublic, responses=error_responses(404, 409))
async def update_webhook(
    webhook_id: RowId, body: WebhookUpdate, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> dict[str, Any]:
    """Change an endpoint's name, URL, events or whether it is on (the secret stays)."""
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    hook = await endpoints.update_webhook(session=session, webhook_id=webhook_id, changes=changes)
    await audit.record("webhook.update", target=hook.name)
    return endpoints.webhook_view(hook)


@router.delete(
    "/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(404)
)
async def delete_webhook(
    webhook_id: RowId, session: SessionDep, audit: AuditDep, _user: AdminUser
) -> None:
    """Remove an endpoint and its delivery log."""
    await endpoints.delete_webhook(session=session, webhook_id=webhook_id)
    await audit.record("webhook.delete", target=f"webhook {webhook_id}")


@router.post(
    "/{webhook_id}/test",
    response_model=WebhookDeliveryPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(404),
)
async def send_test_delivery(
    webhook_id: RowId, session: SessionDep, user: AdminUser
) -> WebhookDelivery:
    """Queue a signed ``webhook.test`` delivery; the delivery log shows how it went."""
    return await endpoints.send_test(session=session, webhook_id=webhook_id, actor=user.email)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=list[WebhookDeliveryPublic],
    responses=error_responses(404),
)
async def read_deliveries(
    webhook_id: RowId,
    session: SessionDep,
    _user: AdminUser,
    limit: int = Query(100, ge=1, le=1000),
) -> list[WebhookDelivery]:
    """The endpoint's delivery log, newest first: status, attempts, last answer."""
    return await endpoints.list_deliveries(session=session, webhook_id=webhook_id, limit=limit)
