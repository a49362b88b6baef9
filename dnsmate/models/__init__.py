"""SQLAlchemy tables. Importing this package registers every table on ``Base.metadata``."""

from dnsmate.models.settings import PowerDNSSettings
from dnsmate.models.user import User

__all__ = ["PowerDNSSettings", "User"]
