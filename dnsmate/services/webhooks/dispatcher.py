"""The background task that sends what the outbox owes: due deliveries, signed, with
back-off between attempts, until an endpoint answers 2xx or the attempts run out.

It runs in the process that leads "webhooks" (one sender across DNSMate processes, like
the health worker). A delivery's outcome is written back to its row: that row is also the
delivery log (status, attempts, last status code and response, last error).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.db import as_utc, utcnow
from dnsmate.models import Webhook, WebhookDelivery
from dnsmate.security import SecretBox
from dnsmate.services.sync import loops
from dnsmate.services.sync.leader import Leadership
from dnsmate.services.webhooks.signing import signed_headers

log = logging.getLogger(__name__)

BATCH = 100
MAX_BACKOFF_SECONDS = 3600.0
RESPONSE_KEPT = 500  # characters of the endpoint's answer kept in the log


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON body sent for ``delivery`` (the same bytes on every attempt)."""
    envelope = {
        "id": delivery.id,
        "event": delivery.event,
        "created_at": as_utc(delivery.created_at).isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


class WebhookDispatcher:
    """Sends due deliveries every ``interval`` seconds while this process leads."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        box: SecretBox,
        lead: Leadership,
        interval: float,
        timeout: float,
        retry_base: float,
        max_attempts: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._sessions = sessions
        self._box = box
        self._lead = lead
        self._interval = interval
        self._retry_base = retry_base
        self._max_attempts = max_attempts
        self._timeout = timeout  # for a whole attempt, the answer included (``_post``)
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._task: asyncio.Task[Any] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(
                loops.every("webhook", self._interval, self.round), name="dnsmate-webhooks"
            )

    async def stop(self) -> None:
        task, self._task = self._task, None
        await loops.stop(task)
        await self._lead.release()
        await self._client.aclose()

    async def round(self) -> int:
        """One round if this process leads the sender; returns the deliveries attempted."""
        if not await self._lead.held():
            return 0
        return await self.run_once()

    async def run_once(self) -> int:
        """Send every due delivery once; returns how many were attempted."""
        async with self._sessions() as session:
            due = list(
                await session.scalars(
                    select(WebhookDelivery)
                    .where(
                        WebhookDelivery.status == "pending",
                        WebhookDelivery.next_attempt_at <= utcnow(),
                    )
                    .order_by(WebhookDelivery.id)
                    .limit(BATCH)
                )
            )
            if not due:
                return 0
            ids = {d.webhook_id for d in due}
            hooks = {
                h.id: h for h in await session.scalars(select(Webhook).where(Webhook.id.in_(ids)))
            }
            await asyncio.gather(*(self._send(d, hooks.get(d.webhook_id)) for d in due))
            await session.commit()
            return len(due)

    async def _send(self, delivery: WebhookDelivery, hook: Webhook | None) -> None:
        if hook is None or not hook.is_active:
            return  # an endpoint turned off keeps its deliveries until it is on again
        body = body_of(delivery)
        headers = signed_headers(
            secret=self._box.decrypt(hook.secret_encrypted),
            timestamp=int(time.time()),
            body=body,
            event=delivery.event,
            delivery=delivery.id,
        )
        delivery.attempts += 1
        try:
            status, answer = await self._post(hook.url, body, headers)
        except (httpx.HTTPError, TimeoutError) as exc:
            self._failed(delivery, hook, error=f"{type(exc).__name__}: {exc}")
            return
        delivery.last_status_code = status
        delivery.last_response = answer
        if 200 <= status < 300:
            delivery.status = "delivered"
            delivery.delivered_at = utcnow()
            delivery.last_error = None
            log.info("webhook %s: delivered %s #%s", hook.name, delivery.event, delivery.id)
            return
        self._failed(delivery, hook, error=f"HTTP {status}")

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        """The status and the start of the answer to one attempt. Only the part of the
        answer the log keeps is read, within the timeout: an endless or trickling answer
        must not hold this round (every endpoint's deliveries) or fill the memory."""
        deadline = asyncio.get_running_loop().time() + self._timeout
        async with asyncio.timeout_at(deadline):
            headers = {**headers, "Accept-Encoding": "identity"}  # the log keeps raw bytes
            request = self._client.build_request("POST", url, content=body, headers=headers)
            response = await self._client.send(request, stream=True)
        kept = bytearray()
        try:
            async with asyncio.timeout_at(deadline):
                async for chunk in response.aiter_raw(RESPONSE_KEPT):
                    kept += chunk
                    if len(kept) >= RESPONSE_KEPT:
                        break
        except (httpx.HTTPError, TimeoutError):
            pass  # the status is in: what came of the answer is enough for the log
        finally:
            await response.aclose()
        return response.status_code, kept[:RESPONSE_KEPT].decode("utf-8", "replace")

    def _failed(self, delivery: WebhookDelivery, hook: Webhook, *, error: str) -> None:
        delivery.last_error = error
        if delivery.attempts >= self._max_attempts:
            delivery.status = "failed"
            log.warning("webhook %s: gave up on %s #%s after %s attempts: %s",
                        hook.name, delivery.event, delivery.id, delivery.attempts,
                        error)  # fmt: skip
            return
        wait = min(self._retry_base * 2 ** (delivery.attempts - 1), MAX_BACKOFF_SECONDS)
        delivery.next_attempt_at = utcnow() + timedelta(seconds=wait)
        log.info("webhook %s: %s #%s failed (%s), next attempt in %.1fs",
                 hook.name, delivery.event, delivery.id, error, wait)  # fmt: skip
