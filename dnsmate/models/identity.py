"""Accounts at identity providers linked to DNSMate users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from dnsmate.db import Base, utcnow


class UserIdentity(Base):
    """A person at a provider (``ldap`` or ``oidc:<id>``) and the DNSMate user they sign in as.

    ``subject`` is the provider's stable id (LDAP: the id attribute, e.g. entryUUID or
    objectGUID; OpenID: the ``sub`` claim), so a renamed e-mail still finds the account.
    """

    __tablename__ = "user_identities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        Index("uq_user_identities_provider_subject", "provider", "subject", unique=True),
    )
