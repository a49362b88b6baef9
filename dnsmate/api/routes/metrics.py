"""Prometheus metrics at ``/metrics`` (outside ``/api``, where scrapers look for them)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from dnsmate.api.deps import ContextDep, MetricsReader, SessionDep
from dnsmate.api.responses import AUTH_RESPONSES
from dnsmate.services.sync.metrics import render_metrics

router = APIRouter(tags=["metrics"], responses=AUTH_RESPONSES)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
            "description": "Prometheus text exposition format",
        }
    },
)
async def read_metrics(
    session: SessionDep, context: ContextDep, _reader: MetricsReader
) -> Response:
    """Per-server operations and latency, breaker states, queue depth, drifted zones."""
    body = await render_metrics(session=session, metrics=context.sync.metrics)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
