from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.uploads import check_upload
from jamaat.municipalities.models import LocalIssue, Village
from jamaat.plans.forms import MultipleFileField, MultipleFileInput
from jamaat.tos.models import TosBody, TosProject
from jamaat.tos.services import MAX_PHOTOS

EARLIEST = date(1991, 1, 1)


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def check_past(value: date | None) -> date | None:
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    if value and value < EARLIEST:
        raise ValidationError(
            _("The date must not be earlier than %(date)s.") % {"date": fmt(EARLIEST)},
            code="too_early",
        )
    return value


class VillageChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TosBodyForm(forms.ModelForm):
    villages = VillageChoiceField(
        queryset=Village.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Villages"),
    )

    class Meta:
        model = TosBody
        fields = [
            "name_ky", "name_ru", "territory_ky", "territory_ru", "villages", "leader_name",
            "leader_phone", "leader_phone_public", "members_count", "members_list",
            "registered_on", "registration_number", "is_active",
        ]  # fmt: skip
        widgets = {
            "territory_ky": forms.Textarea(attrs={"rows": 2}),
            "territory_ru": forms.Textarea(attrs={"rows": 2}),
            "members_list": forms.Textarea(attrs={"rows": 4}),
            "members_count": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "leader_phone": forms.TextInput(attrs={"type": "tel"}),
            "registered_on": date_input(),
        }
        help_texts = {"territory_ky": _("Streets, quarters or the part of a village it covers.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = Village.objects.filter(municipality=municipality)

    def clean_registered_on(self):
        return check_past(self.cleaned_data.get("registered_on"))

    def clean(self):
        data = super().clean()
        if not (data.get("name_ky") or "").strip() and not (data.get("name_ru") or "").strip():
            self.add_error("name_ky", _("Give the name in Kyrgyz or in Russian."))
        names = [n for n in (data.get("members_list") or "").splitlines() if n.strip()]
        count = data.get("members_count")
        if names and count is not None and count < len(names):
            self.add_error(
                "members_count",
                _("The list has %(names)s names but the number of members is %(count)s.")
                % {"names": len(names), "count": count},
            )
        return data


class TosProjectForm(forms.ModelForm):
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP; published with the project."),
    )

    class Meta:
        model = TosProject
        fields = [
            "tos", "title_ky", "title_ru", "description_ky", "description_ru", "category",
            "local_budget_kgs", "own_contribution_kgs", "own_contribution_in_kind_ky",
            "own_contribution_in_kind_ru", "planned_start",
        ]  # fmt: skip
        widgets = {
            "description_ky": forms.Textarea(attrs={"rows": 4}),
            "description_ru": forms.Textarea(attrs={"rows": 4}),
            "local_budget_kgs": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "own_contribution_kgs": forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
            "planned_start": date_input(),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = TosBody.objects.for_municipality(municipality)
        if self.instance.pk:
            bodies = bodies.filter(is_active=True) | bodies.filter(pk=self.instance.tos_id)
        else:
            bodies = bodies.filter(is_active=True)
        self.fields["tos"].queryset = bodies
        self.fields["tos"].empty_label = _("— choose a TPS body —")
        self.fields["category"].queryset = LocalIssue.objects.filter(
            municipality=municipality
        ).active()
        self.fields["category"].empty_label = _("— choose a local issue —")

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > 10:
            raise ValidationError(_("At most 10 photos at a time."))
        existing = self.instance.photos.count() if self.instance.pk else 0
        if files and existing + len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("A project keeps at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        return [check_upload(f, allow_pdf=False) for f in files]

    def _money(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise ValidationError(_("An amount cannot be negative."), code="negative")
        return value

    def clean_local_budget_kgs(self):
        return self._money("local_budget_kgs")

    def clean_own_contribution_kgs(self):
        return self._money("own_contribution_kgs")

    def clean(self):
        data = super().clean()
        if not (data.get("title_ky") or "").strip() and not (data.get("title_ru") or "").strip():
            self.add_error("title_ky", _("Give the project a title in Kyrgyz or in Russian."))
        return data


class StartForm(forms.Form):
    started_on = forms.DateField(label=_("Started"), widget=date_input())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_started_on(self):
        return check_past(self.cleaned_data["started_on"])


class ImplementForm(forms.Form):
    started_on = forms.DateField(label=_("Started"), widget=date_input(), required=False)
    finished_on = forms.DateField(label=_("Implemented on"), widget=date_input())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if project.started_on:
            del self.fields["started_on"]

    def clean_started_on(self):
        return check_past(self.cleaned_data.get("started_on"))

    def clean_finished_on(self):
        return check_past(self.cleaned_data["finished_on"])

    def clean(self):
        data = super().clean()
        start = data.get("started_on") or self.project.started_on
        end = data.get("finished_on")
        if start and end and end < start:
            self.add_error(
                "finished_on",
                _("A project cannot be implemented before it started (%(date)s).")
                % {"date": fmt(start)},
            )
        return data


class CancelForm(forms.Form):
    cancelled_on = forms.DateField(label=_("Cancelled on"), widget=date_input())
    cancel_reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["cancelled_on"].initial = timezone.localdate()

    def clean_cancelled_on(self):
        return check_past(self.cleaned_data["cancelled_on"])


STEP_FORMS = {
    TosProject.Status.IN_PROGRESS: (StartForm, "s", _("Mark as started")),
    TosProject.Status.IMPLEMENTED: (ImplementForm, "i", _("Mark as implemented")),
    TosProject.Status.CANCELLED: (CancelForm, "c", _("Cancel the project")),
}


def step_form(project, to_status, data=None):
    cls, prefix, _label = STEP_FORMS[to_status]
    return cls(data, project=project, prefix=prefix)
