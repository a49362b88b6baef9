"""The outbox: a delivery row per subscribed endpoint, added in the transaction of the
event it reports (so it is sent if and only if that commits), drained by ``dispatcher``.

Writes ask which endpoints listen on every change: ``HookCache`` holds the active
endpoints' subscriptions in memory (dropped when the ``webhooks`` table changes, see
``dnsmate.services.invalidation``), so a write with no endpoint registered issues no
statement for webhooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import utcnow
from dnsmate.models import Webhook, WebhookDelivery
from dnsmate.services.invalidation import WEBHOOKS, Invalidator, Memo


@dataclass(frozen=True)
class Subscriber:
    """An active endpoint and the event kinds it listens to."""

    id: int
    events: frozenset[str]


async def load_subscribers(session: AsyncSession) -> tuple[Subscriber, ...]:
    """The active endpoints (one statement)."""
    rows = await session.execute(
        select(Webhook.id, Webhook.events).where(Webhook.is_active.is_(True))
    )
    return tuple(Subscriber(hook_id, frozenset(events or [])) for hook_id, events in rows)


class HookCache:
    """This process's copy of the subscriptions, reloaded after a change or ``ttl_seconds``."""

    def __init__(self, invalidator: Invalidator, *, ttl_seconds: float) -> None:
        self._memo: Memo[tuple[Subscriber, ...]] = Memo(
            invalidator, WEBHOOKS, ttl_seconds=ttl_seconds
        )

    async def get(self, session: AsyncSession) -> tuple[Subscriber, ...]:
        return await self._memo.get_or_load(lambda: load_subscribers(session))


async def subscribers(session: AsyncSession, hooks: HookCache | None) -> tuple[Subscriber, ...]:
    """The subscriptions, from ``hooks`` when given, else read with ``session``."""
    return await hooks.get(session) if hooks is not None else await load_subscribers(session)


def emit(
    session: AsyncSession, *, to: Sequence[Subscriber], kind: str, data: dict[str, Any]
) -> int:
    """Owe ``kind`` with ``data`` to every endpoint of ``to`` that listens to it (the
    caller commits); returns how many deliveries were added."""
    added = 0
    for hook in to:
        if kind in hook.events:
            session.add(WebhookDelivery(webhook_id=hook.id, event=kind, payload=data,
                                        next_attempt_at=utcnow()))  # fmt: skip
            added += 1
    return added


async def emit_now(
    session: AsyncSession, *, kind: str, data: dict[str, Any], hooks: HookCache | None = None
) -> int:
    """``emit`` to the current subscribers (read through ``hooks`` when given)."""
    return emit(session, to=await subscribers(session, hooks), kind=kind, data=data)
