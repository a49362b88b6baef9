"""The one HTTP client for DNSMate's API, and the one translation of its failures.

Every command goes through ``DNSMateClient.request``: base URL, bearer token, timeout,
and the mapping of transport errors and HTTP error answers to ``CLIError`` (exit 1, the
message and the per-server errors on stderr). A 207 answer is not an error: it comes back
as a ``Reply`` whose ``partial`` is true, and the command exits 3 after printing it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError
from rich.console import Console

from dnsmate.cli.config import ClientConfig
from dnsmate.schemas.outcomes import ServerOutcome

EXIT_FAILURE = 1
EXIT_PARTIAL = 3
_OUTCOMES = TypeAdapter(list[ServerOutcome])


class CLIError(Exception):
    """A failure shown to the operator: a message, detail lines, and exit code 1.

    Commands let it propagate; ``output.handle_errors`` (applied to every client command)
    prints it to stderr and exits.
    """

    exit_code = EXIT_FAILURE

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def show(self) -> None:
        err = Console(stderr=True, highlight=False)
        err.print("[red]Error:[/red] ", end="")
        err.print(self.message, markup=False)
        for line in self.details:
            err.print(f"  {line}", markup=False)


class OTPRequired(CLIError):
    """The account has two-factor login on: the login must be repeated with a code."""


@dataclass
class Reply:
    """A successful (2xx) answer; ``partial``: some servers failed (207), or the change is
    only queued for them so far (202)."""

    status: int
    data: Any

    @property
    def partial(self) -> bool:
        return self.status in (202, 207)

    @property
    def servers(self) -> list[ServerOutcome]:
        """The per-server outcome of a fan-out write (empty for other answers)."""
        raw = self.data.get("servers") if isinstance(self.data, dict) else None
        try:
            return _OUTCOMES.validate_python(raw or [])
        except ValidationError as exc:
            raise CLIError(f"Unexpected per-server outcome from DNSMate: {exc}") from exc

    @property
    def failed_servers(self) -> list[str]:
        return self._list("failed_servers")

    @property
    def queued_servers(self) -> list[str]:
        return self._list("queued_servers")

    def _list(self, key: str) -> list[str]:
        if isinstance(self.data, dict):
            return [str(s) for s in self.data.get(key) or []]
        return []


def segment(value: str) -> str:
    """One URL path segment (record names like ``@`` or ``_acme-challenge`` stay intact)."""
    return quote(value, safe="")


class DNSMateClient:
    """DNSMate's HTTP API at ``url``, authenticated with a bearer ``token``."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 120.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.url, headers=headers, timeout=timeout, transport=transport
        )

    @classmethod
    def from_config(cls, config: ClientConfig, *, require_token: bool = True) -> DNSMateClient:
        if require_token and not config.token:
            raise CLIError(
                "Not logged in: run `dnsmate login` (or set DNSMATE_URL and DNSMATE_TOKEN)"
            )
        return cls(config.url, config.token)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DNSMateClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, path: str, **params: Any) -> Any:
        clean = {k: v for k, v in params.items() if v is not None}
        return self.request("GET", path, params=clean).data

    def post(self, path: str, body: Any) -> Reply:
        return self.request("POST", path, json=body)

    def put(self, path: str, body: Any) -> Reply:
        return self.request("PUT", path, json=body)

    def delete(self, path: str, **params: Any) -> Reply:
        clean = {k: v for k, v in params.items() if v is not None}
        return self.request("DELETE", path, params=clean)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request; a 4xx/5xx answer or a transport failure raises CLIError."""
        with self._translated():
            response = self._http.request(
                method, path, json=json, params=params, content=content, headers=headers
            )
        data = _body(response)
        if response.status_code >= 400:
            raise _http_error(response, data)
        return Reply(response.status_code, data)

    def download(
        self,
        path: str,
        sink: IO[bytes],
        *,
        params: dict[str, Any] | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> dict[str, str]:
        """Stream a binary answer into ``sink``; returns the response headers."""
        with self._translated(), self._http.stream("GET", path, params=params) as response:
            if response.status_code >= 400:
                response.read()
                raise _http_error(response, _body(response))
            total = int(response.headers.get("content-length") or 0) or None
            done = 0
            for chunk in response.iter_bytes():
                sink.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            return dict(response.headers)

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Transport failures as CLIError (the one place for them)."""
        try:
            yield
        except httpx.TimeoutException as exc:
            raise CLIError(f"DNSMate at {self.url} did not answer in time") from exc
        except httpx.TransportError as exc:
            raise CLIError(f"Cannot reach DNSMate at {self.url}: {exc}") from exc


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _http_error(response: httpx.Response, data: Any) -> CLIError:
    status = response.status_code
    body = data if isinstance(data, dict) else {}
    if status == 401:
        if response.headers.get("X-DNSMate-OTP") == "required":
            return OTPRequired("Two-factor code required")
        reason = body.get("message") or body.get("detail") or "Not authenticated"
        if response.request.url.path.endswith("/api/auth/login"):
            return CLIError(f"{reason} (HTTP 401)")
        return CLIError(f"{reason} (HTTP 401): run `dnsmate login`")
    message = body.get("message") or body.get("error")
    detail = body.get("detail")
    details = [_error_line(e) for e in body.get("errors", [])]
    if isinstance(detail, list) and not message:  # FastAPI's own validation errors
        details += [_validation_line(item) for item in detail if isinstance(item, dict)]
        message = "Invalid request"
    elif isinstance(detail, str):
        message = message or detail
    if not message:
        message = data if isinstance(data, str) and data else f"HTTP {status}"
    return CLIError(f"{message} (HTTP {status})", details)


def _error_line(error: Any) -> str:
    """A per-server error ("Name: reason") or a row error of a batch."""
    if isinstance(error, dict) and "row" in error:
        return f"row {error['row']}: {error.get('field', '')}: {error.get('message', '')}"
    return str(error)


def _validation_line(item: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in item.get("loc", []) if p != "body")
    return f"{loc}: {item.get('msg', '')}" if loc else str(item.get("msg", ""))
