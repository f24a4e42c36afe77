"""The one access layer: every read or write of a municipality's data asks here first.

Roles are held per municipality (`municipalities.Membership`). Agency officers read every
municipality and write nothing; platform admins (superusers) may do everything.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    HEAD = "head", _("Head / mayor")
    STAFF = "staff", _("Responsible staff member")
    COUNCIL_CHAIR = "council_chair", _("Council chair")
    DEPUTY = "deputy", _("Deputy")


class Perm(StrEnum):
    VIEW_INTERNAL = "view_internal"  # dashboard, drafts, evidence, audit trail
    EDIT_PLAN = "edit_plan"  # adopt, fill targets, name responsible persons, budgets
    APPROVE_PLAN = "approve_plan"
    RECORD_EVIDENCE = "record_evidence"
    MANAGE_CONTENT = "manage_content"  # news, categories, channels, digests, printed materials


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.HEAD: frozenset(Perm),
    Role.STAFF: frozenset(
        {Perm.VIEW_INTERNAL, Perm.EDIT_PLAN, Perm.RECORD_EVIDENCE, Perm.MANAGE_CONTENT}
    ),
    Role.COUNCIL_CHAIR: frozenset({Perm.VIEW_INTERNAL, Perm.RECORD_EVIDENCE}),
    Role.DEPUTY: frozenset({Perm.VIEW_INTERNAL}),
}
AGENCY_PERMS = frozenset({Perm.VIEW_INTERNAL})


def roles_of(user, municipality) -> set[str]:
    """The user's roles in this municipality (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or municipality is None:
        return set()
    cache = user.__dict__.setdefault("_jamaat_roles", {})
    if municipality.pk not in cache:
        from jamaat.municipalities.models import Membership

        cache[municipality.pk] = set(
            Membership.objects.filter(user=user, municipality=municipality).values_list(
                "role", flat=True
            )
        )
    return cache[municipality.pk]


def perms_of(user, municipality) -> frozenset[Perm]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Perm)
    perms: set[Perm] = set(AGENCY_PERMS) if user.is_agency_officer else set()
    for role in roles_of(user, municipality):
        perms |= ROLE_PERMS.get(role, frozenset())
    return frozenset(perms)


def has_perm(user, municipality, perm: Perm) -> bool:
    return perm in perms_of(user, municipality)


def check(request, municipality, perm: Perm) -> None:
    """Raise unless the request's user holds `perm` in `municipality`."""
    if has_perm(request.user, municipality, perm):
        return
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied


class LoginRequired(Exception):
    """Raised for anonymous users on internal pages; turned into a redirect by the decorator."""


def get_municipality(slug: str):
    from jamaat.municipalities.models import Municipality

    return get_object_or_404(Municipality, slug=slug)


def municipality_view(perm: Perm | None = None):
    """Resolve `<slug>` into `request.municipality` and check `perm` (None: public page)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            municipality = get_municipality(slug)
            request.municipality = municipality
            request.perms = perms_of(request.user, municipality)
            if perm is not None:
                try:
                    check(request, municipality, perm)
                except LoginRequired:
                    return redirect_to_login(request.get_full_path())
            return view(request, municipality, *args, **kwargs)

        wrapper.required_perm = perm
        return wrapper

    return decorator


def require(request, municipality, perm: Perm) -> None:
    """For a second, stricter check inside a view (e.g. POST needs more than GET)."""
    try:
        check(request, municipality, perm)
    except LoginRequired:
        raise PermissionDenied from None


def visible_municipalities(user):
    """Municipalities whose internal pages the user may see."""
    from jamaat.municipalities.models import Municipality

    if not getattr(user, "is_authenticated", False):
        return Municipality.objects.none()
    if user.is_superuser or user.is_agency_officer:
        return Municipality.objects.all()
    return Municipality.objects.filter(memberships__user=user).distinct()
