from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jamaat.core.uploads import check_upload
from jamaat.meetings.models import (
    AGE_FIELDS,
    AgendaItem,
    Decision,
    Meeting,
    MeetingDocument,
    MeetingSettings,
    Speaker,
)
from jamaat.municipalities.models import LocalIssue, Village
from jamaat.plans.forms import MultipleFileField, MultipleFileInput

MAX_FILES = 10


def _local(dt) -> str:
    return timezone.localtime(dt).strftime("%d.%m.%Y %H:%M")


class MeetingForm(forms.ModelForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    documents = MultipleFileField(
        label=_("Documents for discussion"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("PDF or photos, e.g. the draft budget; published with the announcement."),
    )
    remove_documents = forms.ModelMultipleChoiceField(
        label=_("Remove documents"),
        queryset=MeetingDocument.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title_ky", "title_ru", "place_ky", "place_ru", "villages", "contacts"]
        widgets = {"kind": forms.RadioSelect, "villages": forms.CheckboxSelectMultiple}

    field_order = ["kind", "title_ky", "title_ru", "date", "time", "place_ky", "place_ru"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["villages"].queryset = Village.objects.filter(municipality=municipality)
        if not self.fields["villages"].queryset.exists():
            del self.fields["villages"]
        if self.instance.pk:
            self.fields["remove_documents"].queryset = self.instance.documents.all()
            start = self.instance.local_start
            self.initial.setdefault("date", start.date())
            self.initial.setdefault("time", start.time().replace(second=0, microsecond=0))
        if not self.instance.pk or not self.instance.documents.exists():
            del self.fields["remove_documents"]

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)s files at a time.") % {"n": MAX_FILES})
        return [check_upload(f, allow_pdf=True) for f in files]

    def clean(self):
        data = super().clean()
        if not (data.get("title_ky") or data.get("title_ru")):
            self.add_error(None, _("Give the meeting a title in Kyrgyz or in Russian."))
        if not (data.get("place_ky") or data.get("place_ru")):
            self.add_error("place_ky", _("Say where the meeting takes place."))
        day, time = data.get("date"), data.get("time")
        if day and time:
            starts_at = timezone.make_aware(datetime.combine(day, time))
            now = timezone.now()
            status = self.instance.status
            if status == Meeting.Status.ANNOUNCED and starts_at <= now:
                self.add_error(
                    "date",
                    _(
                        "An announced meeting cannot be moved to a time that has passed "
                        "(%(when)s). If it took place, record its attendance."
                    )
                    % {"when": _local(starts_at)},
                )
            elif status == Meeting.Status.HELD and starts_at > now:
                self.add_error("date", _("A meeting that was held cannot be in the future."))
            else:
                self.instance.starts_at = starts_at
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["text_ky", "text_ru", "issues"]
        widgets = {
            "text_ky": forms.Textarea(attrs={"rows": 2}),
            "text_ru": forms.Textarea(attrs={"rows": 2}),
            "issues": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = LocalIssue.objects.filter(
            municipality=municipality
        ).active()

    def clean(self):
        data = super().clean()
        empty = not (data.get("text_ky") or data.get("text_ru"))
        if self.has_changed() and empty and not data.get("DELETE"):
            self.add_error("text_ky", _("Write the agenda item in Kyrgyz or in Russian."))
        return data


AgendaFormSet = forms.inlineformset_factory(
    Meeting, AgendaItem, form=AgendaItemForm, extra=2, can_delete=True, can_delete_extra=False
)


class AnnounceForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the short notice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when the meeting is closer than the notice period."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "attendance_total", "women", "men", *AGE_FIELDS, "eligible_count",
            "presentation_shown", "attendee_names", "names_consent",
        ]  # fmt: skip
        widgets = {
            "attendee_names": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "names_consent": _("Everyone listed agreed to have their name recorded"),
        }
        help_texts = {
            "attendee_names": _(
                "Optional: one name per line, only of people who agreed. Not published."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance_total"].required = True
        for name in ("attendance_total", "women", "men", *AGE_FIELDS, "eligible_count"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean(self):
        data = super().clean()
        meeting = self.instance
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled; there is no attendance."))
        if not meeting.has_taken_place:
            raise ValidationError(
                _("The meeting is on %(when)s. Record the attendance after it has taken place.")
                % {"when": _local(meeting.starts_at)}
            )
        total = data.get("attendance_total")
        if total is None:
            return data
        limit, where = meeting.population_limit()
        if total > limit:
            self.add_error(
                "attendance_total",
                _(
                    "%(n)s participants is more than the whole population of %(where)s "
                    "(%(population)s). Check the number."
                )
                % {"n": total, "where": where, "population": limit},
            )
            return data
        women, men = data.get("women"), data.get("men")
        if women is not None and men is not None and women + men != total:
            self.add_error(
                "men",
                _("Women (%(w)s) and men (%(m)s) add up to %(sum)s, but the total is %(total)s.")
                % {"w": women, "m": men, "sum": women + men, "total": total},
            )
        else:
            for name, value in (("women", women), ("men", men)):
                if value is not None and value > total:
                    self.add_error(name, _("More than the total (%(total)s).") % {"total": total})
        ages = [data.get(f) for f in AGE_FIELDS]
        given = [a for a in ages if a is not None]
        if given and sum(given) > total:
            self.add_error(
                AGE_FIELDS[-1],
                _("The age groups add up to %(sum)s, more than the total (%(total)s).")
                % {"sum": sum(given), "total": total},
            )
        elif len(given) == len(AGE_FIELDS) and sum(given) != total:
            self.add_error(
                AGE_FIELDS[-1],
                _("The age groups add up to %(sum)s, but the total is %(total)s.")
                % {"sum": sum(given), "total": total},
            )
        if meeting.pk:
            most = max((d.votes_total for d in meeting.decisions.all()), default=0)
            if most > total:
                self.add_error(
                    "attendance_total",
                    _(
                        "A decision of this meeting has %(votes)s votes, more than %(total)s "
                        "participants. Correct the votes in the protocol or the total here."
                    )
                    % {"votes": most, "total": total},
                )
        eligible = data.get("eligible_count")
        if eligible is not None and eligible > meeting.municipality.population:
            self.add_error(
                "eligible_count",
                _("More than the population of the municipality (%(population)s).")
                % {"population": meeting.municipality.population},
            )
        if (data.get("attendee_names") or "").strip() and not data.get("names_consent"):
            self.add_error(
                "names_consent",
                _("Names may be recorded only with each person's consent. Tick the box or "
                  "remove the names."),
            )  # fmt: skip
        return data


class ProtocolForm(forms.ModelForm):
    scan = forms.FileField(
        label=_("Signed protocol (scan or photo)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        help_text=_("PDF or photo of the signed paper; shown on the public page."),
    )

    class Meta:
        model = Meeting
        fields = ["protocol_number", "chair", "secretary", "questions_ky", "questions_ru"]
        widgets = {
            "questions_ky": forms.Textarea(attrs={"rows": 4}),
            "questions_ru": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        if not upload:
            return None
        if not self.instance.is_held:
            raise ValidationError(
                _("Record the attendance first: the signed protocol is uploaded once the "
                  "meeting is recorded as held.")
            )  # fmt: skip
        return check_upload(upload, allow_pdf=True)


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ["name", "summary_ky", "summary_ru"]
        widgets = {
            "summary_ky": forms.Textarea(attrs={"rows": 2}),
            "summary_ru": forms.Textarea(attrs={"rows": 2}),
        }


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text_ky", "text_ru", "votes_for", "votes_against", "votes_abstained"]
        widgets = {
            "text_ky": forms.Textarea(attrs={"rows": 2}),
            "text_ru": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, attendance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendance = attendance
        for name in ("votes_for", "votes_against", "votes_abstained"):
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean(self):
        data = super().clean()
        if not self.has_changed() or data.get("DELETE"):
            return data
        if not (data.get("text_ky") or data.get("text_ru")):
            self.add_error("text_ky", _("Write the decision in Kyrgyz or in Russian."))
        votes = [data.get(f) for f in ("votes_for", "votes_against", "votes_abstained")]
        total = sum(v or 0 for v in votes)
        if self.attendance is not None and total > self.attendance:
            self.add_error(
                "votes_abstained",
                ngettext(
                    "For, against and abstained add up to %(sum)s, more than the %(total)s "
                    "participant recorded.",
                    "For, against and abstained add up to %(sum)s, more than the %(total)s "
                    "participants recorded.",
                    self.attendance,
                )
                % {"sum": total, "total": self.attendance},
            )
        return data


SpeakerFormSet = forms.inlineformset_factory(
    Meeting, Speaker, form=SpeakerForm, extra=2, can_delete=True, can_delete_extra=False
)
DecisionFormSet = forms.inlineformset_factory(
    Meeting, Decision, form=DecisionForm, extra=2, can_delete=True, can_delete_extra=False
)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MeetingSettings
        fields = [
            "notice_days", "quorum_rule", "quorum_percent", "quorum_base", "quorum_minimum",
            "quorum_source", "default_chair", "default_secretary", "sign_in_rows",
        ]  # fmt: skip
        widgets = {"quorum_rule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice_days"].widget.attrs.update({"min": 0, "max": 90})
        self.fields["sign_in_rows"].widget.attrs.update({"min": 1, "max": 500})

    def clean_notice_days(self):
        value = self.cleaned_data["notice_days"]
        if value > 90:
            raise ValidationError(_("At most 90 days."))
        return value

    def clean_sign_in_rows(self):
        value = self.cleaned_data["sign_in_rows"]
        if not 1 <= value <= 500:
            raise ValidationError(_("From 1 to 500 rows."))
        return value

    def clean(self):
        data = super().clean()
        rule = data.get("quorum_rule")
        Rule = MeetingSettings.QuorumRule
        percent = data.get("quorum_percent")
        if rule in (Rule.VOTERS_SHARE, Rule.ADULTS_SHARE):
            if percent is None:
                self.add_error("quorum_percent", _("Give the percentage for this rule."))
            elif not 0 < percent <= 100:
                self.add_error("quorum_percent", _("A percentage above 0 and at most 100."))
        if rule == Rule.MINIMUM and not data.get("quorum_minimum"):
            self.add_error("quorum_minimum", _("Give the minimum number for this rule."))
        base = data.get("quorum_base")
        population = self.instance.municipality.population
        if base is not None and base > population:
            self.add_error(
                "quorum_base",
                _("More than the population of the municipality (%(population)s).")
                % {"population": population},
            )
        return data
