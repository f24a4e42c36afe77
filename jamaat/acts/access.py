"""Who may change the registry of deputies, mandates and normative legal acts (on top of core.access).

- Reading the staff pages: `Perm.VIEW_INTERNAL` (head, staff, council chair, deputies, the Agency).
- Deputies, acts and every mandate: `Perm.MANAGE_CONTENT` (head, responsible staff) or the council
  chair (`Role.COUNCIL_CHAIR`, who answers for activity 2.3 in the plan and signs the council's
  acts; the role holds no MANAGE_CONTENT, so it is checked here with `roles_of`).
- A deputy (`Role.DEPUTY`) records and updates the mandates of the deputy record linked to their
  own account, and no one else's. A deputy without a linked record records nothing.
The Agency reads and never writes.
"""

from django.core.exceptions import PermissionDenied

from jamaat.core.access import Perm, Role, perms_of, roles_of


def can_manage(user, municipality) -> bool:
    perms = perms_of(user, municipality)
    if Perm.MANAGE_CONTENT in perms:
        return True
    return bool(perms) and Role.COUNCIL_CHAIR in roles_of(user, municipality)


def is_deputy(user, municipality) -> bool:
    return bool(perms_of(user, municipality)) and Role.DEPUTY in roles_of(user, municipality)


def mandate_deputies(user, municipality):
    """The deputies for whom this user may record mandates."""
    from jamaat.acts.models import Deputy

    deputies = Deputy.objects.for_municipality(municipality)
    if can_manage(user, municipality):
        return deputies
    if is_deputy(user, municipality):
        return deputies.filter(user=user)
    return deputies.none()


def can_record_mandates(user, municipality) -> bool:
    return can_manage(user, municipality) or (
        is_deputy(user, municipality) and mandate_deputies(user, municipality).exists()
    )


def can_edit_mandate(user, municipality, mandate) -> bool:
    if can_manage(user, municipality):
        return True
    return is_deputy(user, municipality) and mandate.deputy.user_id == user.pk


def require_manage(request, municipality) -> None:
    if not can_manage(request.user, municipality):
        raise PermissionDenied
