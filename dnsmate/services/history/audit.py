"""The audit log: who did what, when, how, from where, and what each server answered.

Events are append-only: this module only inserts and reads; nothing updates or deletes
them. DNS changes are added by the write pipeline's record step (``add_change_event``) with
the RRsets before and after and the per-server outcome; everything else (settings, users,
tokens, logins) through ``record_event``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.db import as_utc
from dnsmate.models import AuditEvent, ChangeDelivery, User
from dnsmate.powerdns.client import JSON
from dnsmate.powerdns.names import display, fqdn
from dnsmate.services.access import permissions
from dnsmate.services.write.changes import ServerChange
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.zone_changes import UpdateZoneSettings

# Bigger before/after lists (a zone import) are cut to this many RRsets in the log.
MAX_RRSETS = 500


@dataclass(frozen=True)
class Actor:
    """Who acted and how: the user (None before login), "web"/"token:<name>"/"cli", address."""

    user: User | None
    via: str
    client_ip: str | None


async def record_event(
    *,
    session: AsyncSession,
    actor: Actor,
    action: str,
    target: str | None = None,
    zone: str | None = None,
    outcome: str = "success",
    before: Any = None,
    after: Any = None,
    servers: Any = None,
    detail: str | None = None,
    email: str | None = None,
    commit: bool = True,
) -> AuditEvent:
    """Append one event. ``email`` names the account when there is no user (failed login)."""
    user = actor.user
    event = AuditEvent(
        user_id=user.id if user is not None else None,
        user_email=user.email if user is not None else email,
        via=actor.via,
        client_ip=actor.client_ip,
        action=action,
        zone=None if zone is None else fqdn(zone),
        target=target,
        outcome=outcome,
        before=before,
        after=after,
        servers=servers,
        detail=detail,
    )
    session.add(event)
    if commit:
        await session.commit()
    return event


def _cut(rrsets: list[JSON], notes: list[str], label: str) -> list[JSON]:
    if len(rrsets) <= MAX_RRSETS:
        return rrsets
    notes.append(f"{label} cut to {MAX_RRSETS} of {len(rrsets)} RRsets")
    return rrsets[:MAX_RRSETS]


def _target(change: Any) -> str:
    target = getattr(change, "target", None)
    if isinstance(target, str):  # a change that names its own target (DnsUpdate)
        return target
    record = getattr(change, "record", None)
    if record is not None:
        return f"{display(record.name)} {record.type}"
    name, rtype = getattr(change, "name", None), getattr(change, "type", None)
    if isinstance(name, str) and isinstance(rtype, str):
        return f"{display(name)} {rtype}"
    rrsets = getattr(change, "rrsets", None)
    if isinstance(rrsets, tuple):
        return f"{display(change.zone)} ({len(rrsets)} RRsets)"
    return display(change.zone)


def outcome_of(outcome: WriteOutcome) -> str:
    """success, partial or failed, from the per-server results."""
    if outcome.all_succeeded:
        return "success"
    return "partial" if outcome.any_succeeded else "failed"


def server_outcomes(
    outcome: WriteOutcome, headline: ServerChange | None, notes: list[str]
) -> list[dict[str, Any]]:
    """Per server: success/failed/queued/rolled_back/skipped, error, and its own before/after
    when it differs from the headline (the first server that applied the change)."""
    rolled_back, queued = set(outcome.rolled_back_servers), set(outcome.queued_servers)
    entries = []
    for r in outcome.results:
        state = "success" if r.success else ("skipped" if r.skipped else "failed")
        if r.server in rolled_back:
            state = "rolled_back"
        elif r.server in queued:
            state = "queued"
        entry: dict[str, Any] = {**r.public(), "outcome": state}
        value = r.value
        if value is not None:
            entry["changed"] = value.changed
            if headline is not None and value is not headline:
                if value.before != headline.before:
                    entry["before"] = _cut(value.before, notes, f"{r.server} before")
                if value.after != headline.after:
                    entry["after"] = _cut(value.after, notes, f"{r.server} after")
        entries.append(entry)
    return entries


async def add_change_event(
    *, session: AsyncSession, actor: Actor, outcome: WriteOutcome
) -> AuditEvent:
    """Add the audit event of one change (every zone/record write); the caller commits."""
    change = outcome.change
    headline = next((r.value for r in outcome.results if r.success and r.value), None)
    notes: list[str] = []
    before: Any = None
    after: Any = None
    if headline is not None and isinstance(change, UpdateZoneSettings):
        # Settings (catalog, kind, ...): the fields and metadata as they were, and as set.
        before = headline.zone_before
        after = {"fields": change.fields, "metadata": change.metadata}
    elif headline is not None:
        # A deleted zone's content is its "before" (what the deletion removed).
        old = headline.before or (headline.zone_before or {}).get("rrsets", [])
        before = _cut(old, notes, "before")
        after = _cut(headline.after, notes, "after")
    servers = server_outcomes(outcome, headline, notes)
    if outcome.decision.policy:
        notes.append(f"partial-failure policy: {outcome.decision.policy}")
    notes.extend(outcome.rollback.errors)
    result = outcome_of(outcome)
    if outcome.zone_absent_everywhere:
        # Answered 404: the deletion did not happen, whatever the servers said.
        result = "failed"
        notes.append("the zone was not found on any server")
    return await record_event(
        session=session,
        actor=actor,
        action=change.action,
        target=_target(change),
        zone=change.zone,
        outcome=result,
        before=before,
        after=after,
        servers=servers,
        detail="; ".join(notes) or None,
        commit=False,
    )


async def list_events(
    *,
    session: AsyncSession,
    viewer: User,
    zone: str | None = None,
    user: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[Sequence[AuditEvent], int]:
    """Newest first. Admins see every event; others the events of zones they may read.

    ``user`` is a user id or an e-mail; ``action`` matches exactly or as a prefix
    (``record`` matches ``record.create``).
    """
    query = select(AuditEvent)
    if not permissions.is_admin(viewer):
        allowed = await permissions.granted_zones(session=session, user=viewer)
        query = query.where(AuditEvent.zone.is_not(None))
        if allowed is not None:
            query = query.where(AuditEvent.zone.in_(sorted(allowed)))
    if zone:
        query = query.where(AuditEvent.zone == fqdn(zone))
    if user:
        if user.isdigit():
            query = query.where(AuditEvent.user_id == int(user))
        else:
            query = query.where(AuditEvent.user_email == user.strip().lower())
    if action:
        query = query.where(
            or_(
                AuditEvent.action == action,
                AuditEvent.action.startswith(action.rstrip(".") + ".", autoescape=True),
            )
        )
    if since is not None:
        query = query.where(AuditEvent.created_at >= as_utc(since))
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(
        query.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page).limit(per_page)
    )
    return rows.all(), total


SIGN_IN_ACTIONS = ("auth.login", "auth.login_failed")


async def sign_ins(*, session: AsyncSession, user: User, limit: int = 20) -> Sequence[AuditEvent]:
    """The user's latest sign-ins and failed attempts at their account, newest first."""
    query = select(AuditEvent).where(
        AuditEvent.action.in_(SIGN_IN_ACTIONS),
        or_(AuditEvent.user_id == user.id, AuditEvent.user_email == user.email),
    )
    rows = await session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))
    return rows.all()


# Per-server states that still owe the change after its write answered.
_OWED = frozenset({"queued", "failed", "skipped"})


async def event_views(
    *, session: AsyncSession, events: Sequence[AuditEvent]
) -> list[dict[str, Any]]:
    """Events as the log shows them, completed by their deliveries (``ChangeDelivery``):
    a server the retry queue later delivered to shows ``delivered`` with the time, and an
    event whose every owed server got the change reads ``success`` with ``delivered_at``."""
    ids = [event.id for event in events]
    found: dict[int, list[ChangeDelivery]] = {}
    if ids:
        query = select(ChangeDelivery).where(ChangeDelivery.event_id.in_(ids))
        for delivery in await session.scalars(query.order_by(ChangeDelivery.id)):
            found.setdefault(delivery.event_id, []).append(delivery)
    return [_completed(event, found.get(event.id, [])) for event in events]


def _completed(event: AuditEvent, deliveries: list[ChangeDelivery]) -> dict[str, Any]:
    view = {column: getattr(event, column) for column in _COLUMNS}
    view["deliveries"] = [
        {"server": d.server, "delivered_at": d.delivered_at, "how": d.how, "note": d.note}
        for d in deliveries
    ]
    view["delivered_at"] = None
    if not deliveries or not isinstance(event.servers, list):
        return view
    by_server = {d.server: d for d in deliveries}
    servers, owed = [], False
    for entry in event.servers:
        delivery = by_server.get(str(entry.get("server"))) if isinstance(entry, dict) else None
        if delivery is not None:
            entry = {**entry, "outcome": "delivered", "delivered_at": delivery.delivered_at}
        elif isinstance(entry, dict) and entry.get("outcome") in _OWED:
            owed = True
        servers.append(entry)
    view["servers"] = servers
    if not owed and event.outcome in ("partial", "failed"):
        view["outcome"] = "success"
        view["delivered_at"] = max(as_utc(d.delivered_at) for d in deliveries)
    return view


_COLUMNS = (
    "id", "created_at", "user_id", "user_email", "via", "client_ip", "action", "zone",
    "target", "outcome", "before", "after", "servers", "detail",
)  # fmt: skip
