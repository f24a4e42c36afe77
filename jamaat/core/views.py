import posixpath
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.static import serve

from jamaat.core.access import visible_municipalities
from jamaat.core.forms import ProfileForm
from jamaat.core.models import TaskRun
from jamaat.municipalities.models import Municipality

# Only these media folders are public; everything else (evidence scans, …) goes through views
# that check access.
PUBLIC_MEDIA_PREFIXES = ("news/", "printed/", "meetings/", "initiatives/", "acts/", "tos/")


def home(request):
    """National landing page: every municipality by oblast, with search."""
    q = request.GET.get("q", "").strip()
    municipalities = Municipality.objects.order_by("oblast_ky", "name_ky")
    if q:
        from django.db.models import Q

        municipalities = municipalities.filter(
            Q(name_ky__icontains=q) | Q(name_ru__icontains=q) | Q(district_ky__icontains=q)
            | Q(district_ru__icontains=q) | Q(oblast_ky__icontains=q) | Q(oblast_ru__icontains=q)
        )  # fmt: skip
    by_oblast: dict[str, list] = {}
    for m in municipalities:
        by_oblast.setdefault(m.oblast, []).append(m)
    mine = visible_municipalities(request.user)
    if request.user.is_authenticated and (
        request.user.is_superuser or request.user.is_agency_officer
    ):
        mine = mine.none()
    return render(request, "core/home.html", {"by_oblast": by_oblast, "q": q, "mine": list(mine)})


@require_POST
def set_language(request):
    lang = request.POST.get("language", "")
    if lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        nxt = "/"
    response = HttpResponseRedirect(nxt)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax"
    )
    if request.user.is_authenticated and request.user.language != lang:
        request.user.language = lang
        request.user.save(update_fields=["language"])
    activate(lang)
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        response = HttpResponseRedirect(request.path)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.instance.language, samesite="Lax")
        return response
    memberships = request.user.memberships.select_related("municipality")
    feed_url = request.build_absolute_uri(f"/calendar/{request.user.calendar_token}.ics")
    return render(
        request,
        "core/profile.html",
        {"form": form, "memberships": memberships, "feed_url": feed_url},
    )


@user_passes_test(lambda u: u.is_active and (u.is_superuser or u.is_agency_officer))
def jobs(request):
    runs = TaskRun.objects.order_by("-started_at")[:200]
    return render(request, "core/jobs.html", {"runs": runs})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def public_media(request, path):
    clean = posixpath.normpath(unquote(path)).lstrip("/")
    if ".." in clean.split("/") or not clean.startswith(PUBLIC_MEDIA_PREFIXES):
        raise Http404
    response = serve(request, clean, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=604800"
    return response
