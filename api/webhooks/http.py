"""POST one webhook, with the care a URL typed by someone else needs (SSRF).

The standard library's `http.client`, not `requests` (a development-only dependency here) nor
`urllib.request`: urllib follows redirects and honours proxy variables by default, and
neither lets the check of the address and the connection use the same lookup. Here:

- only `http` and `https` URLs, with a host and without user:password;
- the host is resolved once, every address it resolves to is checked, and the socket is
  connected to a checked address (no second lookup a DNS rebinding could answer
  differently); a private, loopback, link-local or otherwise non-public address is refused
  unless `WEBHOOKS["ALLOW_PRIVATE_ADDRESSES"]` (DEBUG's default: tests and `make run`);
- redirects are answers like any other (a 3xx is a failed attempt), no proxy is used;
- a short timeout on the connection and each read, and at most 4 KB of the answer read.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

READ_AT_MOST = 4096


class WebhookRefused(Exception):
    """The URL or the address it resolves to may not be called (the message says why)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def private_allowed() -> bool:
    return bool(settings.WEBHOOKS["ALLOW_PRIVATE_ADDRESSES"])


def url_problem(url: str) -> str:
    """Why `url` cannot be a webhook's address ("" when it can be). The addresses its host
    resolves to are checked when it is called, not here: they can change."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return "The URL is not valid."
    if parts.scheme not in ("http", "https"):
        return "A webhook URL starts with https:// (or http://)."
    if not parts.hostname:
        return "The URL has no host."
    if parts.username or parts.password:
        return "A webhook URL may not carry a user name or password."
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        return ""
    if not private_allowed() and not _public(address):
        return f"{address} is not a public address: the portal does not call its own network."
    return ""


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def _connect(address, timeout, source_address=None, *args, **kwargs):
    """`socket.create_connection` with the check: every address of the host must be public
    (unless allowed), and the socket goes to one of those very addresses."""
    host, port = address
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise WebhookRefused(f"The host {host} cannot be resolved ({exc.strerror}).") from None
    checked = []
    for family, kind, proto, _, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if not private_allowed() and not _public(ip):
            raise WebhookRefused(
                f"{host} resolves to {ip}, not a public address: the portal does not call its "
                "own network."
            )
        checked.append((family, kind, proto, sockaddr))
    error = None
    for family, kind, proto, sockaddr in checked:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            error = exc
            sock.close()
    raise error or OSError(f"No address to connect to for {host}.")


def post(url: str, body: bytes, headers: dict, *, timeout: float | None = None) -> Answer:
    """POST `body` to `url`; the answer's status and the start of its body. Raises
    WebhookRefused for a URL or address that may not be called, OSError (timeouts included)
    and http.client.HTTPException for a connection that failed."""
    problem = url_problem(url)
    if problem:
        raise WebhookRefused(problem)
    timeout = settings.WEBHOOKS["TIMEOUT_SECONDS"] if timeout is None else timeout
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    connection._create_connection = _connect  # the checked connect, for http and https alike
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(READ_AT_MOST).decode("utf-8", "replace")
        return Answer(status=response.status, body=text)
    finally:
        connection.close()
