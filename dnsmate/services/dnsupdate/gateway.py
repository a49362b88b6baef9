"""The DNS UPDATE gateway: one wire message in, one wire answer out.

    read (unverified) -> TSIG key -> verify -> read the update -> authorize -> write pipeline
    -> RCODE

(A QUERY for a zone's SOA is answered too, signed or not: clients such as certbot ask the
update server which zone a name belongs to; and a zone transfer, over TCP, signed by a key
whose user may read the zone: ExternalDNS lists records that way; see ``query``.)

Every UPDATE must be signed with a key made in DNSMate (``keys``): unsigned is REFUSED, an
unknown key, a bad signature or a clock too far off is NOTAUTH with a TSIG RR naming the
error (RFC 8945 section 5.2): BADKEY and BADSIG unsigned (an empty MAC), BADTIME signed
with the request's key, the request's time in Time Signed and the server's in Other Data
(``tsig_errors``). The same signed UPDATE sent again gets the first answer and changes
nothing (``replay``). The key acts as its user: ``permissions.check_zone`` decides, as on
the API, and a refusal is REFUSED. The update is ONE change through the write pipeline, to
every target, with the same partial-failure rules as the API; its outcome maps to an RCODE:

- the change stands (applied, partial, or queued for a server that is down): NOERROR;
- a prerequisite failed: its RCODE (NXDOMAIN, YXDOMAIN, NXRRSET, YXRRSET);
- the zone is on no server: NOTAUTH; PowerDNS refused the data: REFUSED;
- anything else (no server answered, rolled back): SERVFAIL.

At most ``MAX_AT_ONCE`` messages are served at a time, the rest wait their turn: each holds
a connection of the request pool (its session) until its write is recorded, and a flood of
UPDATEs must leave the rest of the pool to the API's users (the listener also bounds how
many UDP messages may wait).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import dns.exception
import dns.flags
import dns.message
import dns.opcode
import dns.rcode
import dns.rdatatype
import dns.tsig
from sqlalchemy.ext.asyncio import AsyncSession

from dnsmate.models import DnsUpdateKey, User
from dnsmate.powerdns.errors import PowerDNSError, PowerDNSNotFound, PowerDNSRejected
from dnsmate.powerdns.names import display, fqdn
from dnsmate.security import InvalidCredentials, SecretBox
from dnsmate.services.access import permissions
from dnsmate.services.dnsupdate import keys
from dnsmate.services.dnsupdate.change import DnsUpdate, PrerequisiteFailed
from dnsmate.services.dnsupdate.message import UpdateError, read_update
from dnsmate.services.dnsupdate.query import axfr_answers, soa_answer, transfer_wires
from dnsmate.services.dnsupdate.replay import SeenUpdates
from dnsmate.services.dnsupdate.tsig_errors import TsigFailed, tsig_error_answer
from dnsmate.services.errors import InvalidInput, NoServerAvailable, PermissionDenied
from dnsmate.services.history import audit
from dnsmate.services.write.outcome import WriteOutcome
from dnsmate.services.write.pipeline import WritePipeline, WriteScope

log = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]
# Messages served at once (the request pool has 5 + 10 connections).
MAX_AT_ONCE = 4


class DnsUpdateGateway:
    """Answers DNS UPDATE messages; the listener (``listener``) feeds it bytes."""

    def __init__(self, *, sessions: SessionFactory, pipeline: WritePipeline, box: SecretBox):
        self._sessions = sessions
        self._pipeline = pipeline
        self._box = box
        self._seen = SeenUpdates()  # a signed UPDATE sent again is not applied again
        self._turns = asyncio.Semaphore(MAX_AT_ONCE)

    async def handle(self, wire: bytes, client_ip: str | None, *, tcp: bool = False) -> list[bytes]:
        """The answer to one message: usually one, several for a zone transfer (TCP only),
        none when it is not worth one (not DNS at all, or a response)."""
        try:
            unverified = dns.message.from_wire(wire, keyring=False, one_rr_per_rrset=True)
        except dns.exception.DNSException:
            error = _format_error(wire)
            return [] if error is None else [error]
        if unverified.flags & dns.flags.QR:
            return []  # a response: never answer one
        opcode = unverified.opcode()
        if opcode not in (dns.opcode.UPDATE, dns.opcode.QUERY):
            return [_answer(unverified, "NOTIMP")]
        transfer = opcode == dns.opcode.QUERY and _is_transfer(unverified)
        if transfer and not tcp:
            return [_answer(unverified, "REFUSED")]  # a zone transfer needs TCP
        if not unverified.had_tsig:
            if opcode == dns.opcode.QUERY and not transfer:
                async with self._turns, self._sessions() as session:
                    return [await self._query(session, unverified)]
            log.warning("DNS %s from %s refused: not signed (TSIG is required)",
                        "AXFR" if transfer else "UPDATE", client_ip)  # fmt: skip
            return [_answer(unverified, "REFUSED")]
        async with self._turns, self._sessions() as session:
            key = await keys.find_key(session=session, name=str(unverified.keyname))
            try:
                message, key = self._verify(wire, unverified, key, client_ip)
            except TsigFailed as exc:
                return [tsig_error_answer(unverified, exc.error, exc.key)]
            if transfer:
                return await self._transfer(session, message, key, client_ip)
            if opcode == dns.opcode.QUERY:
                return [await self._query(session, message)]
            answer = await self._seen.once(
                message, lambda: self._update(session, message, key, client_ip)
            )
            return [answer if answer is not None else _answer(message, "SERVFAIL")]

    async def _transfer(
        self,
        session: AsyncSession,
        message: dns.message.Message,
        key: DnsUpdateKey,
        client_ip: str | None,
    ) -> list[bytes]:
        """A zone transfer for a key whose user may read the zone."""
        zone = fqdn(message.question[0].name.to_text())
        user = await keys.acting_user(session=session, key=key)
        try:
            if user is None:
                raise PermissionDenied("the key's user is not active")
            await permissions.check_zone(session=session, user=user, zone=zone, write=False)
            targets = await self._pipeline.targets(session)
            answers = await axfr_answers(targets=targets, query=message)
        except (PermissionDenied, InvalidInput) as exc:
            log.info("AXFR of %s from %s (key %s) refused: %s", zone, client_ip, key.name, exc)
            return [_answer(message, "REFUSED")]
        except PowerDNSNotFound:
            return [_answer(message, "NOTAUTH")]
        except (NoServerAvailable, PowerDNSError):
            return [_answer(message, "SERVFAIL")]
        log.info("AXFR of %s to %s (key %s): %d messages", display(zone), client_ip, key.name,
                 len(answers))  # fmt: skip
        return transfer_wires(answers)

    async def _update(
        self,
        session: AsyncSession,
        message: dns.message.Message,
        key: DnsUpdateKey,
        client_ip: str | None,
    ) -> bytes:
        """The answer to a verified UPDATE signed with ``key``."""
        try:
            change = read_update(message)
        except UpdateError as exc:
            log.info("DNS UPDATE from %s (key %s): %s %s", client_ip, key.name, exc.rcode,
                     exc.reason)  # fmt: skip
            return _answer(message, exc.rcode)
        user = await keys.acting_user(session=session, key=key)
        actor = audit.Actor(user, f"dns-update:{display(key.name)}", client_ip)
        if user is None:
            return _answer(message, "REFUSED")
        rcode = await self._apply(session, change, actor, user)
        log.info("DNS UPDATE of %s from %s (key %s, user %s): %s", display(change.zone),
                 client_ip, key.name, user.email, rcode)  # fmt: skip
        return _answer(message, rcode)

    async def _query(self, session: AsyncSession, message: dns.message.Message) -> bytes:
        """A zone's SOA, so clients can find the zone a name belongs to (certbot asks)."""
        try:
            targets = await self._pipeline.targets(session)
        except NoServerAvailable:
            return _answer(message, "SERVFAIL")
        response = await soa_answer(targets=targets, query=message)
        wire: bytes = response.to_wire()
        return wire

    def _verify(
        self,
        wire: bytes,
        unverified: dns.message.Message,
        key: DnsUpdateKey | None,
        client_ip: str | None,
    ) -> tuple[dns.message.Message, DnsUpdateKey]:
        """The message, its TSIG verified with ``key``; TsigFailed (logged) when it fails."""
        name = str(unverified.keyname)
        if key is None or unverified.keyalgorithm != keys.ALGORITHMS[key.algorithm]:
            log.warning("DNS message from %s: unknown TSIG key %s (or another algorithm)",
                        client_ip, name)  # fmt: skip
            raise TsigFailed(dns.rcode.BADKEY)
        try:
            tsig_key = keys.tsig_key(key, self._box)
        except InvalidCredentials as exc:  # a secret this instance cannot decrypt
            log.warning("DNS message from %s with key %s: its secret cannot be read", client_ip,
                        name)  # fmt: skip
            raise TsigFailed(dns.rcode.BADKEY) from exc
        try:
            message = dns.message.from_wire(
                wire, keyring={unverified.keyname: tsig_key}, one_rr_per_rrset=True
            )
        except dns.tsig.BadTime as exc:  # the MAC is right, the clocks disagree
            log.warning("DNS message from %s with key %s: TSIG time outside the fudge",
                        client_ip, name)  # fmt: skip
            raise TsigFailed(dns.rcode.BADTIME, tsig_key) from exc
        except dns.exception.DNSException as exc:
            log.warning("DNS message from %s with key %s: TSIG failed: %s", client_ip, name,
                        type(exc).__name__)  # fmt: skip
            raise TsigFailed(dns.rcode.BADSIG) from exc
        return message, key

    async def _apply(
        self, session: AsyncSession, change: DnsUpdate, actor: audit.Actor, user: User
    ) -> str:
        """Authorize and run the change; the RCODE of its outcome."""
        try:  # the zone check of a record write on the API; the pipeline checks record
            # limits before it writes anything, so its PermissionDenied is a refusal too
            await permissions.check_zone(session=session, user=user, zone=change.zone, write=True)
            targets = await self._pipeline.targets(session)
            outcome = await self._pipeline.run(change, scope=WriteScope(session, actor, targets))
        except (PermissionDenied, InvalidInput) as exc:
            await audit.record_event(session=session, actor=actor, action=change.action,
                                     target=change.target, zone=change.zone, outcome="failed",
                                     detail=f"refused: {exc}")  # fmt: skip
            return "REFUSED"
        except NoServerAvailable:
            return "SERVFAIL"
        return rcode_of(outcome)


def rcode_of(outcome: WriteOutcome) -> str:
    """The RCODE for a write's outcome (see the module docstring)."""
    if outcome.decision.durable:
        return "NOERROR"
    errors = [r.exc for r in outcome.results if r.exc is not None]
    failed = next((e for e in errors if isinstance(e, PrerequisiteFailed)), None)
    if failed is not None:
        return failed.rcode
    if errors and all(isinstance(e, PowerDNSNotFound) for e in errors):
        return "NOTAUTH"
    if any(isinstance(e, PowerDNSRejected) for e in errors):
        return "REFUSED"
    return "SERVFAIL"


def _answer(query: dns.message.Message, rcode: str) -> bytes:
    """The response to ``query`` with ``rcode``, signed when the query was verified."""
    response = dns.message.make_response(query)
    response.set_rcode(dns.rcode.from_text(rcode))
    wire: bytes = response.to_wire()
    return wire


def _is_transfer(message: dns.message.Message) -> bool:
    return len(message.question) == 1 and message.question[0].rdtype in (
        dns.rdatatype.AXFR,
        dns.rdatatype.IXFR,
    )


def _format_error(wire: bytes) -> bytes | None:
    """FORMERR for a message dnspython cannot read, when it at least has a DNS header."""
    if len(wire) < 12 or wire[2] & 0x80:
        return None  # too short to answer, or a response
    header = bytearray(wire[:12])
    header[2] = 0x80 | (wire[2] & 0x78)  # QR, the query's opcode
    header[3] = dns.rcode.FORMERR
    header[4:12] = bytes(8)  # no sections
    return bytes(header)
