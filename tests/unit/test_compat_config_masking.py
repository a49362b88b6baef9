"""The PowerDNS-compatible ``GET /config``: which settings' values are masked."""

from __future__ import annotations

import pytest

from dnsmate.services.compat.pdns_compat_server import masked

SECRETS = [
    "api-key",
    "webserver-password",
    "gmysql-password",
    "tcp-control-secret",
    "ldap-secret",
    "remote-connection-string",  # a URL may carry user:password
    "gpgsql-extra-connection-parameters",  # a libpq string may carry password=
]
PLAIN = ["webserver-port", "default-ksk-algorithm", "gmysql-host", "api", "keyless"]


@pytest.mark.parametrize("name", SECRETS)
def test_a_secret_is_masked(name: str) -> None:
    assert masked([{"name": name, "type": "ConfigSetting", "value": "s3cr3t"}]) == [
        {"name": name, "type": "ConfigSetting", "value": "***"}
    ]


@pytest.mark.parametrize("name", PLAIN)
def test_other_settings_are_shown(name: str) -> None:
    item = {"name": name, "type": "ConfigSetting", "value": "8081"}
    assert masked([item]) == [item]


def test_an_empty_secret_stays_empty() -> None:
    """An unset secret shows as unset, as PowerDNS shows it."""
    item = {"name": "webserver-password", "type": "ConfigSetting", "value": ""}
    assert masked([item]) == [item]
