"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 in a thread, written as a
partner would write one. It checks each request with the README's recipe
(`api.webhooks.signing.verify`), answers what the test tells it to (204 unless told), and keeps
each event once by its `Webhook-Id`, only when it answered 2xx (a 500 means "not processed")."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.webhooks.signing import verify


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    verified: bool
    answered: int

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    answers: list = field(default_factory=list)  # statuses to answer, in order; then 204
    requests: list = field(default_factory=list)
    kept: dict = field(default_factory=dict)  # Webhook-Id -> the event, once
    url: str = ""

    def answer(self, *statuses):
        self.answers.extend(statuses)

    def handle(self, path, headers, body) -> tuple[int, dict]:
        verified = verify(self.secret, headers, body)
        status = self.answers.pop(0) if self.answers else 204
        if not verified:
            status = 401
        self.requests.append(Received(path, dict(headers), body, verified, status))
        if 200 <= status < 300:
            self.kept.setdefault(headers["Webhook-Id"], json.loads(body))
        extra = {"Location": "http://127.0.0.1:9/elsewhere"} if 300 <= status < 400 else {}
        return status, extra


def _handler(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, extra = receiver.handle(self.path, self.headers, body)
            payload = b'{"ok": true}' if status < 300 else b"receiver says no"
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # quiet test output
            pass

    return Handler


@pytest.fixture
def receiver():
    hub = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/porting"
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
