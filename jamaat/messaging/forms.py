from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.messaging import services
from jamaat.messaging.models import Channel, ProviderAccount
from jamaat.messaging.services import normalise_kg_phone

CONSENT_LANGUAGES = ("ky", "ru", "en")


def ui_language() -> str:
    lang = (get_language() or "ky")[:2]
    return lang if lang in CONSENT_LANGUAGES else "ky"


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        )
        kwargs.setdefault("help_text", _("A Kyrgyz mobile number, for example 0555 12 34 56."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_kg_phone(value) if value else value


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How do you want to receive the news?"), widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("Your email, WhatsApp number or Telegram chat ID"),
        max_length=254,
        help_text=_("WhatsApp: a Kyrgyz number, for example 0555 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages"),
        choices=[("ky", "Кыргызча"), ("ru", "Русский")],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Tick the box to give your consent: without it we cannot send you anything."
            )
        },
    )
    consent_lang = forms.CharField(widget=forms.HiddenInput, required=False)
    # Honeypot: hidden from people (and screen readers); bots fill every field.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        channels = services.available_channels(municipality)
        self.fields["channel"].choices = [(c, Channel(c).label) for c in channels]
        lang = self.shown_language()
        self.fields["consent"].label = services.consent_text(municipality, lang)
        self.fields["consent_lang"].initial = lang
        if not self.is_bound:
            self.initial.setdefault("channel", channels[0])
            self.initial.setdefault("language", lang if lang in ("ky", "ru") else "ky")

    def shown_language(self) -> str:
        """The language the consent text was shown in (sent back with the form)."""
        if self.is_bound:
            lang = self.data.get("consent_lang", "")
            if lang in CONSENT_LANGUAGES:
                return lang
        return ui_language()

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        channel, address = data.get("channel"), data.get("address")
        if channel and address:
            try:
                data["address"] = services.normalise_address(channel, address)
            except ValidationError as exc:
                self.add_error("address", exc)
        data["consent_text"] = services.consent_text(self.municipality, self.shown_language())
        data["consent_lang"] = self.shown_language()
        return data


class ProviderAccountForm(forms.ModelForm):
    """A municipality's messenger account. The saved token is never sent back to the browser."""

    token = forms.CharField(
        label=_("Access token"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    base_url = forms.URLField(
        label=_("API address override"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty (used for testing)."),
    )

    class Meta:
        model = ProviderAccount
        fields = [
            "token",
            "phone_number_id",
            "whatsapp_template",
            "channel_chat_id",
            "base_url",
            "is_active",
        ]

    def __init__(self, *args, provider: str, allow_base_url: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        if provider == Channel.TELEGRAM:
            del self.fields["phone_number_id"], self.fields["whatsapp_template"]
            self.fields["token"].label = _("Bot token (from @BotFather)")
        else:
            del self.fields["channel_chat_id"]
            self.fields["token"].label = _("Access token (Meta Business)")
        if not allow_base_url:
            del self.fields["base_url"]
        hint = self.instance.token_hint if self.instance.pk else ""
        self.fields["token"].help_text = (
            _("Saved (ends with %(hint)s). Leave empty to keep it.") % {"hint": hint}
            if hint
            else _("Not set yet.")
        )

    def clean_token(self):
        value = (self.cleaned_data.get("token") or "").strip()
        return value or (self.instance.token if self.instance.pk else "")

    def clean(self):
        data = super().clean()
        if data.get("is_active") and not data.get("token"):
            self.add_error("token", _("Enter the token, or untick “active”."))
        if (
            self.provider == Channel.WHATSAPP
            and data.get("is_active")
            and not data.get("phone_number_id")
        ):
            self.add_error("phone_number_id", _("Enter the phone number ID from Meta."))
        return data
