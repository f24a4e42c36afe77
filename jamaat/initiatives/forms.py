from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.core.uploads import check_upload
from jamaat.initiatives import services
from jamaat.initiatives.models import CONTENT_LANGUAGES, Initiative, Status
from jamaat.messaging.forms import PhoneField
from jamaat.municipalities.models import LocalIssue, Village
from jamaat.plans.forms import MultipleFileField, MultipleFileInput

CONSENT_LANGUAGES = ("ky", "ru", "en")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ui_language() -> str:
    lang = (get_language() or "ky")[:2]
    return lang if lang in CONSENT_LANGUAGES else "ky"


class KgsField(forms.DecimalField):
    """An amount in som as people type it: "150 000", "150000,50"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # 95000.00 → "95000", 95000.50 → "95000.5"
            return format(value.normalize(), "f") if value == value.to_integral() else str(value)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
            value = value.removesuffix("сом").removesuffix("KGS")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("Enter an amount in som, digits only, for example 150000."), code="invalid"
            ) from None


class HoneypotMixin(forms.Form):
    # Hidden from people (and screen readers) by the template; bots fill every field.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


def _consent_language(form) -> str:
    if form.is_bound:
        lang = form.data.get("consent_lang", "")
        if lang in CONSENT_LANGUAGES:
            return lang
    return ui_language()


class _InitiativeFields(forms.ModelForm):
    estimated_cost = KgsField(
        label=_("Estimated cost, KGS"),
        required=False,
        help_text=_("A rough figure is enough; leave empty if you do not know."),
    )
    phone = PhoneField(
        help_text=_(
            "A Kyrgyz mobile number, for example 0555 12 34 56. Never shown publicly; "
            "staff may call you about the initiative."
        )
    )

    class Meta:
        model = Initiative
        fields = [
            "language", "title", "description", "village", "category", "estimated_cost",
            "submitter_name", "phone", "group_name", "publish_name",
        ]  # fmt: skip
        labels = {
            "language": _("Language you write in"),
            "title": _("What do you propose? (a short title)"),
            "description": _("Describe the initiative"),
            "submitter_name": _("Your name"),
            "publish_name": _("Show my name on the public page"),
        }
        help_texts = {
            "description": _(
                "What is the problem, what should be done, where, and who will benefit. "
                "Say if residents will contribute money or work."
            ),
            "title": _("For example: Repair the water pipe on Toktogul street."),
        }
        widgets = {
            "language": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "submitter_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        villages = Village.objects.filter(municipality=municipality)
        self.fields["village"].queryset = villages
        self.fields["village"].required = villages.exists()
        self.fields["village"].empty_label = _("— choose a village —")
        self.fields["category"].queryset = LocalIssue.objects.filter(
            municipality=municipality
        ).active()
        self.fields["category"].label = _("Local issue")
        self.fields["category"].empty_label = _("— not sure —")
        self.fields["language"].choices = CONTENT_LANGUAGES
        self.fields["description"].max_length = 5000
        self.fields["description"].widget.attrs["maxlength"] = 5000
        if not self.is_bound and not self.instance.pk:
            lang = ui_language()
            self.initial.setdefault("language", lang if lang in ("ky", "ru") else "ky")

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class SubmissionForm(HoneypotMixin, _InitiativeFields):
    """A resident's initiative, online, without an account."""

    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Tick the box to give your consent: without it we cannot register the initiative."
            )
        },
    )
    consent_lang = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _consent_language(self)
        self.fields["consent"].label = services.submission_consent_text(self.municipality, lang)
        self.fields["consent_lang"].initial = lang

    @property
    def consent_text(self) -> str:
        return services.submission_consent_text(self.municipality, _consent_language(self))

    def model_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in _InitiativeFields.Meta.fields if f != "language"}


class PaperForm(_InitiativeFields):
    """Staff enter an initiative received on paper."""

    received_on = forms.DateField(label=_("Received on"), widget=DATE_WIDGET)
    paper_consent = forms.BooleanField(
        label=_(
            "The paper form carries the resident's signed consent to keep their name and phone."
        ),
        required=True,
        error_messages={
            "required": _("Without the signed consent the phone number cannot be kept.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["submitter_name"].label = _("Name of the resident")
        self.fields["language"].label = _("Language of the text")
        self.fields["phone"].help_text = _("As written on the paper form. Never shown publicly.")
        self.fields["publish_name"].label = _("The resident agreed to show their name publicly")

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def model_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in _InitiativeFields.Meta.fields if f != "language"}


class EditForm(_InitiativeFields):
    """Staff edit: the text as written, the other language, and the facts of each stage."""

    budget_kgs = KgsField(label=_("From the local budget, KGS"), required=False)
    cofinancing_kgs = KgsField(label=_("Community co-financing, KGS"), required=False)

    class Meta(_InitiativeFields.Meta):
        fields = [
            "language", "title", "description", "title_other", "description_other",
            "village", "category", "estimated_cost", "submitter_name", "phone", "group_name",
            "publish_name", "is_public", "decision_kind", "decision_number", "decision_date",
            "budget_kgs", "cofinancing_kgs", "implemented_on", "rejection_reason",
        ]  # fmt: skip
        widgets = {
            **_InitiativeFields.Meta.widgets,
            "description_other": forms.Textarea(attrs={"rows": 6}),
            "decision_date": DATE_WIDGET,
            "implemented_on": DATE_WIDGET,
            "rejection_reason": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            **_InitiativeFields.Meta.labels,
            "title": _("Title (as written)"),
            "description": _("Description (as written)"),
            "submitter_name": _("Name of the resident"),
            "publish_name": _("The resident agreed to show their name publicly"),
        }

    STAGE_FIELDS = {
        "decision_kind": Status.SUPPORTED,
        "decision_number": Status.SUPPORTED,
        "decision_date": Status.SUPPORTED,
        "budget_kgs": Status.FUNDED,
        "cofinancing_kgs": Status.FUNDED,
        "implemented_on": Status.IMPLEMENTED,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inst = self.instance
        self.fields["language"].label = _("Language of the text as written")
        other = dict(CONTENT_LANGUAGES)[inst.other_language]
        self.fields["title_other"].label = _("Title in %(lang)s") % {"lang": other}
        self.fields["description_other"].label = _("Description in %(lang)s") % {"lang": other}
        self.fields["title"].help_text = ""
        self.fields["description"].help_text = ""
        self.fields["estimated_cost"].help_text = ""
        self.fields["phone"].help_text = _("Never shown publicly.")
        self.fields["title_other"].help_text = _(
            "Add the other language so every reader understands; the text as written is kept."
        )
        reached = set(_reached(inst))
        for name, stage in self.STAGE_FIELDS.items():
            if stage not in reached:
                del self.fields[name]
        if inst.status != Status.REJECTED:
            del self.fields["rejection_reason"]
        # a recorded stage keeps its facts: they cannot be blanked by an edit
        for name in (
            "decision_kind", "decision_number", "decision_date", "budget_kgs", "implemented_on",
        ):  # fmt: skip
            if name in self.fields:
                self.fields[name].required = True
        if "rejection_reason" in self.fields:
            self.fields["rejection_reason"].required = True

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("decision_date", "implemented_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
        return data


def _reached(initiative) -> list[str]:
    """Statuses of the path this initiative has passed (from its current status)."""
    from jamaat.initiatives.models import PATH

    if initiative.status in PATH:
        return list(PATH[: PATH.index(initiative.status) + 1])
    # rejected: the facts recorded before rejection stay editable
    out = [Status.SUBMITTED]
    if initiative.decision_date:
        out.append(Status.SUPPORTED)
    return out


class TransitionForm(forms.Form):
    """The facts one target status needs; the target itself is the plain field "to"."""

    decision_kind = forms.ChoiceField(
        label=_("Decided by"),
        choices=Initiative.DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the council or the head decided.")},
    )
    decision_number = forms.CharField(
        label=_("Number of the decision or order"),
        max_length=60,
        error_messages={"required": _("Give the number of the decision or order.")},
    )
    decision_date = forms.DateField(
        label=_("Date of the decision or order"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Give the date of the decision or order.")},
    )
    budget_kgs = KgsField(
        label=_("From the local budget, KGS"),
        error_messages={"required": _("Give the amount from the local budget (0 if none).")},
    )
    cofinancing_kgs = KgsField(label=_("Community co-financing, KGS"), required=False)
    progress = forms.IntegerField(
        label=_("Progress, %"), min_value=0, max_value=99, required=False, initial=0
    )
    implemented_on = forms.DateField(
        label=_("Implemented on"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Give the date the work was finished.")},
    )
    rejection_reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly: the resident and everyone else read it."),
        error_messages={"required": _("Give the reason: the resident will read it.")},
    )
    note = forms.CharField(
        label=_("Note for the history (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown publicly in the initiative's history."),
    )

    def __init__(self, *args, to: str, **kwargs):
        kwargs.setdefault("prefix", f"t-{to}")
        super().__init__(*args, **kwargs)
        self.target = to
        keep = {"note", *services.TRANSITION_FIELDS.get(to, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "implemented_on" in self.fields:
            self.fields["implemented_on"].initial = timezone.localdate()

    @property
    def label(self) -> str:
        return {
            Status.UNDER_REVIEW: _("Take under review"),
            Status.SUPPORTED: _("Supported: record the decision"),
            Status.FUNDED: _("Funded: record the money"),
            Status.IN_PROGRESS: _("Work started"),
            Status.IMPLEMENTED: _("Implemented"),
            Status.REJECTED: _("Reject"),
        }.get(self.target, Status(self.target).label)

    @property
    def is_reject(self) -> bool:
        return self.target == Status.REJECTED

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class MilestoneForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    text_ky = forms.CharField(
        label=_("What was done (ky)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    text_ru = forms.CharField(
        label=_("What was done (ru)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    progress = forms.IntegerField(
        label=_("Progress now, %"),
        min_value=0,
        max_value=99,
        required=False,
        # xgettext:no-python-format
        help_text=_("Leave empty to keep the current figure. 100% is the status “implemented”."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP; resized for phones. Shown publicly."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "m")
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > 10:
            raise ValidationError(_("At most 10 photos at a time."))
        return [check_upload(f, allow_pdf=False) for f in files]

    def clean(self):
        data = super().clean()
        if not (data.get("text_ky", "").strip() or data.get("text_ru", "").strip()):
            raise ValidationError(_("Write what was done, in Kyrgyz or in Russian."))
        if data.get("happened_on") and data["happened_on"] > timezone.localdate():
            self.add_error("happened_on", _("The date cannot be in the future."))
        return data


class PaperSupportForm(forms.Form):
    count = forms.IntegerField(label=_("Number of signatures"), min_value=1, max_value=1_000_000)
    collected_on = forms.DateField(label=_("Collected on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    sheets = MultipleFileField(
        label=_("Scanned sheets"),
        help_text=_("Photos or PDF of the signed sheets. Kept for staff only, never public."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "p")
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate()

    def clean_sheets(self):
        files = self.cleaned_data.get("sheets") or []
        if not files:
            raise ValidationError(_("Attach the scanned sheets (photos or PDF)."))
        if len(files) > 20:
            raise ValidationError(_("At most 20 files at a time."))
        return [check_upload(f, allow_pdf=True) for f in files]

    def clean_collected_on(self):
        value = self.cleaned_data["collected_on"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value


class SupportForm(HoneypotMixin):
    phone = PhoneField(
        help_text=_(
            "We send a 6-digit code to this number. One number supports an initiative once; "
            "the number is never shown publicly."
        )
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the box to give your consent: without it we cannot send the code.")
        },
    )
    consent_lang = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        lang = _consent_language(self)
        self.fields["consent"].label = services.support_consent_text(municipality, lang)
        self.fields["consent_lang"].initial = lang

    @property
    def consent_text(self) -> str:
        return services.support_consent_text(self.municipality, _consent_language(self))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
        help_text=_("6 digits."),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        help_text=_("As given when the initiative was registered, for example K7QF-2M9P."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self):
        raw = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(raw) != 8:
            raise ValidationError(_("A tracking code has 8 letters and digits."))
        return f"{raw[:4]}-{raw[4:]}"
