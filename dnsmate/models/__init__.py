"""SQLAlchemy tables. Importing this package registers every table on ``Base.metadata``."""

from dnsmate.models.access import ApiToken, AuditEvent, LoginAttempt, ZoneGrant
from dnsmate.models.dnsupdate import DnsUpdateKey
from dnsmate.models.identity import UserIdentity
from dnsmate.models.jobs import FleetJob
from dnsmate.models.passkeys import Passkey
from dnsmate.models.settings import PowerDNSSettings, RecordSettings
from dnsmate.models.stats import server_stats
from dnsmate.models.sync import (
    ChangeDelivery,
    ConsistencySettings,
    ServerBreaker,
    SyncQueueEntry,
    ZoneDriftCheck,
)
from dnsmate.models.teams import Team, TeamMember, TeamZone
from dnsmate.models.template import ZoneDefaults, ZoneTemplate
from dnsmate.models.user import TokenScope, User
from dnsmate.models.versions import VersionSettings, ZoneVersion
from dnsmate.models.webhooks import Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ChangeDelivery",
    "ConsistencySettings",
    "DnsUpdateKey",
    "FleetJob",
    "LoginAttempt",
    "Passkey",
    "PowerDNSSettings",
    "RecordSettings",
    "ServerBreaker",
    "SyncQueueEntry",
    "Team",
    "TeamMember",
    "TeamZone",
    "TokenScope",
    "User",
    "UserIdentity",
    "VersionSettings",
    "Webhook",
    "WebhookDelivery",
    "ZoneDefaults",
    "ZoneDriftCheck",
    "ZoneGrant",
    "ZoneTemplate",
    "ZoneVersion",
    "server_stats",
]
