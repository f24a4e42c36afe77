from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.analysis.models import ReportJob


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    lang = forms.ChoiceField(label=_("Language"), choices=ReportJob.Lang.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ReportJob.Format.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class PresentedForm(forms.Form):
    presented_on = forms.DateField(
        label=_("Presented to the council on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
