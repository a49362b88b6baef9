"""Webhook endpoints as admins manage them: register (the secret is made here and shown
once), list, change, delete, send a test, read the delivery log. Secrets are stored
encrypted and never returned after creation."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import utcnow
from dnsmate.models import Webhook, WebhookDelivery
from dnsmate.security import SecretBox
from dnsmate.services.errors import Conflict, InvalidInput, NotFound
from dnsmate.services.webhooks.events import EVENT_KINDS, TEST_EVENT


def check_url(url: str) -> str:
    """An http(s) URL with a host, or InvalidInput."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url", "must be an http:// or https:// URL with a host")
    return url.strip()


def check_events(events: Collection[str]) -> list[str]:
    """Known, distinct event kinds (at least one), or InvalidInput."""
    unknown = sorted(set(events) - EVENT_KINDS.keys())
    if unknown or not events:
        known = ", ".join(EVENT_KINDS)
        raise InvalidInput("events", f"must be some of: {known} (unknown: {unknown})")
    return [kind for kind in EVENT_KINDS if kind in events]


async def get_webhook(session: AsyncSession, webhook_id: int) -> Webhook:
    hook = await session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"Webhook {webhook_id} not found")
    return hook


async def create_webhook(
    *,
    session: AsyncSession,
    box: SecretBox,
    name: str,
    url: str,
    events: Collection[str],
    created_by: str | None,
) -> tuple[Webhook, str]:
    """Register an endpoint; returns it and its signing secret (the only time it is shown)."""
    secret = "whsec_" + secrets.token_urlsafe(32)
    hook = Webhook(name=name.strip(), url=check_url(url), events=check_events(events),
                   secret_encrypted=box.encrypt(secret), is_active=True,
                   created_by=created_by)  # fmt: skip
    session.add(hook)
    await _commit_unique(session, hook.name)
    return hook, secret


async def update_webhook(
    *, session: AsyncSession, webhook_id: int, changes: dict[str, Any]
) -> Webhook:
    """Change name, url, events or is_active (the secret stays)."""
    hook = await get_webhook(session, webhook_id)
    if "url" in changes:
        hook.url = check_url(changes["url"])
    if "events" in changes:
        hook.events = check_events(changes["events"])
    if "name" in changes:
        hook.name = str(changes["name"]).strip()
    if "is_active" in changes:
        hook.is_active = bool(changes["is_active"])
    await _commit_unique(session, hook.name)
    return hook


async def delete_webhook(*, session: AsyncSession, webhook_id: int) -> None:
    """Remove an endpoint and its delivery log."""
    await session.delete(await get_webhook(session, webhook_id))
    await session.commit()


async def send_test(*, session: AsyncSession, webhook_id: int, actor: str) -> WebhookDelivery:
    """Owe the endpoint a ``webhook.test`` event (sent by the next dispatcher round)."""
    hook = await get_webhook(session, webhook_id)
    delivery = WebhookDelivery(webhook_id=hook.id, event=TEST_EVENT, next_attempt_at=utcnow(),
                               payload={"message": "Test delivery from DNSMate",
                                        "webhook": hook.name, "actor": actor})  # fmt: skip
    session.add(delivery)
    await session.commit()
    return delivery


async def list_webhooks(*, session: AsyncSession) -> list[dict[str, Any]]:
    """Every endpoint with its delivery counts by status (no secrets)."""
    hooks = list(await session.scalars(select(Webhook).order_by(Webhook.id)))
    counted = select(WebhookDelivery.webhook_id, WebhookDelivery.status, func.count()).group_by(
        WebhookDelivery.webhook_id, WebhookDelivery.status
    )
    counts: dict[tuple[int, str], int] = {
        (hook_id, status): n for hook_id, status, n in await session.execute(counted)
    }
    states = ("pending", "delivered", "failed")
    return [{**webhook_view(h), **{s: counts.get((h.id, s), 0) for s in states}} for h in hooks]


def webhook_view(hook: Webhook) -> dict[str, Any]:
    """An endpoint in its public form (never its secret)."""
    return {
        "id": hook.id,
        "name": hook.name,
        "url": hook.url,
        "events": list(hook.events),
        "is_active": hook.is_active,
        "created_by": hook.created_by,
        "created_at": hook.created_at,
    }


async def list_deliveries(
    *, session: AsyncSession, webhook_id: int, limit: int = 100
) -> list[WebhookDelivery]:
    """The endpoint's delivery log, newest first."""
    await get_webhook(session, webhook_id)
    query = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
    return list(await session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)))


async def _commit_unique(session: AsyncSession, name: str) -> None:
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict(f"A webhook named {name!r} already exists") from exc
