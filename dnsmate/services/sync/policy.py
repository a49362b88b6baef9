"""The stored partial-failure policy: what a write does when some servers miss it.

``retry`` (the default), ``report`` or ``rollback``; a request may name its own with
``?on_partial_failure=``. What each one decides is ``dnsmate.services.write.settle``.
"""

from __future__ import annotations

from typing import Literal, cast, get_args

from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import ConsistencySettings

PartialFailurePolicy = Literal["retry", "report", "rollback"]
POLICIES: tuple[str, ...] = get_args(PartialFailurePolicy)
DEFAULT_POLICY: PartialFailurePolicy = "retry"


async def get_policy(session: AsyncSession) -> PartialFailurePolicy:
    """The configured partial-failure policy (``retry`` until an admin changes it)."""
    row = await session.get(ConsistencySettings, 1)
    if row is None or row.on_partial_failure not in POLICIES:
        return DEFAULT_POLICY
    return cast(PartialFailurePolicy, row.on_partial_failure)


async def set_policy(*, session: AsyncSession, policy: PartialFailurePolicy) -> str:
    """Store the partial-failure policy for every later write."""
    row = await session.get(ConsistencySettings, 1)
    if row is None:
        row = ConsistencySettings(id=1)
        session.add(row)
    row.on_partial_failure = policy
    await session.commit()
    return policy
