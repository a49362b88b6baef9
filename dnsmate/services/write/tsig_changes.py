"""TSIG keys on every server: the same name, algorithm and secret everywhere, so a secondary
can transfer a zone from any of them with one key.

DNSMate makes the secret (or takes an imported one) before the fan-out: each server
generating its own would leave the servers with different secrets. The secret is never
stored (``to_json`` leaves it out of the audit log and the retry queue): a creation queued
for a server that was down is parked with what to do (create the key again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from dnsmate.powerdns.client import JSON, PowerDNSClient
from dnsmate.powerdns.errors import PowerDNSConflict, PowerDNSNotFound, PowerDNSRejected
from dnsmate.services.write.changes import Change, Irreversible, ServerChange


@dataclass(frozen=True)
class CreateTSIGKey:
    """Create the key on every server; a server that has it with the same secret is done."""

    name: str
    algorithm: str
    secret: str | None = None
    zone: str = ""  # a TSIG key belongs to no zone
    action: ClassVar[str] = "tsigkey.create"
    verb: ClassVar[str] = "create"
    noun: ClassVar[str] = "TSIG key"

    @property
    def target(self) -> str:
        return f"TSIG key {self.name}"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        if self.secret is None:
            raise PowerDNSRejected(
                f"the secret of TSIG key {self.name} is not stored: create the key again "
                "(POST /api/tsigkeys with its secret) and drop this queued change"
            )
        async with client.write_lock:
            try:
                found = await client.get_tsigkey(f"{self.name}.")
            except PowerDNSNotFound:
                found = None
            if found is not None:
                if found.get("key") == self.secret and found.get("algorithm") == self.algorithm:
                    return ServerChange(False)
                raise PowerDNSConflict(
                    f"A TSIG key named {self.name} exists there with another secret or algorithm"
                )
            key = {"name": self.name, "algorithm": self.algorithm, "key": self.secret}
            await client.create_tsigkey(key)
        return ServerChange(True)

    def undo(self, done: ServerChange) -> Change | None:
        """Delete the key again."""
        return DeleteTSIGKey(name=self.name)

    def to_json(self) -> JSON:
        """The change without its secret."""
        return {"name": self.name, "algorithm": self.algorithm}

    @classmethod
    def from_json(cls, data: JSON) -> CreateTSIGKey:
        return cls(name=data["name"], algorithm=data["algorithm"])


@dataclass(frozen=True)
class DeleteTSIGKey(Irreversible):
    """Delete the key on every server; a server without it is done. Not undone: DNSMate
    keeps no secret to restore."""

    name: str
    zone: str = ""
    action: ClassVar[str] = "tsigkey.delete"
    verb: ClassVar[str] = "delete"
    noun: ClassVar[str] = "TSIG key"

    @property
    def target(self) -> str:
        return f"TSIG key {self.name}"

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        async with client.write_lock:
            try:
                await client.delete_tsigkey(f"{self.name}.")
            except PowerDNSNotFound:
                return ServerChange(False)
        return ServerChange(True)


@dataclass(frozen=True)
class UpdateTSIGKey(Irreversible):
    """Rename a key or change its algorithm or secret on every server (PowerDNS's
    ``PUT /tsigkeys/{id}``); a field left None stays as each server has it.

    Each server ends with the key under ``new_name`` and none under ``name``: one that
    already holds the result is done (a replay), one that lacks the key gets it created when
    the secret is known. Not undone: DNSMate keeps no old secret to restore.
    """

    name: str
    new_name: str
    algorithm: str | None = None
    secret: str | None = None
    secret_lost: bool = False  # a new secret was set, and is not stored (a queued replay)
    zone: str = ""
    action: ClassVar[str] = "tsigkey.update"
    verb: ClassVar[str] = "update"
    noun: ClassVar[str] = "TSIG key"

    @property
    def target(self) -> str:
        if self.new_name != self.name:
            return f"TSIG key {self.name} (renamed {self.new_name})"
        return f"TSIG key {self.name}"

    def _matches(self, key: JSON) -> bool:
        return (self.algorithm is None or key.get("algorithm") == self.algorithm) and (
            self.secret is None or key.get("key") == self.secret
        )

    async def apply(self, client: PowerDNSClient) -> ServerChange:
        if self.secret_lost:
            raise PowerDNSRejected(
                f"the new secret of TSIG key {self.new_name} is not stored: set it again "
                "(PUT /api/tsigkeys/{name} with its secret, or PowerDNS's PUT /tsigkeys/{id} "
                "with its key) and drop this queued change"
            )
        renamed = self.new_name != self.name
        async with client.write_lock:
            old = await _find_key(client, self.name)
            new = await _find_key(client, self.new_name) if renamed else old
            if renamed and old is not None and new is not None:
                # PowerDNS would add a second key of that name: refuse, as the route does.
                raise PowerDNSConflict(f"A TSIG key named {self.new_name} exists there")
            if old is not None:
                if not renamed and self._matches(old):
                    return ServerChange(False)
                await self._rewrite(client, old, at=self.name)
                return ServerChange(True)
            if new is not None:
                if self._matches(new):
                    return ServerChange(False)  # done before (a replay)
                await self._rewrite(client, new, at=self.new_name)
                return ServerChange(True)
            if self.secret is None or self.algorithm is None:
                raise PowerDNSNotFound(f"TSIG key {self.name} is not on this server")
            key = {"name": self.new_name, "algorithm": self.algorithm, "key": self.secret}
            await client.create_tsigkey(key)
        return ServerChange(True)

    async def _rewrite(self, client: PowerDNSClient, found: JSON, *, at: str) -> None:
        """Turn ``found``, the key named ``at``, into the key this change asks for."""
        key = {"name": self.new_name, "algorithm": self.algorithm or found["algorithm"],
               "key": self.secret or found["key"]}  # fmt: skip
        if at == self.new_name and key["algorithm"] != found["algorithm"]:
            # PowerDNS 4.7 answers a PUT of another algorithm alone with it, but keeps the
            # old one (measured on 4.7.3): delete the key and create it again.
            await client.delete_tsigkey(f"{at}.")
            await client.create_tsigkey(key)
        else:
            await client.update_tsigkey(f"{at}.", key)

    def to_json(self) -> JSON:
        """The change without its secret (a replay keeps each server's secret)."""
        return {"name": self.name, "new_name": self.new_name, "algorithm": self.algorithm,
                "secret_changed": self.secret is not None or self.secret_lost}  # fmt: skip

    @classmethod
    def from_json(cls, data: JSON) -> UpdateTSIGKey:
        return cls(name=data["name"], new_name=data["new_name"], algorithm=data["algorithm"],
                   secret_lost=bool(data.get("secret_changed")))  # fmt: skip


async def _find_key(client: PowerDNSClient, name: str) -> JSON | None:
    try:
        return await client.get_tsigkey(f"{name}.")
    except PowerDNSNotFound:
        return None
