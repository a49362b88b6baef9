"""Single sign-on through OpenID Connect: start at the provider, come back, get a token.

The browser leaves for the provider from ``/oidc/{provider}/start`` (carrying the pending
sign-in in an encrypted, HttpOnly cookie) and comes back to ``/oidc/{provider}/callback``.
A successful callback puts the login token in a one-minute HttpOnly cookie readable only
by ``POST /sso/session`` and sends the browser to the login page, which collects it:
the token never appears in a URL, a log line or the browser history. A refused sign-in
comes back the same way, its reason sealed in such a cookie and answered by
``POST /sso/session`` as a 401: the login page only ever shows DNSMate's own words (a
reason in the URL, as ``/login?sso_error=`` had it, let any link put a text of its
author's on DNSMate's login page).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse

from dnsmate.api.deps import (
    AuditDep,
    ContextDep,
    SessionDep,
    SignInTargetsDep,
    client_address,
    public_base_url,
)
from dnsmate.schemas.auth import Token
from dnsmate.security import InvalidCredentials
from dnsmate.services.access import throttle
from dnsmate.services.errors import DNSMateError, PermissionDenied, ProviderUnavailable
from dnsmate.services.identity import mapping, provision
from dnsmate.services.identity.oidc import PENDING_SECONDS, Pending

router = APIRouter(prefix="/auth", tags=["auth"])
PENDING_COOKIE = "dnsmate_oidc"
SESSION_COOKIE = "dnsmate_sso"
REFUSAL_COOKIE = "dnsmate_sso_refused"
_PENDING_PATH = "/api/auth/oidc"
_SESSION_PATH = "/api/auth/sso"


def _secure(request: Request, context: ContextDep) -> bool:
    return public_base_url(request, context).startswith("https://")


@router.get("/oidc/{provider}/start", status_code=302, response_class=RedirectResponse)
async def start_oidc_sign_in(provider: str, request: Request, context: ContextDep) -> Response:
    """Send the browser to the provider's sign-in page (authorization code flow, PKCE)."""
    callback = f"{public_base_url(request, context)}/api/auth/oidc/{provider}/callback"
    url, pending = await context.oidc.start(provider, redirect_uri=callback)
    response = RedirectResponse(url, status_code=status.HTTP_302_FOUND)
    response.set_cookie(
        PENDING_COOKIE,
        pending.seal(context.box),
        max_age=PENDING_SECONDS,
        path=_PENDING_PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request, context),
    )
    return response


@router.get("/oidc/{provider}/callback", status_code=303, response_class=RedirectResponse)
async def finish_oidc_sign_in(
    provider: str,
    request: Request,
    session: SessionDep,
    context: ContextDep,
    audit: AuditDep,
    targets: SignInTargetsDep,
    code: str = "",
    state: str = "",
    error: str = "",
    error_description: str = "",
) -> Response:
    """Where the provider sends the browser back: check everything, create or update the
    user from the claims, and hand the login page a token (or the reason for refusal)."""
    request.state.auth_via = f"oidc:{provider}"
    address = client_address(request) or "unknown"
    account = f"oidc:{provider}"
    try:
        # Per address only: every callback of this provider shares the account name, and a
        # failed one needs no secret (``?error=``), so others' failures must not count here.
        attempt = await throttle.begin_attempt(
            session=session, email=account, client_ip=address, account_wide=False
        )
    except DNSMateError as exc:
        return _back_to_login(request, context, error=str(exc))
    try:
        if error:
            raise PermissionDenied(
                f"The provider did not sign you in: {error_description or error}"
            )
        pending = Pending.open(context.box, request.cookies.get(PENDING_COOKIE))
        if pending.provider != provider:
            raise PermissionDenied("The sign-in was started with another provider; start again")
        person = await context.oidc.finish(pending, code=code, state=state)
        account = person.email
        rules = context.oidc.get(provider)
        mapped = await provision.map_or_withdraw(
            session=session, person=person, rules=rules, key=mapping.exact
        )
        signed = await provision.sign_in(
            session=session, servers=targets, person=person, mapped=mapped
        )
    except ProviderUnavailable as exc:
        await throttle.forget_attempt(session=session, attempt=attempt)
        return _back_to_login(request, context, error=str(exc))
    except DNSMateError as exc:
        await throttle.finish_attempt(session=session, attempt=attempt, succeeded=False)
        await audit.record(
            "auth.login_failed", target=account, email=account, outcome="failed", detail=str(exc)
        )
        return _back_to_login(request, context, error=str(exc))
    await throttle.finish_attempt(session=session, attempt=attempt, succeeded=True)
    await audit.record(
        "auth.login", user=signed.user, target=signed.user.email, after=signed.audit()
    )
    return _back_to_login(request, context, token=context.login_token(signed.user))


def _back_to_login(
    request: Request, context: ContextDep, *, token: str = "", error: str = ""
) -> Response:
    """To the login page, which collects the outcome (``token`` or the refusal ``error``)
    from ``POST /sso/session`` within a minute."""
    response = RedirectResponse("/login?sso=done", status_code=status.HTTP_303_SEE_OTHER)
    secure = _secure(request, context)
    response.delete_cookie(PENDING_COOKIE, path=_PENDING_PATH, secure=secure)
    if token:
        kept, value, dropped = SESSION_COOKIE, token, REFUSAL_COOKIE
    else:
        kept, value, dropped = REFUSAL_COOKIE, context.box.encrypt(error), SESSION_COOKIE
    response.set_cookie(kept, value, max_age=60, path=_SESSION_PATH, httponly=True,
                        samesite="lax", secure=secure)  # fmt: skip
    response.delete_cookie(dropped, path=_SESSION_PATH, secure=secure)  # an older outcome
    return response


@router.post("/sso/session", response_model=Token, responses={401: {}, 404: {}})
async def collect_sso_session(
    request: Request, response: Response, context: ContextDep
) -> Response | Token:
    """The login token a single sign-on just produced (once; within a minute); 401 with the
    reason when the sign-on was refused; 404 when there is nothing to collect."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        response.delete_cookie(SESSION_COOKIE, path=_SESSION_PATH)
        return Token(access_token=token)
    sealed = request.cookies.get(REFUSAL_COOKIE)
    if not sealed:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No single sign-on to finish here")
    try:
        reason = context.box.decrypt(sealed)
    except InvalidCredentials:
        reason = "The single sign-on did not finish: sign in again"
    refused = JSONResponse({"detail": reason}, status_code=status.HTTP_401_UNAUTHORIZED)
    refused.delete_cookie(REFUSAL_COOKIE, path=_SESSION_PATH)
    return refused
