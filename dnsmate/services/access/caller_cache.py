"""The authenticated caller, held in memory for a few seconds.

Every request authenticates: a login token needs its user's row (still active? password
unchanged?), an API token its token's row and its user's. The outcome is kept for
``auth_cache_seconds`` (5), keyed by a hash of the presented secret, and never longer than
the API token is valid. Any committed change to a user or an API token (password, role,
deactivation, revocation, a new token) drops every entry: at once in the process that made
it, and on PostgreSQL in every other process as soon as its notification arrives; nothing
is served from memory while a process is not listening (see
``dnsmate.services.invalidation``), so ``auth_cache_seconds`` bounds only a lost
notification. A login token's signature is checked when the token is first seen (the
secret is the signed token itself) and its entry lives no longer than the token's expiry.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from dnsmate.db import as_utc, utcnow
from dnsmate.models import TokenScope, User
from dnsmate.services.invalidation import AUTH, Invalidator, Memo


@dataclass(frozen=True)
class Caller:
    """Who a secret authenticated: the user's column values and the token's limits."""

    columns: dict[str, Any]
    scope: TokenScope | None
    token_name: str | None

    @property
    def via(self) -> str:
        """How the caller came in, for the audit log ("web" or "token:<name>")."""
        return "web" if self.token_name is None else f"token:{self.token_name}"


class CallerCache:
    """Authenticated callers by secret (hashed), dropped on any user or token change."""

    def __init__(self, invalidator: Invalidator, *, ttl_seconds: float) -> None:
        self._memo: Memo[Caller] = Memo(invalidator, AUTH, ttl_seconds=ttl_seconds)

    @staticmethod
    def _key(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def generation(self) -> int:
        """Read it before authenticating from the database; give it back to ``put``."""
        return self._memo.generation

    def get(self, secret: str) -> Caller | None:
        """The caller ``secret`` authenticated a moment ago, if nothing changed since."""
        return self._memo.get(self._key(secret))

    def put(
        self,
        secret: str,
        user: User,
        *,
        generation: int,
        token_name: str | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        """Remember that ``secret`` authenticated ``user`` (with the token's limits)."""
        columns = {attr.key: getattr(user, attr.key) for attr in inspect(User).column_attrs}
        caller = Caller(copy.deepcopy(columns), user.token_scope, token_name)
        ttl = None if expires_at is None else (as_utc(expires_at) - utcnow()).total_seconds()
        self._memo.put(self._key(secret), caller, generation=generation, ttl=ttl)

    @staticmethod
    async def user(caller: Caller, session: AsyncSession) -> User:
        """The caller's user as a row of ``session``, without reading the database."""
        user = User(**copy.deepcopy(caller.columns))
        make_transient_to_detached(user)
        merged = await session.merge(user, load=False)
        merged.token_scope = caller.scope
        return merged
