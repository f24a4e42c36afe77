"""Subscription pages for residents (public, no JavaScript) and the outbox pages for staff."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jamaat.core import ratelimit
from jamaat.core.access import Perm, municipality_view
from jamaat.messaging import services
from jamaat.messaging.adapters import ERROR_KINDS, DeliveryError, NotConfigured
from jamaat.messaging.forms import ProviderAccountForm, SubscribeForm
from jamaat.messaging.models import (
    Channel,
    DeliveryAttempt,
    OutboxMessage,
    ProviderAccount,
    Subscriber,
)

# --- residents ------------------------------------------------------------------------------


def client_ip(request) -> str | None:
    """The client's address for the consent log; None when not a valid address."""
    ip = ratelimit.client_ip(request)
    return None if ip == "unknown" else ip


def over_rate_limit(request) -> bool:
    """At most MESSAGING_SUBSCRIBE_LIMIT subscribe posts per IP per MESSAGING_SUBSCRIBE_WINDOW s."""
    limit = int(getattr(settings, "MESSAGING_SUBSCRIBE_LIMIT", 5))
    window = int(getattr(settings, "MESSAGING_SUBSCRIBE_WINDOW", 600))
    return ratelimit.hit("messaging:subscribe", client_ip(request), limit=limit, window=window)


@municipality_view()
def subscribe(request, municipality):
    form = SubscribeForm(request.POST or None, municipality=municipality)
    status = 200
    if request.method == "POST":
        if over_rate_limit(request):
            form.add_error(
                None,
                _("Too many attempts from your connection. Please try again in a few minutes."),
            )
            status = 429
        elif form.is_bot:
            return redirect("messaging:check_email", municipality.slug)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.subscribe(
                    municipality,
                    data["channel"],
                    data["address"],
                    data["language"],
                    data["consent_text"],
                    client_ip(request),
                    consent_language=data["consent_lang"],
                )
            except ValidationError as exc:
                form.add_error("address", exc)
            else:
                if data["channel"] == Channel.EMAIL:
                    return redirect("messaging:check_email", municipality.slug)
                return redirect("messaging:subscribed", municipality.slug)
    return render(request, "messaging/subscribe.html", {"form": form}, status=status)


@municipality_view()
def check_email(request, municipality):
    return render(request, "messaging/check_email.html")


@municipality_view()
def subscribed(request, municipality):
    return render(request, "messaging/subscribed.html")


@municipality_view()
def confirm(request, municipality, token):
    sub = Subscriber.objects.filter(municipality=municipality, confirm_token=token).first()
    if sub is None or sub.status == Subscriber.Status.UNSUBSCRIBED:
        return render(request, "messaging/link_invalid.html", status=404)
    if request.method == "POST":
        services.confirm(token, municipality=municipality, ip=client_ip(request))
        sub.refresh_from_db()
        return render(request, "messaging/confirm.html", {"sub": sub, "done": True})
    return render(request, "messaging/confirm.html", {"sub": sub, "done": False})


@csrf_exempt  # RFC 8058 one-click: mail providers POST "List-Unsubscribe=One-Click" without a token
@municipality_view()
def unsubscribe(request, municipality, token):
    sub = Subscriber.objects.filter(municipality=municipality, unsubscribe_token=token).first()
    if sub is None:
        return render(request, "messaging/link_invalid.html", status=404)
    if request.method == "POST":
        services.unsubscribe(token, municipality=municipality, ip=client_ip(request))
        sub.refresh_from_db()
        return render(request, "messaging/unsubscribe.html", {"sub": sub, "done": True})
    return render(request, "messaging/unsubscribe.html", {"sub": sub, "done": False})


# --- staff ----------------------------------------------------------------------------------


def _int(value, default=1) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


@municipality_view(Perm.MANAGE_CONTENT)
def subscribers(request, municipality):
    qs = Subscriber.objects.filter(municipality=municipality)
    counts = {
        (r["channel"], r["status"]): r["n"]
        for r in qs.values("channel", "status").annotate(n=Count("id"))
    }
    table = [
        (
            label,
            [counts.get((value, s), 0) for s in Subscriber.Status.values],
            sum(counts.get((value, s), 0) for s in Subscriber.Status.values),
        )
        for value, label in Channel.choices
    ]
    totals = [sum(counts.get((c, s), 0) for c in Channel.values) for s in Subscriber.Status.values]
    channel = request.GET.get("channel", "")
    status = request.GET.get("status", "")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    if status in Subscriber.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-created_at", "-id"), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/subscribers.html",
        {
            "table": table,
            "totals": totals,
            "total": sum(totals),
            "statuses": Subscriber.Status.choices,
            "channels": Channel.choices,
            "channel": channel,
            "status": status,
            "page": page,
        },
    )


def _cell(value) -> str:
    """Neutralise spreadsheet formulas (a bare +996… number is left as it is)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "@", "\t", "\r") or (text[:1] in ("+", "-") and not text[1:].isdigit()):
        return "'" + text
    return text


@municipality_view(Perm.MANAGE_CONTENT)
def subscribers_export(request, municipality):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="subscribers-{municipality.slug}-{stamp}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 Cyrillic correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            "channel", "address", "language", "status", "consent_at", "consent_ip",
            "consent_language", "consent_text", "confirmed_at", "unsubscribed_at", "note",
            "created_at",
        ]
    )  # fmt: skip
    qs = Subscriber.objects.filter(municipality=municipality).order_by("created_at", "id")
    for s in qs.iterator():
        writer.writerow(
            [
                _cell(v)
                for v in (
                    s.channel, s.address, s.language, s.status,
                    s.consent_at.isoformat() if s.consent_at else "", s.consent_ip or "",
                    s.consent_language, s.consent_text,
                    s.confirmed_at.isoformat() if s.confirmed_at else "",
                    s.unsubscribed_at.isoformat() if s.unsubscribed_at else "", s.note,
                    s.created_at.isoformat(),
                )
            ]
        )  # fmt: skip
    return response


def _outbox_filter(request, municipality):
    qs = OutboxMessage.objects.filter(municipality=municipality)
    source = request.GET.get("source", request.POST.get("source", "")).strip()
    status = request.GET.get("status", request.POST.get("status", ""))
    q = request.GET.get("q", "").strip()
    if source:
        qs = qs.filter(source=source)
    by_status = {
        r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("id")).order_by()
    }
    if status in OutboxMessage.Status.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(recipient__icontains=q)
    return qs, source, status, q, by_status


@municipality_view(Perm.MANAGE_CONTENT)
def outbox(request, municipality):
    qs, source, status, q, by_status = _outbox_filter(request, municipality)
    sources = list(
        OutboxMessage.objects.filter(municipality=municipality)
        .values_list("source", flat=True)
        .order_by("source")
        .distinct()[:200]
    )
    page = Paginator(qs.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "messaging/outbox.html",
        {
            "page": page,
            "sources": sources,
            "source": source,
            "status": status,
            "q": q,
            "statuses": [
                (v, label, by_status.get(v, 0)) for v, label in OutboxMessage.Status.choices
            ],
            "failed_count": by_status.get(OutboxMessage.Status.FAILED, 0),
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def message_detail(request, municipality, pk):
    msg = get_object_or_404(OutboxMessage, municipality=municipality, pk=pk)
    attempts = DeliveryAttempt.objects.filter(message=msg).order_by("started_at", "id")
    return render(request, "messaging/message.html", {"msg": msg, "attempts": attempts})


@require_POST
@municipality_view(Perm.MANAGE_CONTENT)
def retry(request, municipality):
    """Retry one failed message (`message`) or every failed one of a source (`source`)."""
    qs = OutboxMessage.objects.filter(municipality=municipality, status=OutboxMessage.Status.FAILED)
    pk = request.POST.get("message")
    if pk:
        qs = qs.filter(pk=_int(pk, 0))
    else:
        source = request.POST.get("source", "").strip()
        if source:
            qs = qs.filter(source=source)
    n = services.retry_failed(qs)
    if n:
        messages.success(request, _("%(n)s message(s) queued again.") % {"n": n})
    else:
        messages.warning(request, _("Nothing to retry."))
    if pk:
        return redirect("messaging:message", municipality.slug, _int(pk, 0))
    response = redirect("messaging:outbox", municipality.slug)
    source = request.POST.get("source", "").strip()
    if source:
        response["Location"] += "?" + urlencode({"source": source})
    return response


@municipality_view(Perm.MANAGE_CONTENT)
def providers(request, municipality):
    allow_base_url = request.user.is_superuser
    forms = {}
    for provider in (Channel.TELEGRAM, Channel.WHATSAPP):
        instance = ProviderAccount.objects.filter(
            municipality=municipality, provider=provider
        ).first() or ProviderAccount(municipality=municipality, provider=provider)
        bound = request.method == "POST" and request.POST.get("provider") == provider
        forms[provider] = ProviderAccountForm(
            request.POST if bound else None,
            instance=instance,
            prefix=provider,
            provider=provider,
            allow_base_url=allow_base_url,
        )
    if request.method == "POST":
        provider = request.POST.get("provider")
        form = forms.get(provider)
        if form is None:
            return redirect("messaging:providers", municipality.slug)
        if request.POST.get("action") == "check":
            _check_provider(request, municipality, provider)
            return redirect("messaging:providers", municipality.slug)
        if form.is_valid():
            account = form.save(commit=False)
            account.municipality = municipality
            account.provider = provider
            account.save()
            messages.success(request, _("Saved."))
            return redirect("messaging:providers", municipality.slug)
    env = {
        Channel.TELEGRAM: bool(services.setting("TELEGRAM_BOT_TOKEN")),
        Channel.WHATSAPP: bool(
            services.setting("WHATSAPP_TOKEN") and services.setting("WHATSAPP_PHONE_NUMBER_ID")
        ),
    }
    return render(
        request,
        "messaging/providers.html",
        {
            "forms": [
                (p, Channel(p).label, f, env[p], services.provider_ready(municipality, p))
                for p, f in forms.items()
            ]
        },
    )


def _check_provider(request, municipality, provider) -> None:
    """Talk to the provider once and say in plain words what happened."""
    try:
        adapter = services.adapter_for(municipality, provider)
        if provider == Channel.TELEGRAM:
            me = adapter.get_me()
            text = _("Telegram answered: the bot is @%(name)s.") % {"name": me.get("username", "?")}
            channel = services.telegram_channel(municipality)
            if channel:
                n = adapter.member_count(channel)
                text += " " + _("Channel %(chat)s has %(n)s members.") % {"chat": channel, "n": n}
        else:
            info = adapter.phone_number_info()
            text = _("WhatsApp answered: number %(number)s.") % {
                "number": info.get("display_phone_number", "?")
            }
        messages.success(request, text)
    except NotConfigured:
        messages.error(request, str(ERROR_KINDS["not_configured"]))
    except DeliveryError as exc:
        label = ERROR_KINDS.get(exc.kind, ERROR_KINDS["error"])
        messages.error(request, f"{label} {exc.detail}".strip())
