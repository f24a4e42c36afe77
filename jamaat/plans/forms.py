from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.access import Role
from jamaat.core.models import User
from jamaat.core.uploads import check_upload
from jamaat.plans.models import Activity, Evidence, Goal, Indicator


class AdoptForm(forms.Form):
    start_year = forms.IntegerField(label=_("First year"), min_value=2020, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2020, max_value=2100)

    def clean(self):
        data = super().clean()
        s, e = data.get("start_year"), data.get("end_year")
        if s and e and not 0 <= e - s <= 10:
            raise ValidationError(_("The period must be 1 to 10 years, first year first."))
        return data


def members_queryset(municipality):
    return (
        User.objects.filter(memberships__municipality=municipality, is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ActivityForm(forms.ModelForm):
    responsible_persons = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Responsible persons"),
    )

    class Meta:
        model = Activity
        fields = [
            "text_ky", "text_ru", "deadline_text_ky", "deadline_text_ru", "rule",
            "budget_source", "expected_ky", "expected_ru", "note_ky", "note_ru",
        ]  # fmt: skip
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ["text_ky", "text_ru", "expected_ky", "expected_ru", "note_ky", "note_ru"]
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_persons"].queryset = members_queryset(municipality)
        if self.instance.pk:
            self.fields["responsible_persons"].initial = list(
                self.instance.responsible_persons.values_list("pk", flat=True)
            )


class NewActivityForm(ActivityForm):
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), label=_("Goal"))
    responsible_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Responsible roles"),
    )

    class Meta(ActivityForm.Meta):
        fields = ["goal", *ActivityForm.Meta.fields]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, municipality=plan.municipality, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()


class TargetsForm(forms.Form):
    """One number per year for every blank of the activity's indicators, plus budgets in KGS."""

    def __init__(self, *args, activity: Activity, indicators, years, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.years = years
        self.indicator_fields = []
        for ind in indicators:
            if not ind.has_blank:
                continue
            current = {t.year: t.value for t in ind.targets.all()}
            row = []
            for y in years:
                name = f"target_{ind.pk}_{y}"
                self.fields[name] = forms.DecimalField(
                    label=f"{ind.activity.code} · {y}",
                    required=False,
                    min_value=0,
                    max_value=100 if ind.unit == Indicator.Unit.PERCENT else 1_000_000,
                    max_digits=12,
                    decimal_places=2,
                    initial=current.get(y),
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                )
                row.append(name)
            self.indicator_fields.append((ind, row))
        self.budget_fields = []
        if activity.budget_source == Activity.Budget.LOCAL:
            current = {b.year: b.amount_kgs for b in budgets}
            for y in years:
                name = f"budget_{y}"
                self.fields[name] = forms.DecimalField(
                    label=_("Budget %(year)s, KGS") % {"year": y},
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=current.get(y),
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
                )
                self.budget_fields.append(name)

    def targets(self) -> dict[Indicator, dict[int, Decimal | None]]:
        return {
            ind: {y: self.cleaned_data.get(f"target_{ind.pk}_{y}") for y in self.years}
            for ind, _fields in self.indicator_fields
        }

    def budgets(self) -> dict[int, Decimal | None]:
        return (
            {y: self.cleaned_data.get(f"budget_{y}") for y in self.years}
            if self.budget_fields
            else {}
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EvidenceForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Evidence.Outcome.choices,
        widget=forms.RadioSelect,
        initial=Evidence.Outcome.DONE,
    )
    happened_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    text = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(
        label=_("Reason it was not done"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    links = forms.CharField(
        label=_("Links (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://"}),
    )
    files = MultipleFileField(
        label=_("Photos, scans or PDF"),
        required=False,
        help_text=_("JPEG, PNG, WebP or PDF; photos are resized."),
    )

    def __init__(self, *args, occurrence, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrence = occurrence
        self.fields["happened_on"].initial = min(timezone.localdate(), occurrence.due)
        self.value_indicators = [
            ind
            for ind in occurrence.activity.indicators.all()
            if ind.unit in (Indicator.Unit.PERCENT, Indicator.Unit.COUNT)
        ]
        for ind in self.value_indicators:
            self.fields[f"value_{ind.pk}"] = forms.DecimalField(
                label=ind.text,
                required=False,
                min_value=0,
                max_value=100 if ind.unit == Indicator.Unit.PERCENT else None,
                max_digits=12,
                decimal_places=2,
                # xgettext:no-python-format
                help_text=_("% of the population")
                if ind.unit == Indicator.Unit.PERCENT
                else _("number"),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )

    def clean_happened_on(self):
        from jamaat.plans.services import check_evidence_date

        value = self.cleaned_data["happened_on"]
        check_evidence_date(self.occurrence, value)
        return value

    def clean_links(self):
        validate = URLValidator(schemes=["http", "https"])
        links = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        for link in links:
            try:
                validate(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address (it must start with https://).")
                    % {"link": link}
                ) from None
        return links

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > 10:
            raise ValidationError(_("At most 10 files at a time."))
        return [check_upload(f) for f in files]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Evidence.Outcome.NOT_DONE and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why it was not done."))
        if data.get("outcome") == Evidence.Outcome.DONE and not (
            data.get("text", "").strip() or data.get("files") or data.get("links")
        ):
            self.add_error("text", _("Describe what was done, or attach a file or a link."))
        return data

    def values(self) -> dict:
        return {ind: self.cleaned_data.get(f"value_{ind.pk}") for ind in self.value_indicators}


def month_param(value: str | None) -> date:
    today = timezone.localdate()
    try:
        y, m = (int(x) for x in (value or "").split("-"))
        return date(y, m, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)
