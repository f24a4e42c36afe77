from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaat.paper.models import Batch
from jamaat.surveys.models import Questionnaire, Round


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = [
            "questionnaire",
            "round",
            "channel",
            "opened_on",
            "opened_by_name",
            "forms_found",
            "double_entry",
            "note",
        ]
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"questionnaire": gettext_lazy("Questionnaire"), "round": gettext_lazy("Round")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["questionnaire"].queryset = Questionnaire.objects.for_municipality(
            municipality
        ).exclude(status=Questionnaire.Status.DRAFT)
        self.fields["round"].queryset = Round.objects.for_municipality(municipality).select_related(
            "questionnaire"
        )
        self.fields["round"].label_from_instance = lambda r: f"{r.questionnaire} — {r.name}"
        self.fields["questionnaire"].empty_label = gettext_lazy("— choose a questionnaire —")
        # an empty round means the questionnaire's latest round (see views.batch_new)
        self.fields["round"].empty_label = gettext_lazy("— the latest round —")
        self.fields["channel"].required = False  # forms from a ballot box unless told otherwise
        self.fields["channel"].widget = forms.RadioSelect(choices=Batch.Channel.choices)
        self.fields["forms_found"].widget.attrs["inputmode"] = "numeric"
        self.fields["opened_by_name"].help_text = gettext_lazy(
            "Who opened the box (and who witnessed it)."
        )

    def clean_channel(self):
        return self.cleaned_data.get("channel") or Batch.Channel.PAPER

    def clean_opened_on(self):
        day = self.cleaned_data["opened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The box cannot be opened in the future."))
        return day

    def clean(self):
        data = super().clean()
        q, r = data.get("questionnaire"), data.get("round")
        if q and r and r.questionnaire_id != q.pk:
            self.add_error("round", _("This round belongs to another questionnaire."))
        return data


class PrintForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(), label=gettext_lazy("Questionnaire")
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the form"), choices=[("ky", "Кыргызча"), ("ru", "Русский")]
    )
    first = forms.IntegerField(label=gettext_lazy("First form number"), min_value=1, initial=1)
    last = forms.IntegerField(label=gettext_lazy("Last form number"), min_value=1, initial=100)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.for_municipality(municipality)
        self.fields["questionnaire"].empty_label = gettext_lazy("— choose a questionnaire —")

    def clean(self):
        from jamaat.paper.services import validate_range

        data = super().clean()
        if data.get("first") and data.get("last"):
            message = validate_range(data["first"], data["last"])
            if message:
                self.add_error("last", message)
        return data
