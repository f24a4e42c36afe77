"""Recording changes: every write to plan data passes through here so it is visible later."""

from decimal import Decimal

from django.db import models

from jamaat.core.models import AuditEntry


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None:
        return ""
    return value if isinstance(value, int | float | str | bool) else str(value)


def snapshot(obj: models.Model, fields) -> dict:
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record(actor, municipality, obj, action: str, changes: dict | None = None) -> AuditEntry | None:
    changes = changes or {}
    if action == "update" and not changes:
        return None
    return AuditEntry.objects.create(
        municipality=municipality,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        changes=changes,
    )
