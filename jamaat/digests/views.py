"""Quarterly digest pages for staff (activity 1.3). Thin: the work is in services."""

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jamaat.channels.models import ChannelSnapshot
from jamaat.core.access import Perm, municipality_view, require
from jamaat.digests import compose, reach, services
from jamaat.digests.forms import DigestForm, NewDigestForm, ShareForm
from jamaat.digests.models import EDITABLE, Digest, DigestShare
from jamaat.plans.models import Indicator, Plan


def _year_figure(municipality, year):
    plan = Plan.objects.current_for(municipality)
    target = None
    if plan:
        ind = (
            Indicator.objects.filter(activity__plan=plan, key=reach.INDICATOR_KEY)
            .prefetch_related("targets")
            .first()
        )
        target = ind.target_for(year) if ind else None
    return {
        "year": year,
        "share": reach.population_informed_whatsapp(municipality, year),
        "groups": reach.groups_reached(municipality, year),
        "target": target,
        "how": reach.HOW,
    }


@municipality_view(Perm.VIEW_INTERNAL)
def digest_list(request, municipality):
    digests = Digest.objects.for_municipality(municipality).for_list()
    return render(
        request,
        "digests/list.html",
        {
            "digests": digests,
            "new_form": NewDigestForm() if Perm.MANAGE_CONTENT in request.perms else None,
            **_year_figure(municipality, timezone.localdate().year),
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def digest_new(request, municipality):
    form = NewDigestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year, quarter = form.year_quarter()
        existing = Digest.objects.filter(
            municipality=municipality, year=year, quarter=quarter
        ).first()
        if existing is None:
            try:
                digest, left_out = services.create(request.user, municipality, year, quarter)
            except IntegrityError:  # created by a concurrent request
                existing = Digest.objects.get(municipality=municipality, year=year, quarter=quarter)
            else:
                n = digest.posts.count()
                messages.success(
                    request,
                    ngettext(
                        "Composed from %(n)s news post. Check the text, then send it.",
                        "Composed from %(n)s news posts. Check the text, then send it.",
                        n,
                    )
                    % {"n": n},
                )
                _left_out_warning(request, left_out)
                return redirect(digest.get_absolute_url())
        messages.info(request, _("The digest for this quarter already exists: here it is."))
        return redirect(existing.get_absolute_url())
    return render(request, "digests/new.html", {"form": form})


def _left_out_warning(request, left_out: int) -> None:
    if left_out:
        messages.warning(
            request,
            ngettext(
                "The text would be too long for Telegram: %(n)s news post is left out and "
                "a link to all news is given instead. Untick some news or shorten the text.",
                "The text would be too long for Telegram: %(n)s news posts are left out and "
                "a link to all news is given instead. Untick some news or shorten the text.",
                left_out,
            )
            % {"n": left_out},
        )


def _get(municipality, pk):
    return get_object_or_404(
        Digest.objects.select_related("municipality", "created_by", "sent_by"),
        municipality=municipality,
        pk=pk,
    )


@municipality_view(Perm.VIEW_INTERNAL)
def digest_detail(request, municipality, pk):
    digest = _get(municipality, pk)
    services.refresh_status(digest)
    form = None
    confirm = False
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        action = request.POST.get("action", "save")
        if not digest.is_draft:
            if action == "send":
                return _send(request, digest)
            messages.error(request, _("This digest was sent: its text can no longer be changed."))
            return redirect(digest.get_absolute_url())
        if action in ("compose", "compose_confirmed"):
            form = DigestForm(request.POST, instance=digest, check_lengths=False)
            if form.is_valid():
                values = {f: form.cleaned_data.get(f, "") for f in EDITABLE}
                if action == "compose" and digest.is_edited(values):
                    confirm = True
                else:
                    posts = list(form.cleaned_data["posts"])
                    left_out = services.recompose(request.user, digest, posts)
                    messages.success(
                        request,
                        ngettext(
                            "Composed again from %(n)s news post.",
                            "Composed again from %(n)s news posts.",
                            len(posts),
                        )
                        % {"n": len(posts)},
                    )
                    _left_out_warning(request, left_out)
                    return redirect(digest.get_absolute_url())
        else:
            form = DigestForm(request.POST, instance=digest)
            if form.is_valid():
                services.save_edits(
                    request.user, digest, form.cleaned_data, form.cleaned_data["posts"]
                )
                if action == "send":
                    return _send(request, digest)
                messages.success(request, _("Saved."))
                return redirect(digest.get_absolute_url())
        if not confirm:
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "digests/detail.html", _context(request, digest, form, confirm=confirm))


def _send(request, digest):
    try:
        result = services.send(request.user, digest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.NothingToSend:
        messages.warning(
            request,
            _(
                "Nobody to send it to yet: no Telegram channel is set up and nobody has "
                "subscribed. You can still share it to WhatsApp groups below."
            ),
        )
    else:
        new = result.subscribers + (1 if result.channel_post else 0)
        if new:
            messages.success(
                request,
                ngettext(
                    "%(n)s message queued for delivery. This page shows how delivery goes.",
                    "%(n)s messages queued for delivery. This page shows how delivery goes.",
                    new,
                )
                % {"n": new},
            )
        else:
            messages.info(
                request,
                _("Nothing new to send: every recipient already has this digest in the outbox."),
            )
    return redirect(digest.get_absolute_url())


@require_POST
@municipality_view(Perm.MANAGE_CONTENT)
def share(request, municipality, pk):
    digest = _get(municipality, pk)
    form = ShareForm(request.POST, digest=digest)
    if form.is_valid():
        created, existing = services.record_shares(
            request.user, digest, form.cleaned_data["groups"], form.cleaned_data["shared_on"]
        )
        if created:
            messages.success(
                request,
                _("Recorded: %(groups)s. It counts for activity 1.3.")
                % {"groups": ", ".join(s.channel.name for s in created)},
            )
        if existing:
            messages.info(
                request,
                _("Already recorded before: %(groups)s.")
                % {"groups": ", ".join(s.channel.name for s in existing)},
            )
        return redirect(digest.get_absolute_url() + "#whatsapp")
    messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    services.refresh_status(digest)
    return render(request, "digests/detail.html", _context(request, digest, share_form=form))


@require_POST
@municipality_view(Perm.MANAGE_CONTENT)
def share_delete(request, municipality, pk, share_pk):
    digest = _get(municipality, pk)
    obj = get_object_or_404(DigestShare, digest=digest, municipality=municipality, pk=share_pk)
    services.delete_share(request.user, obj)
    messages.success(request, _("Removed: %(group)s.") % {"group": obj.channel.name})
    return redirect(digest.get_absolute_url() + "#whatsapp")


def _share_rows(digest):
    shares = list(digest.shares.select_related("channel", "shared_by"))
    snaps: dict[int, list] = {}
    if shares:
        for channel_id, month, followers in (
            ChannelSnapshot.objects.filter(channel_id__in={s.channel_id for s in shares})
            .order_by("month")
            .values_list("channel_id", "month", "followers")
        ):
            snaps.setdefault(channel_id, []).append((month, followers))
    rows = []
    for s in shares:
        before = [f for m, f in snaps.get(s.channel_id, []) if m <= s.shared_on]
        rows.append((s, before[-1] if before else None))
    return rows


def _context(request, digest, form=None, share_form=None, confirm=False):
    municipality = digest.municipality
    can_manage = Perm.MANAGE_CONTENT in request.perms
    if form is None and digest.is_draft and can_manage:
        form = DigestForm(instance=digest)
    if share_form is None and can_manage:
        share_form = ShareForm(digest=digest)
    texts = []
    for lang, name in (("ky", "Кыргызча"), ("ru", "Русский")):
        text = getattr(digest, f"text_{lang}")
        texts.append(
            {
                "lang": lang,
                "name": name,
                "text": text,
                "wa_url": "https://wa.me/?text=" + quote(text, safe=""),
            }
        )
    delivery = None if digest.is_draft else services.delivery(digest)
    outbox_url = reverse("messaging:outbox", args=[municipality.slug])
    source_qs = urlencode({"source": digest.source})
    counts = {
        "limit": compose.subscriber_text_limit(municipality),
        "channel_limit": compose.CHANNEL_LIMIT,
        "ky": len(digest.text_ky),
        "ru": len(digest.text_ru),
        "channel": len(digest.channel_text()),
    }
    return {
        "digest": digest,
        "form": form,
        "confirm": confirm,
        "share_form": share_form,
        "can_manage": can_manage,
        "texts": texts,
        "counts": counts,
        "posts": None if form else list(digest.posts.select_related("municipality")),
        "delivery": delivery,
        "outbox_url": f"{outbox_url}?{source_qs}",
        "outbox_base": outbox_url,
        "source": digest.source,
        "audience": services.audience(municipality) if digest.is_draft or can_manage else None,
        "share_rows": _share_rows(digest),
    }
