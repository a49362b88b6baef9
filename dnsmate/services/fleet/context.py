"""What fleet jobs need from the running app, and who started them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import User
from dnsmate.services.fleet.jobs import JobRunner
from dnsmate.services.history.audit import Actor
from dnsmate.services.sync.runtime import SyncRuntime
from dnsmate.services.write.pipeline import WritePipeline


@dataclass(frozen=True)
class Fleet:
    """The job runner, the sync runtime (clients, sessions, replay) and the write pipeline.

    ``settle_seconds``: how long another DNSMate process may still use its copy of the
    servers without seeing a change (``server_cache_seconds`` with several processes on
    PostgreSQL; 0 with SQLite, one process, whose own copy is dropped at the commit).
    """

    runner: JobRunner
    runtime: SyncRuntime
    pipeline: WritePipeline
    settle_seconds: float = 0.0


@dataclass(frozen=True)
class ActorRef:
    """Who started a job, kept by id: the job's own sessions load the user again."""

    user_id: int | None
    email: str | None
    via: str
    client_ip: str | None

    @classmethod
    def of(cls, actor: Actor) -> ActorRef:
        user = actor.user
        return cls(
            user.id if user else None, user.email if user else None, actor.via, actor.client_ip
        )

    async def actor(self, session: AsyncSession) -> Actor:
        """The actor with the user loaded in ``session``."""
        user = None if self.user_id is None else await session.get(User, self.user_id)
        return Actor(user, self.via, self.client_ip)
