"""The ``?ptr=`` option of record and bulk writes: keep the PTRs of A/AAAA changes in step."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from dnsmate.api.deps import AppContext
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.pipeline import WriteScope
from dnsmate.services.zonedata import ptr

PtrOption = Annotated[
    bool | None,
    Query(
        alias="ptr",
        description="A/AAAA only: keep the PTR in the managed reverse zone in step (default: "
        "Settings > Record defaults); the answer's `ptr` says what was done or why not",
    ),
]


async def follow_ptr(
    wanted: bool | None, context: AppContext, scope: WriteScope, outcome: WriteOutcome
) -> dict[str, Any]:
    """``{"ptr": ...}`` for the answer when PTR upkeep is on (asked, or by default)."""
    if wanted is None:
        wanted = await context.record_defaults.auto_ptr(scope.session)
    if not wanted or not outcome.any_succeeded:
        return {}
    return {"ptr": await ptr.follow(pipeline=context.pipeline, scope=scope, outcome=outcome)}
