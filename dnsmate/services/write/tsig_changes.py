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
