"""The quorum check of a meeting against its municipality's rule (a setting, not a constant)."""

import math
from dataclasses import dataclass
from decimal import Decimal

from jamaat.meetings.models import Meeting, MeetingSettings

Rule = MeetingSettings.QuorumRule

MET = "met"
NOT_MET = "not_met"
NO_RULE = "no_rule"  # the municipality has not configured a rule
NO_BASE = "no_base"  # a share rule without the number of voters / adults it is a share of
NO_ATTENDANCE = "no_attendance"  # attendance not recorded yet


@dataclass(frozen=True)
class Quorum:
    state: str
    rule: str
    required: int | None = None
    present: int | None = None
    percent: Decimal | None = None
    base: int | None = None

    @property
    def met(self) -> bool | None:
        return {MET: True, NOT_MET: False}.get(self.state)


def required_count(s: MeetingSettings, base: int | None) -> int | None:
    if s.quorum_rule == Rule.MINIMUM:
        return s.quorum_minimum
    if s.quorum_rule in (Rule.VOTERS_SHARE, Rule.ADULTS_SHARE):
        if not base or s.quorum_percent is None:
            return None
        return math.ceil(Decimal(base) * s.quorum_percent / 100)
    return None


def check(meeting: Meeting, s: MeetingSettings) -> Quorum:
    rule = s.quorum_rule
    base = meeting.eligible_count or s.quorum_base
    common = {"rule": rule, "percent": s.quorum_percent, "base": base}
    if rule == Rule.NONE or (rule == Rule.MINIMUM and s.quorum_minimum is None):
        return Quorum(NO_RULE, **common, present=meeting.attendance_total)
    required = required_count(s, base)
    if required is None:
        return Quorum(NO_BASE, **common, present=meeting.attendance_total)
    if meeting.attendance_total is None:
        return Quorum(NO_ATTENDANCE, **common, required=required)
    state = MET if meeting.attendance_total >= required else NOT_MET
    return Quorum(state, **common, required=required, present=meeting.attendance_total)


# --- the statement, as printed in a protocol (content) and as shown on a page (UI) ------------


def _fmt_percent(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return format(value.normalize(), "f").replace(".", ",")


def statement(q: Quorum, lang: str) -> str:
    """The quorum sentence of a protocol in `lang` (ky or ru), with the rule it applied."""
    from jamaat.meetings.words import number, words

    w = words(lang)
    text = w[f"quorum_{q.state}"].format(
        present=number(q.present or 0), required=number(q.required or 0)
    )
    if q.state in (MET, NOT_MET):
        rule = w[f"rule_{q.rule}"].format(
            percent=_fmt_percent(q.percent), base=number(q.base or 0), required=q.required
        )
        text = f"{text.rstrip('.')} ({rule})."
    return text


def ui_statement(q: Quorum) -> str:
    """The same in the interface language (through gettext)."""
    from django.utils.translation import gettext as _

    if q.state == MET:
        return _("Quorum met: %(present)s present, %(required)s required.") % {
            "present": q.present,
            "required": q.required,
        }
    if q.state == NOT_MET:
        return _("Quorum not met: %(present)s present, %(required)s required.") % {
            "present": q.present,
            "required": q.required,
        }
    if q.state == NO_RULE:
        return _("No quorum rule is configured for this municipality.")
    if q.state == NO_BASE:
        return _(
            "The quorum cannot be checked: the number of registered voters (or adult "
            "residents) is not set."
        )
    return _("Attendance is not recorded yet; %(required)s participants are required.") % {
        "required": q.required
    }
