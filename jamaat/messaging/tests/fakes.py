"""Fake provider servers for tests: the Telegram Bot API and the WhatsApp Cloud API on 127.0.0.1.

Each runs a `ThreadingHTTPServer` on a random free port in a daemon thread and records what it
receives. They never contact anything else.

Scripting: `push(action, …)` queues actions for the next requests (first in, first out);
`rules[recipient] = action` applies to every request for that chat or number. Actions:

    ("ok",)                       answer normally
    ("rate_limit", seconds)       429 with retry_after (Telegram: parameters.retry_after; both
                                  also send a Retry-After header)
    ("error", status, text)       an error answer, e.g. (500, …), (502, …), (400, …), (403, …)
    ("wa_error", status, code, text)  WhatsApp Graph error with an error code (e.g. 131026)
    ("hang", seconds)             say nothing for that long (past the client's timeout), then 200
    ("delay", seconds)            answer normally after a pause
    ("drop",)                     close the connection without an answer

`delay` (seconds) slows every answer down. `hold_request = n` keeps the n-th request to arrive
waiting, unanswered, until `release.set()` (to kill a client at a known moment).

What "received" means: `requests` holds only requests the fake answered while the client was
still connected (recorded just before the answer is written, so a client never sees an answer
the list does not hold yet). When the client is gone by the time the answer is ready (a worker
killed mid-request), or the answer cannot be written, the request goes to `dropped` instead: it
models a request that never reached the provider, so the provider did not act on it.
"""

from __future__ import annotations

import itertools
import json
import re
import select
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    api: str  # Telegram method or "messages"
    body: dict
    headers: dict
    at: float  # time.monotonic() when the request arrived
    status: int = 0
    recipient: str = ""
    extra: dict = field(default_factory=dict)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class FakeServer:
    def __init__(self, *, delay: float = 0.0):
        self.delay = delay
        self.requests: list[Recorded] = []
        self.dropped: list[Recorded] = []
        self.arrived = 0
        self.in_flight = 0
        self.script: list[tuple] = []
        self.rules: dict[str, tuple] = {}
        self.cond = threading.Condition()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self.hold_request: int | None = None
        self.release = threading.Event()
        self.httpd: _Server | None = None
        self.thread: threading.Thread | None = None

    # --- lifecycle
    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.release.set()
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    # --- scripting and inspection
    def push(self, *actions: tuple) -> None:
        with self.cond:
            self.script.extend(actions)

    def wait_until(self, predicate, timeout: float = 10.0) -> bool:
        end = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(left)
            return True

    def recipients(self, api: str | None = None) -> list[str]:
        """Recipients of the requests answered with success (2xx), in order."""
        with self.cond:
            return [
                r.recipient
                for r in self.requests
                if 200 <= r.status < 300 and (api is None or r.api == api)
            ]

    # --- the server side
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        arrived = time.monotonic()
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        body = self._parse(raw, h.headers.get("Content-Type", ""))
        rec = Recorded(method, h.path, "", body, dict(h.headers), arrived)
        with self.cond:
            self.arrived += 1
            number = self.arrived
            self.in_flight += 1
            self.cond.notify_all()
        try:
            if number == self.hold_request:
                self.release.wait(30)
            status, payload, headers, action = self.answer(rec)
            pause = self.delay
            if action[0] in ("hang", "delay"):
                pause += float(action[1])
            if pause:
                self._stopping.wait(pause)
            if action[0] == "drop":
                h.close_connection = True
                with self.cond:
                    self.dropped.append(rec)
                return
            if not self._client_connected(h.connection):
                with self.cond:
                    self.dropped.append(rec)
                return
            data = json.dumps(payload).encode()
            rec.status = status
            with self.cond:  # recorded before the answer leaves, so a client never sees it first
                self.requests.append(rec)
            try:
                h.send_response(status)
                h.send_header("Content-Type", "application/json")
                h.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    h.send_header(k, v)
                h.end_headers()
                h.wfile.write(data)
                h.wfile.flush()
            except OSError:
                with self.cond:
                    self.requests.remove(rec)
                    self.dropped.append(rec)
                return
        finally:
            with self.cond:
                self.in_flight -= 1
                self.cond.notify_all()

    @staticmethod
    def _parse(raw: bytes, content_type: str) -> dict:
        if not raw:
            return {}
        if "json" in content_type:
            try:
                return json.loads(raw)
            except ValueError:
                return {"_invalid_json": raw.decode("utf-8", "replace")}
        return {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}

    @staticmethod
    def _client_connected(sock: socket.socket) -> bool:
        """False when the client closed its end (EOF waiting to be read) or reset it."""
        try:
            readable, _w, _x = select.select([sock], [], [], 0)
            if not readable:
                return True
            return sock.recv(1, socket.MSG_PEEK) != b""
        except OSError:
            return False

    def next_action(self, recipient: str) -> tuple:
        with self.cond:
            if recipient in self.rules:
                return self.rules[recipient]
            if self.script:
                return self.script.pop(0)
        return ("ok",)

    def answer(self, rec: Recorded) -> tuple[int, dict, dict, tuple]:
        raise NotImplementedError


class FakeTelegram(FakeServer):
    """`/bot<token>/sendMessage`, `/bot<token>/getChatMemberCount`, `/bot<token>/getMe`."""

    def __init__(self, token: str = "123456:TEST-token", **kw):  # noqa: S107
        super().__init__(**kw)
        self.token = token
        self.member_counts: dict[str, int] = {}

    @staticmethod
    def error(status: int, description: str, **parameters) -> dict:
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        return body

    def answer(self, rec):
        m = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", rec.path)
        if not m:
            return 404, self.error(404, "Not Found"), {}, ("ok",)
        rec.api = m["method"]
        rec.recipient = str(rec.body.get("chat_id", ""))
        if m["token"] != self.token:
            return 401, self.error(401, "Unauthorized"), {}, ("ok",)
        action = self.next_action(rec.recipient)
        kind = action[0]
        if kind == "rate_limit":
            seconds = int(action[1])
            return (
                429,
                self.error(429, f"Too Many Requests: retry after {seconds}", retry_after=seconds),
                {"Retry-After": str(seconds)},
                action,
            )
        if kind == "error":
            return action[1], self.error(action[1], action[2]), {}, action
        if rec.api == "getMe":
            result = {
                "id": 42,
                "is_bot": True,
                "first_name": "Jamaat",
                "username": "jamaat_test_bot",
            }
            return 200, {"ok": True, "result": result}, {}, action
        if rec.api == "getChatMemberCount":
            if not rec.recipient:
                return 400, self.error(400, "Bad Request: chat_id is empty"), {}, action
            count = self.member_counts.get(rec.recipient, 1234)
            return 200, {"ok": True, "result": count}, {}, action
        if rec.api == "sendMessage":
            text = rec.body.get("text", "")
            if not rec.recipient:
                return 400, self.error(400, "Bad Request: chat_id is empty"), {}, action
            if not text:
                return 400, self.error(400, "Bad Request: message text is empty"), {}, action
            if len(text) > 4096:
                return 400, self.error(400, "Bad Request: message is too long"), {}, action
            message_id = next(self._ids)
            rec.extra["message_id"] = message_id
            chat = (
                {"id": -100123, "type": "channel", "username": rec.recipient[1:]}
                if rec.recipient.startswith("@")
                else {"id": int(rec.recipient), "type": "private"}
            )
            result = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat,
                "text": text,
            }
            return 200, {"ok": True, "result": result}, {}, action
        return 404, self.error(404, "Not Found: method not found"), {}, action


class FakeWhatsApp(FakeServer):
    """`POST /v21.0/<phone_number_id>/messages` and `GET /v21.0/<phone_number_id>`."""

    version = "v21.0"

    def __init__(
        self,
        token: str = "EAAG-test-token",  # noqa: S107
        phone_number_id: str = "1098765432",
        **kw,
    ):
        super().__init__(**kw)
        self.token = token
        self.phone_number_id = phone_number_id

    @property
    def base_url(self) -> str:
        return f"{self.url}/{self.version}"

    @staticmethod
    def error(code: int, message: str, **extra) -> dict:
        return {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "AbCdEf",
                **extra,
            }
        }

    def answer(self, rec):
        m = re.fullmatch(rf"/{self.version}/(?P<pnid>[^/]+)(?P<rest>/messages)?", rec.path)
        if not m:
            return 404, self.error(803, "Unknown path"), {}, ("ok",)
        rec.api = "messages" if m["rest"] else "phone_number"
        rec.recipient = str(rec.body.get("to", ""))
        if rec.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, self.error(190, "Invalid OAuth access token."), {}, ("ok",)
        if m["pnid"] != self.phone_number_id:
            return 400, self.error(100, "Unsupported post request."), {}, ("ok",)
        action = self.next_action(rec.recipient)
        kind = action[0]
        if kind == "rate_limit":
            seconds = int(action[1])
            return (
                429,
                self.error(130429, "(#130429) Rate limit hit"),
                {"Retry-After": str(seconds)},
                action,
            )
        if kind == "error":
            return action[1], self.error(1, action[2]), {}, action
        if kind == "wa_error":
            return action[1], self.error(action[2], action[3]), {}, action
        if rec.api == "phone_number":
            info = {
                "id": self.phone_number_id,
                "display_phone_number": "+996 312 000 000",
                "verified_name": "Jamaat test",
            }
            return 200, info, {}, action
        body = rec.body
        template = body.get("template") or {}
        if (
            rec.method != "POST"
            or body.get("messaging_product") != "whatsapp"
            or body.get("type") != "template"
            or not template.get("name")
            or not (template.get("language") or {}).get("code")
        ):
            return 400, self.error(100, "(#100) Invalid parameter"), {}, action
        if not re.fullmatch(r"\+?\d{8,15}", rec.recipient):
            return 400, self.error(100, "(#100) Invalid parameter: to"), {}, action
        wamid = f"wamid.TEST{next(self._ids):06d}"
        rec.extra["id"] = wamid
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": rec.recipient, "wa_id": rec.recipient.lstrip("+")}],
            "messages": [{"id": wamid}],
        }
        return 200, answer, {}, action
