"""DynDNS2 at ``/nic/update`` (outside ``/api``, where dyndns2 clients look for it).

Authentication is HTTP basic with a DNSMate API token as the password (or the user name);
the answer is the protocol's plain text, one line per host (``services/dyndns/update.py``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import PlainTextResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from dnsmate.api.deps import ContextDep, SessionDep, client_address
from dnsmate.services.access import tokens
from dnsmate.services.dyndns.update import (
    MAX_HOSTS,
    DynDnsRequest,
    parse_addresses,
    update_host,
)
from dnsmate.services.errors import InvalidInput

router = APIRouter(tags=["dyndns"])


class _Basic(HTTPBasic):
    """HTTP basic credentials, or None: a header that is not valid basic auth (not base64,
    not ASCII, no ``:``) is answered ``badauth`` like a wrong token, not FastAPI's JSON 401."""

    async def __call__(self, request: Request) -> HTTPBasicCredentials | None:  # type: ignore[override]
        try:
            return await super().__call__(request)
        except HTTPException:
            return None


_basic = _Basic(auto_error=False, realm="DNSMate")


@router.get(
    "/nic/update",
    response_class=PlainTextResponse,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        401: {"content": {"text/plain": {"schema": {"type": "string"}}}},
    },
)
async def update_dyndns(
    request: Request,
    session: SessionDep,
    context: ContextDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
    hostname: str = "",
    myip: str | None = None,
    myipv6: str | None = None,
) -> PlainTextResponse:
    """Set hosts' A/AAAA records (dyndns2): one answer line per host, in order."""
    secrets = [credentials.password, credentials.username] if credentials else []
    secret = next((s for s in secrets if tokens.looks_like_token(s)), None)
    found = None
    if secret is not None:
        found = await tokens.authenticate_token(session=session, secret=secret, dyndns=True)
    if found is None:
        return PlainTextResponse(
            "badauth", status_code=401, headers={"WWW-Authenticate": 'Basic realm="DNSMate"'}
        )
    user, token = found
    request.state.user = user  # the access log names it
    hosts = [h.strip() for h in hostname.split(",") if h.strip()]
    if not hosts:
        return PlainTextResponse("notfqdn")
    if len(hosts) > MAX_HOSTS:
        return PlainTextResponse("numhost")
    try:
        addresses = parse_addresses(myip, myipv6, client_address(request))
    except InvalidInput:
        return PlainTextResponse("\n".join("dnserr" for _ in hosts))
    call = DynDnsRequest(
        session=session,
        pipeline=context.pipeline,
        guard=context.dyndns_guard,
        user=user,
        token_id=token.id,
        via=f"dyndns:{token.name}",
        client_ip=client_address(request),
    )
    lines = [await update_host(call, host, addresses) for host in hosts]
    return PlainTextResponse("\n".join(lines))
