"""Every route's dependencies run on the event loop, and the write routes' graphs stay small.

FastAPI runs a plain ``def`` dependency in a worker thread: a thread hand-off on every
request that uses it (``get_context`` was one, on nearly every route). And it walks a
dependency's own dependencies again wherever another dependency shares it, so a graph where
everything asks for the context and the session through each other costs a few tenths of a
millisecond of CPU per request for nothing (issue 11: a fifth of a record write's CPU).
"""

from __future__ import annotations

import inspect
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import _iter_routes_with_context

from tests.conftest import Api


def _routes(api: Api) -> list[tuple[str, str, Dependant]]:
    found = []
    for route, context in _iter_routes_with_context(api.app.routes):
        if context is not None and context.dependant is not None:
            for method in sorted(getattr(route, "methods", None) or ["-"]):
                found.append((method, context.path, context.dependant))
    return found


def _runs_on_the_loop(call: Any) -> bool:
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return True
    # Security schemes (HTTPBearer, APIKeyHeader) are objects with an async __call__.
    return not inspect.isfunction(call) and inspect.iscoroutinefunction(type(call).__call__)


def _nodes(dependant: Dependant) -> int:
    """Dependency nodes FastAPI solves for a request (shared ones once per sharer)."""
    return 1 + sum(_nodes(sub) for sub in dependant.dependencies)


def _sync_dependencies(dependant: Dependant) -> set[str]:
    found: set[str] = set()
    for sub in dependant.dependencies:
        if sub.call is not None and not _runs_on_the_loop(sub.call):
            found.add(getattr(sub.call, "__qualname__", repr(sub.call)))
        found |= _sync_dependencies(sub)
    return found


async def test_no_route_has_a_dependency_that_runs_in_a_worker_thread(api: Api) -> None:
    routes = _routes(api)
    assert len(routes) > 150  # every router is walked, those included in others too

    sync = {f"{method} {path}": _sync_dependencies(d) for method, path, d in routes}

    assert {route: names for route, names in sync.items() if names} == {}


async def test_single_record_writes_solve_a_small_dependency_graph(api: Api) -> None:
    sizes = {(method, path): _nodes(d) for method, path, d in _routes(api)}

    # The path and query parameters, the body, the pipeline, the zone check and the write
    # scope with the caller and session they share: 13 (was 29 with the nested graph).
    for route in [
        ("POST", "/api/records/{zone}"),
        ("PUT", "/api/records/{zone}/{name}/{type}"),
        ("PATCH", "/api/v1/servers/localhost/zones/{zone_id}"),
    ]:
        assert sizes[route] <= 13, (route, sizes[route])
