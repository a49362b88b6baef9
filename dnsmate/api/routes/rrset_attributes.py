"""A record's disabled flag and its RRset's comments, set on every target server."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from dnsmate.api.deps import PipelineDep, WriteScopeDep, ZoneWriter
from dnsmate.api.responses import fan_out_responses
from dnsmate.api.results import multi_response
from dnsmate.powerdns.names import display
from dnsmate.schemas.records import CommentsUpdate, RecordDisabledUpdate
from dnsmate.schemas.zone_writes import (
    CommentsChanged,
    CommentsChangedPartial,
    RecordDisabledChanged,
    RecordDisabledChangedPartial,
)
from dnsmate.services.sync.policy import PartialFailurePolicy
from dnsmate.services.write.rrset_changes import comments_change, disabled_change

router = APIRouter(prefix="/records", tags=["records"])


@router.put(
    "/{zone}/{name}/{type}/disabled",
    responses=fan_out_responses(RecordDisabledChanged, RecordDisabledChangedPartial),
)
async def set_record_disabled(
    zone: str,
    name: str,
    type: str,
    body: RecordDisabledUpdate,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    _user: ZoneWriter,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Disable (not served in DNS, kept) or enable one record; 409 when it is gone."""
    change = disabled_change(
        zone=zone, name=name, rtype=type, content=body.content, disabled=body.disabled
    )
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    out = {"name": display(change.name), "type": change.type, "content": change.content,
           "disabled": change.disabled}  # fmt: skip
    return multi_response(outcome, action="update", noun="Record", body=out)


@router.put(
    "/{zone}/{name}/{type}/comments",
    responses=fan_out_responses(CommentsChanged, CommentsChangedPartial),
)
async def set_rrset_comments(
    zone: str,
    name: str,
    type: str,
    body: CommentsUpdate,
    pipeline: PipelineDep,
    scope: WriteScopeDep,
    user: ZoneWriter,
    on_partial_failure: PartialFailurePolicy | None = None,
) -> JSONResponse:
    """Set the comments of the RRset ``name``/``type`` (its records stay); 409 when it is gone."""
    change = comments_change(
        zone=zone, name=name, rtype=type, account=user.email,
        comments=[c.model_dump(exclude={"modified_at"}) for c in body.comments],
    )  # fmt: skip
    outcome = await pipeline.run(change, scope=scope, policy=on_partial_failure)
    out = {"name": display(change.name), "type": change.type, "comments": list(change.comments)}
    return multi_response(outcome, action="update", noun="Comments", body=out)
