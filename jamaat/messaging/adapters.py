"""Provider adapters: Telegram Bot API, WhatsApp Business Cloud API and email.

Each send returns the provider's message id or raises:
- `RetryableError` (429 with `retry_after`, 5xx, timeouts, connection errors): try again later;
- `PermanentError` (other 4xx: blocked bot, unknown chat, invalid number, bad template…): don't.
  `recipient_gone` is set when the recipient itself refused or does not exist, so the subscriber
  can be unsubscribed.

HTTP is plain `urllib.request` with a short timeout (`MESSAGING_HTTP_TIMEOUT`, 10 s). Tokens never
appear in error texts (Telegram puts the token in the URL path, so URLs are never logged).
"""

from __future__ import annotations

import http.client
import json
import smtplib
import socket
import urllib.error
import urllib.parse
import urllib.request
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext_lazy as _

DEFAULT_TIMEOUT = 10.0
TELEGRAM_BASE = "https://api.telegram.org"
WHATSAPP_BASE = "https://graph.facebook.com/v21.0"
TELEGRAM_TEXT_LIMIT = 4096

# Graph API error codes: throttling (retry) and "this number cannot receive" (unsubscribe).
WHATSAPP_THROTTLE_CODES = {4, 80007, 130429, 131048, 131056}
WHATSAPP_RECIPIENT_GONE_CODES = {131026}

ERROR_KINDS = {
    "timeout": _("The provider did not answer in time."),
    "connection": _("The provider could not be reached."),
    "rate_limited": _("The provider asked to slow down."),
    "server_error": _("The provider had an internal error."),
    "rejected": _("The provider refused the message."),
    "blocked": _("The recipient blocked the bot or left."),
    "invalid_recipient": _("The address or number cannot receive messages."),
    "not_configured": _("No account is set up for this provider."),
    "interrupted": _("The worker stopped while sending; the message was queued again."),
    "error": _("Unexpected error."),
}


class DeliveryError(Exception):
    kind = "error"

    def __init__(
        self, detail: str = "", *, http_status: int | None = None, kind: str | None = None
    ):
        super().__init__(detail)
        self.detail = detail
        self.http_status = http_status
        if kind:
            self.kind = kind


class RetryableError(DeliveryError):
    kind = "server_error"

    def __init__(self, detail: str = "", *, retry_after: float | None = None, **kw):
        super().__init__(detail, **kw)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    kind = "rejected"

    def __init__(self, detail: str = "", *, recipient_gone: bool = False, **kw):
        super().__init__(detail, **kw)
        self.recipient_gone = recipient_gone


class NotConfigured(PermanentError):
    kind = "not_configured"


def http_timeout() -> float:
    return float(getattr(settings, "MESSAGING_HTTP_TIMEOUT", DEFAULT_TIMEOUT))


def _retry_after_header(headers) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class HttpJsonClient:
    """POST/GET JSON with a short timeout; turns transport failures into `RetryableError`."""

    def __init__(self, base_url: str, timeout: float | None = None, headers=None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout if timeout is not None else http_timeout()
        self.headers = dict(headers or {})
        parts = urllib.parse.urlsplit(self.base_url)
        if parts.scheme not in ("http", "https"):
            raise NotConfigured(f"API address must be http(s), not {parts.scheme!r}")
        host = parts.hostname or ""
        handlers = []
        if host in {"127.0.0.1", "localhost", "::1"}:
            handlers.append(urllib.request.ProxyHandler({}))  # never proxy the local fakes
        self.opener = urllib.request.build_opener(*handlers)
        self.host = host

    def request(self, method: str, path: str, data: dict | None = None):
        """Return (status, headers, parsed JSON or None) for any HTTP answer, raise on no answer."""
        body = json.dumps(data).encode() if data is not None else None
        req = urllib.request.Request(  # noqa: S310 (the scheme is checked to be http(s))
            self.base_url + path,
            data=body,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"}
            | self.headers,
        )
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                status, headers, raw = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as exc:
            status, headers = exc.code, exc.headers
            try:
                raw = exc.read()
            except (OSError, http.client.HTTPException):
                raw = b""
        except TimeoutError as exc:
            raise RetryableError(
                f"{self.host}: no answer within {self.timeout:g} s", kind="timeout"
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise RetryableError(
                    f"{self.host}: no answer within {self.timeout:g} s", kind="timeout"
                ) from exc
            raise RetryableError(f"{self.host}: {reason}", kind="connection") from exc
        except (http.client.HTTPException, OSError) as exc:
            raise RetryableError(
                f"{self.host}: {type(exc).__name__} {exc}", kind="connection"
            ) from exc
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            parsed = None
        return status, headers, parsed


class TelegramAdapter:
    """Telegram Bot API: direct messages to chats that started the bot, and channel posts."""

    provider = "telegram"

    def __init__(self, token: str, base_url: str = TELEGRAM_BASE, timeout: float | None = None):
        if not token:
            raise NotConfigured("Telegram bot token is not set")
        self.token = token
        self.client = HttpJsonClient(base_url, timeout)
        self.rate_key = ("telegram", token)

    def _call(self, method: str, data: dict):
        status, headers, body = self.client.request("POST", f"/bot{self.token}/{method}", data)
        body = body if isinstance(body, dict) else {}
        if 200 <= status < 300 and body.get("ok"):
            return body.get("result")
        description = str(body.get("description") or f"HTTP {status}")[:500]
        params = body.get("parameters") or {}
        if status == 429:
            retry_after = params.get("retry_after")
            retry_after = (
                float(retry_after) if retry_after is not None else _retry_after_header(headers)
            )
            raise RetryableError(
                description, retry_after=retry_after, http_status=status, kind="rate_limited"
            )
        if status >= 500 or status == 408:
            raise RetryableError(
                description,
                retry_after=_retry_after_header(headers),
                http_status=status,
                kind="server_error",
            )
        if 200 <= status < 300:  # 200 with ok=false: treat as a refusal
            raise PermanentError(description, http_status=status)
        lowered = description.lower()
        if status == 403:
            raise PermanentError(
                description, http_status=status, recipient_gone=True, kind="blocked"
            )
        if status == 400 and ("chat not found" in lowered or "user not found" in lowered):
            raise PermanentError(
                description, http_status=status, recipient_gone=True, kind="invalid_recipient"
            )
        raise PermanentError(description, http_status=status)

    def send_message(self, chat_id: str, text: str) -> str:
        """Send `text` to a chat id, or post it to a channel with chat_id "@channel"."""
        result = self._call(
            "sendMessage",
            {"chat_id": chat_id, "text": text[:TELEGRAM_TEXT_LIMIT]},
        )
        return str((result or {}).get("message_id", ""))

    def member_count(self, chat_id: str) -> int:
        return int(self._call("getChatMemberCount", {"chat_id": chat_id}))

    def get_me(self) -> dict:
        return self._call("getMe", {}) or {}

    def deliver(self, message) -> str:
        return self.send_message(message.recipient, message.body)


class WhatsAppCloudAdapter:
    """WhatsApp Business Cloud API: template messages to numbers that opted in."""

    provider = "whatsapp"

    def __init__(
        self,
        token: str,
        phone_number_id: str,
        base_url: str = WHATSAPP_BASE,
        timeout: float | None = None,
        default_template: str = "",
    ):
        if not token or not phone_number_id:
            raise NotConfigured("WhatsApp token or phone number ID is not set")
        self.phone_number_id = phone_number_id
        self.default_template = default_template
        self.client = HttpJsonClient(
            base_url, timeout, headers={"Authorization": f"Bearer {token}"}
        )
        self.rate_key = ("whatsapp", phone_number_id)

    def _check(self, status, headers, body):
        body = body if isinstance(body, dict) else {}
        if 200 <= status < 300:
            return body
        error = body.get("error") or {}
        code = error.get("code")
        description = str(error.get("error_user_msg") or error.get("message") or f"HTTP {status}")[
            :500
        ]
        if code is not None:
            description = f"{description} (code {code})"
        retry_after = _retry_after_header(headers)
        if status == 429 or code in WHATSAPP_THROTTLE_CODES:
            raise RetryableError(
                description, retry_after=retry_after, http_status=status, kind="rate_limited"
            )
        if status >= 500 or status == 408 or error.get("is_transient"):
            raise RetryableError(
                description, retry_after=retry_after, http_status=status, kind="server_error"
            )
        if code in WHATSAPP_RECIPIENT_GONE_CODES:
            raise PermanentError(
                description, http_status=status, recipient_gone=True, kind="invalid_recipient"
            )
        raise PermanentError(description, http_status=status)

    def send_template(
        self, to: str, template: str, language: str, params: list[str] | None = None
    ) -> str:
        data = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "template",
            "template": {"name": template, "language": {"code": language}},
        }
        if params:
            data["template"]["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            ]
        body = self._check(*self.client.request("POST", f"/{self.phone_number_id}/messages", data))
        messages = body.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    def phone_number_info(self) -> dict:
        return self._check(*self.client.request("GET", f"/{self.phone_number_id}"))

    def deliver(self, message) -> str:
        payload = message.payload or {}
        template = payload.get("template") or self.default_template
        if not template:
            raise NotConfigured("No WhatsApp template is set for this message")
        lang = payload.get("language") or "ky"
        languages = getattr(settings, "WHATSAPP_TEMPLATE_LANGUAGES", {"ky": "ky_KG", "ru": "ru"})
        params = payload.get("params")
        if params is None:
            params = [template_param(message.body)]
        return self.send_template(
            message.recipient, template, languages.get(lang, lang), [str(p) for p in params]
        )


def template_param(text: str, limit: int = 1000) -> str:
    """WhatsApp template parameters may not hold newlines, tabs or 4+ spaces in a row."""
    flat = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    flat = " ".join(flat.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def from_header(name: str, addr: str) -> str:
    """ "Name <addr>", quoted where needed; Django encodes non-ASCII names when sending."""
    if not name:
        return addr
    try:
        return str(Address(display_name=name, addr_spec=addr))
    except (ValueError, IndexError):
        return addr


class EmailAdapter:
    """Django's mail, with RFC 8058 one-click List-Unsubscribe headers for subscriber mail."""

    provider = "email"
    rate_key = ("email",)

    def __init__(self, from_name: str = "", timeout: float | None = None):
        self.from_name = from_name
        self.timeout = timeout if timeout is not None else http_timeout()

    def deliver(self, message) -> str:
        _name, from_addr = parseaddr(settings.DEFAULT_FROM_EMAIL)
        name = (message.payload or {}).get("from_name") or self.from_name or _name
        msgid = make_msgid(domain=from_addr.rpartition("@")[2] or "jamaat.kg")
        headers = {"Message-ID": msgid}
        unsubscribe_url = (message.payload or {}).get("unsubscribe_url")
        if unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        try:
            connection = get_connection(timeout=self.timeout)
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=from_header(name, from_addr),
                to=[message.recipient],
                headers=headers,
                connection=connection,
            ).send()
        except smtplib.SMTPRecipientsRefused as exc:
            code = min((c for c, _m in exc.recipients.values()), default=550)
            if 400 <= code < 500:
                raise RetryableError(f"SMTP {code}", kind="server_error") from exc
            raise PermanentError(
                f"SMTP {code}: recipient refused", recipient_gone=True, kind="invalid_recipient"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            text = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500]
            if 400 <= exc.smtp_code < 500:
                raise RetryableError(text, kind="server_error") from exc
            raise PermanentError(text) from exc
        except TimeoutError as exc:
            raise RetryableError("mail server: no answer in time", kind="timeout") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise RetryableError(f"mail server: {exc}"[:500], kind="connection") from exc
        return msgid
