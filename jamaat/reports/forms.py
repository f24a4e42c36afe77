from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jamaat.reports import services
from jamaat.reports.models import MonthlyReport


class ReportForm(forms.ModelForm):
    ACTIONS = {"save", "preview", "publish"}

    class Meta:
        model = MonthlyReport
        fields = ["title_ky", "body_ky", "title_ru", "body_ru"]
        widgets = {
            "body_ky": forms.Textarea(attrs={"rows": 16}),
            "body_ru": forms.Textarea(attrs={"rows": 16}),
        }

    def clean(self):
        data = super().clean()
        action = self.data.get("action", "save")
        self.action = action if action in self.ACTIONS else "save"
        return data


class MonthForm(forms.Form):
    """The month a new report is about (a month that has ended)."""

    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    def clean_month(self):
        return services.check_month(self.cleaned_data["month"])


class RecompileForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, replace the texts with a newly compiled draft"),
        required=False,
    )

    def __init__(self, *args, needs_confirmation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation

    def clean(self):
        data = super().clean()
        if self.needs_confirmation and not data.get("confirm"):
            raise ValidationError(
                _(
                    "Staff have edited this draft. Tick the box to confirm that their edits may be replaced."
                )
            )
        return data


class SlidesForm(forms.Form):
    as_of = forms.DateField(
        label=_("Prepare for the gatherings after this date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def as_of_or(self, default: date) -> date:
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default
