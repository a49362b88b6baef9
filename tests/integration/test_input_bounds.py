"""Integers beyond 64 bits in any path or query parameter are refused (422), never a 500."""

from __future__ import annotations

from typing import Any

from dnsmate.dev.pdns_local import LocalPowerDNS
from tests.conftest import Api
from tests.integration.conftest import register_servers, unique_zone

HUGE = str(2**63)


def _is_integer(parameter: dict[str, Any]) -> bool:
    return '"integer"' in str(parameter.get("schema")).replace("'", '"')


async def test_every_integer_parameter_is_bounded(
    api: Api, pdns_servers: list[LocalPowerDNS]
) -> None:
    await register_servers(api.client, pdns_servers[:1], (False,))
    zone = unique_zone("bounds")
    created = await api.client.post(
        "/api/zones", json={"name": zone, "kind": "Native", "nameservers": ["ns1.example.net."]}
    )
    assert created.status_code == 201, created.text
    document = (await api.client.get("/openapi.json")).json()
    tried: list[str] = []
    failures: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            integers = [p for p in parameters if _is_integer(p)]
            if not integers:
                continue
            for huge in integers:  # one parameter at a time, the others valid
                url, query = path, {}
                for parameter in parameters:
                    value = HUGE if parameter is huge else "1" if _is_integer(parameter) else zone
                    if parameter["in"] == "path":
                        url = url.replace("{" + parameter["name"] + "}", value)
                    elif parameter is huge:
                        query[parameter["name"]] = value
                body = {} if method in ("post", "put", "patch") else None
                response = await api.client.request(method.upper(), url, params=query, json=body)
                tried.append(f"{method.upper()} {path} {huge['name']}")
                if response.status_code >= 500:
                    failures.append(f"{tried[-1]}: {response.status_code} {response.text[:200]}")
    assert len(tried) >= 20, tried
    assert not failures, "\n".join(failures)
