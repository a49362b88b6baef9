"""Fleet jobs: long operations run in the background, their state in the database.

``JobRunner.start`` stores a ``FleetJob`` row and runs its work as an asyncio task in this
process; the work reports progress through its ``JobHandle`` (one UPDATE per step) and
ends with a ``JobOutcome``. Any process reads the row (``job_view``), so a job started
through one DNSMate process can be polled through another. A heartbeat moves every
``HEARTBEAT_SECONDS`` while the task lives: a ``running`` job whose heartbeat is older
than ``STALE_SECONDS`` belonged to a process that stopped, and is shown ``interrupted``
(the work is idempotent: start it again). ``cancel_job`` marks a running job's row; the work
asks ``JobHandle.cancel_requested`` before each zone and ends ``cancelled`` there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dnsmate.db import as_utc, utcnow
from dnsmate.models import FleetJob
from dnsmate.services.errors import Conflict, NotFound

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
STALE_SECONDS = 60.0
RUNNING = "running"


@dataclass
class JobOutcome:
    """How a job's work ended: ``succeeded``, ``failed`` or ``cancelled``, with its result."""

    status: str
    result: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


@dataclass
class JobHandle:
    """What a job's work reports through (each call is one short transaction)."""

    job_id: int
    sessions: async_sessionmaker[AsyncSession]

    async def progress(
        self,
        *,
        phase: str | None = None,
        total: int | None = None,
        done: int | None = None,
        current: str | None = None,
    ) -> None:
        """Record the job's phase and how far it got (``current``: the item at hand)."""
        async with self.sessions() as session:
            job = await session.get(FleetJob, self.job_id)
            if job is None:
                return
            if phase is not None:
                job.phase = phase
            if total is not None:
                job.total = total
            if done is not None:
                job.done = done
            job.current = current
            job.heartbeat_at = utcnow()
            await session.commit()

    async def cancel_requested(self) -> bool:
        """Someone asked to cancel the job (``cancel_job``): stop before the next item."""
        async with self.sessions() as session:
            job = await session.get(FleetJob, self.job_id)
            return job is None or job.cancel_requested_at is not None

    async def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or less once the job is asked to cancel (the request may come
        through another process: its row is read every second)."""
        whole = int(seconds)
        for step in range(whole + 1):
            if await self.cancel_requested():
                return
            await asyncio.sleep(1.0 if step < whole else seconds - whole)

    async def cancelled(self, result: dict[str, Any], what: str) -> JobOutcome:
        """The outcome of a job stopped on request; ``what`` says where that left things."""
        async with self.sessions() as session:
            job = await session.get(FleetJob, self.job_id)
            who = (job.cancelled_by if job else None) or "someone"
            done, total = (job.done, job.total) if job else (0, 0)
        return JobOutcome("cancelled", result, f"cancelled by {who} after {done} of {total} "
                                               f"zone(s): {what}")  # fmt: skip


Work = Callable[[JobHandle], Awaitable[JobOutcome]]


class JobRunner:
    """Starts fleet jobs in this process and stops them at shutdown (one per app)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._tasks: dict[int, asyncio.Task[None]] = {}

    async def start(self, *, session: AsyncSession, job: FleetJob, work: Work) -> FleetJob:
        """Store ``job`` (status running) with ``session`` and run ``work`` for it."""
        job.status = RUNNING
        job.heartbeat_at = utcnow()
        session.add(job)
        await session.commit()
        handle = JobHandle(job.id, self.sessions)
        self._tasks[job.id] = asyncio.create_task(
            self._run(handle, work), name=f"dnsmate-job-{job.id}"
        )
        return job

    async def wait(self, job_id: int) -> None:
        """Until the job started here ends (tests and the CLI's in-process use)."""
        task = self._tasks.get(job_id)
        if task is not None:
            await asyncio.shield(task)

    async def aclose(self) -> None:
        """Cancel the jobs still running here; they are recorded as interrupted."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, handle: JobHandle, work: Work) -> None:
        beat = asyncio.create_task(self._heartbeat(handle))
        try:
            outcome = await work(handle)
        except asyncio.CancelledError:
            outcome = JobOutcome("failed", error="interrupted: DNSMate stopped while it ran")
            await self._finish(handle, outcome)
            raise
        except Exception as exc:
            log.exception("fleet job %s failed", handle.job_id)
            outcome = JobOutcome("failed", error=f"internal error: {exc!r}; see the DNSMate log")
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
            self._tasks.pop(handle.job_id, None)
        await self._finish(handle, outcome)

    async def _heartbeat(self, handle: JobHandle) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                async with self.sessions() as session:
                    job = await session.get(FleetJob, handle.job_id)
                    if job is not None:
                        job.heartbeat_at = utcnow()
                        await session.commit()
            except Exception:  # the next beat retries; a stale job only reads "interrupted"
                log.exception("fleet job %s: heartbeat failed", handle.job_id)

    async def _finish(self, handle: JobHandle, outcome: JobOutcome) -> None:
        try:
            async with self.sessions() as session:
                job = await session.get(FleetJob, handle.job_id)
                if job is None:
                    return
                job.status = outcome.status
                job.result = outcome.result
                job.error = outcome.error
                job.current = None
                job.finished_at = job.heartbeat_at = utcnow()
                await session.commit()
        except Exception:
            log.exception("fleet job %s: recording its end failed", handle.job_id)
        log.info("fleet job %s %s: %s", handle.job_id, outcome.status, outcome.error or "")


def job_status(job: FleetJob) -> str:
    """The stored status, or ``interrupted`` for a running job whose heartbeat stopped."""
    if job.status == RUNNING and utcnow() - as_utc(job.heartbeat_at) > timedelta(
        seconds=STALE_SECONDS
    ):
        return "interrupted"
    return job.status


def job_view(job: FleetJob) -> dict[str, Any]:
    """A job in its public form."""
    return {
        "id": job.id,
        "kind": job.kind,
        "server_id": job.server_id,
        "server": job.server_name,
        "source_id": job.source_id,
        "source": job.source_name,
        "status": job_status(job),
        "phase": job.phase,
        "total": job.total,
        "done": job.done,
        "progress": round(job.done / job.total, 4) if job.total else None,
        "current": job.current,
        "options": job.options,
        "result": job.result,
        "error": job.error,
        "actor": job.actor,
        "cancel_requested": job.cancel_requested_at is not None,
        "cancelled_by": job.cancelled_by,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "finished_at": job.finished_at,
    }


async def get_job(*, session: AsyncSession, job_id: int) -> FleetJob:
    job = await session.get(FleetJob, job_id)
    if job is None:
        raise NotFound(f"Job {job_id} not found")
    return job


async def list_jobs(
    *, session: AsyncSession, server_id: int | None = None, limit: int = 50
) -> list[FleetJob]:
    """The latest jobs first, optionally those of one server."""
    query = select(FleetJob).order_by(FleetJob.id.desc()).limit(limit)
    if server_id is not None:
        query = query.where(FleetJob.server_id == server_id)
    return list((await session.scalars(query)).all())


async def refuse_if_running(*, session: AsyncSession, kind: str, server_id: int | None) -> None:
    """Conflict when a job of ``kind`` (on ``server_id``, when given) still runs."""
    query = select(FleetJob).where(FleetJob.status == RUNNING, FleetJob.kind == kind)
    if server_id is not None:
        query = query.where(FleetJob.server_id == server_id)
    for job in await session.scalars(query):
        if job_status(job) == RUNNING:
            raise Conflict(f"Job {job.id} ({job.kind}) is still running: wait for it to end")


async def cancel_job(*, session: AsyncSession, job_id: int, by: str) -> tuple[FleetJob, bool]:
    """Ask a running job to stop before its next zone (whichever process runs it: the work
    reads the request from its row). Asking again changes nothing (False)."""
    job = await get_job(session=session, job_id=job_id)
    status = job_status(job)
    if status != RUNNING:
        raise Conflict(f"Job {job.id} is {status}: only a running job can be cancelled")
    if job.cancel_requested_at is not None:
        return job, False
    job.cancel_requested_at = utcnow()
    job.cancelled_by = by
    await session.commit()
    return job, True
