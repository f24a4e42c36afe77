from django import forms
from django.utils.translation import gettext_lazy as _

from jamaat.channels.models import Channel
from jamaat.municipalities.models import Village


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = ["kind", "name", "url", "telegram_chat_id", "village", "is_active"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(municipality=municipality)

    def clean(self):
        data = super().clean()
        if data.get("telegram_chat_id") and data.get("kind") != Channel.Kind.TELEGRAM:
            self.add_error("telegram_chat_id", _("Only a Telegram channel has a chat id."))
        return data


class CountsForm(forms.Form):
    """One number per channel for one month."""

    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    def __init__(self, *args, channels, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = channels
        for ch in channels:
            self.fields[f"c{ch.pk}"] = forms.IntegerField(
                label=str(ch),
                required=False,
                min_value=0,
                max_value=10_000_000,
                initial=current.get(ch.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)

    def counts(self) -> dict:
        return {ch: self.cleaned_data.get(f"c{ch.pk}") for ch in self.channels}
