"""OpenID Connect sign-in: the authorization code flow with PKCE, through Authlib.

``start`` builds the provider's authorization URL (state, nonce, an S256 code challenge)
and the ``Pending`` sign-in the browser keeps, encrypted, in a cookie until it comes back;
nothing is held in the process, so any DNSMate process can finish what another started.
``finish`` checks the state, exchanges the code (with the verifier and the client's
secret), and validates the ID token with joserfc (Authlib's JOSE library): its signature
against the provider's published keys (JWKS, fetched again once when a key id is
unknown, after a key rotation), the issuer, the audience (and ``azp``), the expiry and
issue time, and the nonce. Missing e-mail or group claims are read from the userinfo
endpoint, whose subject must be the token's.
"""

from __future__ import annotations

import json
import logging
import secrets
import ssl
import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from authlib.oauth2 import OAuth2Error
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from dnsmate.security import InvalidCredentials, SecretBox
from dnsmate.services.errors import NotFound, PermissionDenied, ProviderUnavailable
from dnsmate.services.identity.provision import ExternalPerson
from dnsmate.services.identity.settings import OidcProvider

with warnings.catch_warnings():
    # Authlib 1.9 announces a move of this integration to "httpx2"; DNSMate uses httpx.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.httpx_client import AsyncOAuth2Client

log = logging.getLogger(__name__)

# How long a started sign-in may take at the provider.
PENDING_SECONDS = 600
# Discovery documents and key sets are fetched again after this long.
CACHE_SECONDS = 3600
_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]


@dataclass(frozen=True)
class Pending:
    """A sign-in on its way through the provider (kept by the browser, encrypted)."""

    provider: str
    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    expires: int

    def seal(self, box: SecretBox) -> str:
        """The encrypted cookie value."""
        return box.encrypt(json.dumps(asdict(self)))

    @classmethod
    def open(cls, box: SecretBox, value: str | None) -> Pending:
        """The pending sign-in from its cookie; PermissionDenied when missing or expired."""
        if not value:
            raise PermissionDenied("No sign-in in progress here; start again")
        try:
            pending = cls(**json.loads(box.decrypt(value)))
        except (InvalidCredentials, ValueError, TypeError) as exc:
            raise PermissionDenied("The sign-in could not be read; start again") from exc
        if pending.expires < time.time():
            raise PermissionDenied("The sign-in took too long; start again")
        return pending


@dataclass
class _Cached:
    value: dict[str, Any]
    fetched: float


class OidcProviders:
    """The configured providers, their discovery documents and keys (cached)."""

    def __init__(self, providers: list[OidcProvider]) -> None:
        self._providers = {p.id: p for p in providers}
        self._discovery: dict[str, _Cached] = {}
        self._keys: dict[str, _Cached] = {}

    @property
    def providers(self) -> list[OidcProvider]:
        """Every configured provider, in configuration order."""
        return list(self._providers.values())

    def get(self, provider_id: str) -> OidcProvider:
        """One provider; NotFound when none has this id."""
        try:
            return self._providers[provider_id]
        except KeyError:
            raise NotFound(f"No single sign-on provider {provider_id!r}") from None

    def _client(self, provider: OidcProvider, redirect_uri: str) -> AsyncOAuth2Client:
        verify: ssl.SSLContext | bool = provider.verify_tls
        if provider.verify_tls and provider.ca_file:
            verify = ssl.create_default_context(cafile=provider.ca_file)
        secret = provider.client_secret.get_secret_value() if provider.client_secret else None
        return AsyncOAuth2Client(
            client_id=provider.client_id,
            client_secret=secret,
            token_endpoint_auth_method="client_secret_basic" if secret else "none",
            scope=provider.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            verify=verify,
            timeout=10,
        )

    async def _get_json(self, client: AsyncOAuth2Client, url: str, **kwargs: Any) -> Any:
        try:
            # withhold_token: these requests carry no OAuth token of the client's own.
            response = await client.request("GET", url, withhold_token=True, **kwargs)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(f"OpenID provider: {url}: {exc}") from exc

    async def _document(self, provider: OidcProvider, client: AsyncOAuth2Client) -> dict[str, Any]:
        cached = self._discovery.get(provider.id)
        if cached is None or time.monotonic() - cached.fetched > CACHE_SECONDS:
            issuer = provider.issuer.rstrip("/")
            url = f"{issuer}/.well-known/openid-configuration"
            document = await self._get_json(client, url)
            if (
                not isinstance(document, dict)
                or str(document.get("issuer", "")).rstrip("/") != issuer
            ):
                raise ProviderUnavailable(
                    f"OpenID provider {provider.name}: the discovery document at {url} is "
                    f"for another issuer than {issuer}"
                )
            cached = self._discovery[provider.id] = _Cached(document, time.monotonic())
        return cached.value

    async def _key_set(
        self, provider: OidcProvider, client: AsyncOAuth2Client, *, fresh: bool
    ) -> KeySet:
        cached = self._keys.get(provider.id)
        if fresh or cached is None or time.monotonic() - cached.fetched > CACHE_SECONDS:
            document = await self._document(provider, client)
            keys = await self._get_json(client, document["jwks_uri"])
            cached = self._keys[provider.id] = _Cached(keys, time.monotonic())
        return KeySet.import_key_set(cached.value)  # type: ignore[arg-type]

    async def start(self, provider_id: str, *, redirect_uri: str) -> tuple[str, Pending]:
        """The provider's authorization URL, and the sign-in to keep until the callback."""
        provider = self.get(provider_id)
        pending = Pending(
            provider=provider.id,
            state=secrets.token_urlsafe(24),
            nonce=secrets.token_urlsafe(24),
            verifier=secrets.token_urlsafe(48),
            redirect_uri=redirect_uri,
            expires=int(time.time()) + PENDING_SECONDS,
        )
        async with self._client(provider, redirect_uri) as client:
            document = await self._document(provider, client)
            url, _state = client.create_authorization_url(
                document["authorization_endpoint"],
                state=pending.state,
                code_verifier=pending.verifier,
                nonce=pending.nonce,
            )
        return str(url), pending

    async def finish(self, pending: Pending, *, code: str, state: str) -> ExternalPerson:
        """The person the provider signed in; PermissionDenied when anything does not check
        out, ProviderUnavailable when the provider cannot be asked."""
        provider = self.get(pending.provider)
        if not secrets.compare_digest(state, pending.state):
            raise PermissionDenied("The sign-in does not match the one started here; start again")
        async with self._client(provider, pending.redirect_uri) as client:
            document = await self._document(provider, client)
            try:
                token = await client.fetch_token(
                    document["token_endpoint"], code=code, code_verifier=pending.verifier
                )
            except OAuth2Error as exc:
                raise PermissionDenied(f"{provider.name} refused the sign-in: {exc}") from exc
            except httpx.HTTPError as exc:
                raise ProviderUnavailable(f"OpenID provider {provider.name}: {exc}") from exc
            claims = await self._id_token_claims(provider, client, token, pending, document)
            if not _has(claims, provider.email_claim) or not _has(claims, provider.groups_claim):
                claims = await self._with_userinfo(client, document, token, claims)
        return _person(provider, claims)

    async def _id_token_claims(
        self,
        provider: OidcProvider,
        client: AsyncOAuth2Client,
        token: dict[str, Any],
        pending: Pending,
        document: dict[str, Any],
    ) -> dict[str, Any]:
        raw = token.get("id_token")
        if not isinstance(raw, str):
            raise PermissionDenied(f"{provider.name} sent no ID token")
        try:
            keys = await self._key_set(provider, client, fresh=False)
            try:
                decoded = jwt.decode(raw, keys, algorithms=_ALGORITHMS)
            except JoseError:
                # A key id the cached set does not know: the provider may have rotated.
                keys = await self._key_set(provider, client, fresh=True)
                decoded = jwt.decode(raw, keys, algorithms=_ALGORITHMS)
            registry = jwt.JWTClaimsRegistry(
                leeway=60,
                iss={"essential": True, "value": document["issuer"]},
                aud={"essential": True, "value": provider.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": pending.nonce},
            )
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise PermissionDenied(f"{provider.name}'s ID token is not valid: {exc}") from exc
        claims = dict(decoded.claims)
        audience = claims["aud"]
        if (
            isinstance(audience, list)
            and len(audience) > 1
            and claims.get("azp") != (provider.client_id)
        ):
            raise PermissionDenied(f"{provider.name}'s ID token was issued to another client")
        return claims

    async def _with_userinfo(
        self,
        client: AsyncOAuth2Client,
        document: dict[str, Any],
        token: dict[str, Any],
        claims: dict[str, Any],
    ) -> dict[str, Any]:
        endpoint = document.get("userinfo_endpoint")
        if not endpoint:
            return claims
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        info = await self._get_json(client, endpoint, headers=headers)
        if not isinstance(info, dict) or info.get("sub") != claims["sub"]:
            raise PermissionDenied("The provider's userinfo is about someone else")
        return {**info, **claims}


def _has(claims: dict[str, Any], name: str) -> bool:
    return claims.get(name) not in (None, "", [])


def _person(provider: OidcProvider, claims: dict[str, Any]) -> ExternalPerson:
    email = claims.get(provider.email_claim)
    if not isinstance(email, str) or not email:
        raise PermissionDenied(
            f"{provider.name} sent no e-mail address (claim {provider.email_claim!r})"
        )
    if provider.require_verified_email and claims.get("email_verified") is not True:
        raise PermissionDenied(f"{provider.name} has not verified the e-mail address {email}")
    groups = claims.get(provider.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    names = tuple(sorted(str(g) for g in groups if isinstance(g, str | int)))
    return ExternalPerson(f"oidc:{provider.id}", str(claims["sub"]), email, names)
