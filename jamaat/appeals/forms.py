from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jamaat.appeals.models import CONTENT_LANGUAGES, Appeal
from jamaat.core.uploads import check_upload
from jamaat.municipalities.models import LocalIssue, Village

NO_CONTACTS = _(
    "Please give your name and a phone number or an email address. By the Law "
    "“On the procedure for considering citizens' appeals”, an appeal without the applicant's "
    "name and contacts may be left unconsidered, and we could not send you the answer."
)


CONTACTS_NEEDED = _("At least one of phone and email is required.")


class AppealFieldsMixin:
    """Category/village choices of the municipality and the contact rule."""

    def setup(self, municipality):
        self.municipality = municipality
        self.fields["category"].queryset = LocalIssue.objects.filter(
            municipality=municipality
        ).active()
        self.fields["category"].empty_label = _("— choose a local issue —")
        self.fields["village"].queryset = Village.objects.filter(municipality=municipality)
        self.fields["village"].required = False
        self.fields["village"].empty_label = _("— not given —")
        self.fields["applicant_name"].required = True
        self.fields["phone"].help_text = CONTACTS_NEEDED

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and not 9 <= len(digits) <= 15:
            raise ValidationError(
                _("This does not look like a phone number: write e.g. 0555 12 34 56.")
            )
        return phone

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload or not hasattr(upload, "content_type"):
            return upload
        self.clean_photo_file = check_upload(upload, allow_pdf=False)
        return upload

    def check_contacts(self, cleaned):
        """The law's rule on the name and contacts, explained once for the whole form (a
        non-field error); the name and phone fields only get a short error of their own."""
        no_name = self.has_error("applicant_name", "required")
        no_contacts = (
            not cleaned.get("phone")
            and not cleaned.get("email")
            and "phone" not in self.errors
            and "email" not in self.errors
        )
        if no_contacts:
            # the error says what the help said: shown once (BoundField copies the help text)
            self.fields["phone"].help_text = self["phone"].help_text = ""
            self.add_error("phone", CONTACTS_NEEDED)
        if no_name or no_contacts:
            self.add_error(None, NO_CONTACTS)
        return cleaned


class PublicAppealForm(AppealFieldsMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "I agree that the LSG body processes my name and contacts to consider this appeal "
            "and answer me."
        ),
        error_messages={"required": _("Without your consent we cannot accept the appeal.")},
    )
    # Honeypot: hidden from people by CSS; bots fill it.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Appeal
        fields = [
            "kind", "category", "village", "text", "photo",
            "applicant_name", "phone", "email", "language",
        ]  # fmt: skip
        labels = {"applicant_name": _("Your name")}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "kind": forms.RadioSelect,
            "language": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "applicant_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, municipality, **kw):
        super().__init__(*args, **kw)
        self.setup(municipality)
        self.fields["language"].help_text = _("The answer will be written in this language.")
        if not self.is_bound:  # the language the resident reads this page in (English UI: ky)
            lang = (translation.get_language() or "").split("-")[0]
            self.initial["language"] = lang if lang in dict(CONTENT_LANGUAGES) else "ky"

    def clean(self):
        return self.check_contacts(super().clean())


class StaffAppealForm(AppealFieldsMixin, forms.ModelForm):
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[c for c in Appeal.Channel.choices if c[0] != Appeal.Channel.ONLINE],
    )

    class Meta:
        model = Appeal
        fields = [
            "channel", "kind", "category", "village", "address", "text", "photo",
            "applicant_name", "phone", "email", "language",
        ]  # fmt: skip
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, municipality, **kw):
        super().__init__(*args, **kw)
        self.setup(municipality)

    def clean(self):
        return self.check_contacts(super().clean())


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=None,
        empty_label=_("— choose a responsible person —"),
    )

    def __init__(self, *args, staff, **kw):
        super().__init__(*args, **kw)
        self.fields["assigned_to"].queryset = staff


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 8}))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Appeal.Status.choices)
    reason = forms.ChoiceField(
        label=_("Legal reason (only for “left unconsidered”)"),
        choices=[("", "—"), *Appeal.UnconsideredReason.choices],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Appeal.Status.UNCONSIDERED and not cleaned.get("reason"):
            self.add_error(
                "reason", _("An appeal may be left unconsidered only for a reason the law names.")
            )
        return cleaned


class StatusCheckForm(forms.Form):
    """Sent by POST: the check code is a secret and must not end up in URLs (server logs,
    browser history, Referer headers)."""

    number = forms.CharField(
        label=_("Registration number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Check code (optional)"),
        max_length=16,
        required=False,
        help_text=_("With the code you also see the answer; without it only the status and dates."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, example: str, **kw):
        """`example`: a made-up number in the municipality's format (services.example_number)."""
        super().__init__(*args, **kw)
        self.fields["number"].widget.attrs["placeholder"] = example

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
