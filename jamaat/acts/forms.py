import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.acts.models import Deputy, LegalAct, Mandate
from jamaat.core.access import Role
from jamaat.core.models import User
from jamaat.core.uploads import check_upload
from jamaat.municipalities.models import LocalIssue, Village

EARLIEST = date(1991, 1, 1)


def date_input(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def fmt(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def not_in_future(value: date | None, message=None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(message or _("The date cannot be in the future."), code="future")


def not_too_early(value: date | None) -> None:
    if value and value < EARLIEST:
        raise ValidationError(
            _("The date must not be earlier than %(date)s.") % {"date": fmt(EARLIEST)},
            code="too_early",
        )


def local_issues(municipality):
    return LocalIssue.objects.filter(municipality=municipality).active()


class MandateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = f" · {obj.village}" if obj.village_id else ""
        return f"{obj} — {obj.deputy}{where} ({obj.get_status_display()})"


class ActForm(forms.ModelForm):
    """The texts of an act and the mandates it answers (any status)."""

    mandates = MandateChoiceField(
        queryset=Mandate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Voters' mandates this act answers"),
        help_text=_(
            "Open mandates and those already linked. When the act is adopted they are "
            "marked “answered by an act”."
        ),  # fmt: skip
    )

    class Meta:
        model = LegalAct
        fields = ["title_ky", "title_ru", "summary_ky", "summary_ru", "category", "mandates"]
        widgets = {
            "summary_ky": forms.Textarea(attrs={"rows": 4}),
            "summary_ru": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = local_issues(municipality)
        self.fields["category"].empty_label = _("— choose a local issue —")
        mandates = Mandate.objects.for_municipality(municipality).select_related(
            "deputy", "village"
        )
        if self.instance.pk:
            mandates = mandates.filter(
                Q(status__in=Mandate.OPEN_STATUSES) | Q(acts=self.instance)
            ).distinct()
        else:
            mandates = mandates.filter(status__in=Mandate.OPEN_STATUSES)
        self.fields["mandates"].queryset = mandates.order_by("-received_on", "-id")

    def clean(self):
        data = super().clean()
        if not (data.get("title_ky") or "").strip() and not (data.get("title_ru") or "").strip():
            self.add_error("title_ky", _("Give the act a title in Kyrgyz or in Russian."))
        return data


class InitiateForm(forms.Form):
    initiator_kind = forms.ChoiceField(
        label=_("Initiated by"), choices=LegalAct.Initiator.choices, widget=forms.RadioSelect
    )
    initiator_deputy = forms.ModelChoiceField(
        label=_("Deputy"), queryset=Deputy.objects.none(), required=False
    )
    initiator_name = forms.CharField(
        label=_("Committee"), max_length=200, required=False,
        help_text=_("Only when a committee of the local council initiated it."),
    )  # fmt: skip
    initiated_on = forms.DateField(label=_("Date initiated"), widget=date_input())

    def __init__(self, *args, act, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act
        self.fields["initiator_deputy"].queryset = Deputy.objects.for_municipality(
            municipality
        ).active()
        self.fields["initiator_deputy"].empty_label = _("— choose a deputy —")

    def clean_initiated_on(self):
        value = self.cleaned_data["initiated_on"]
        not_in_future(value)
        not_too_early(value)
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("initiator_kind")
        if kind == LegalAct.Initiator.DEPUTY and not data.get("initiator_deputy"):
            self.add_error("initiator_deputy", _("Choose the deputy who initiated the act."))
        if kind == LegalAct.Initiator.COMMITTEE and not (data.get("initiator_name") or "").strip():
            self.add_error("initiator_name", _("Name the committee that initiated the act."))
        return data


def validate_link(value: str) -> None:
    if value and not (value.startswith("/") or re.match(r"https?://\S+$", value)):
        raise ValidationError(
            _("Paste the address of the page, starting with https:// or with /."), code="bad_link"
        )


class DiscussionForm(forms.Form):
    discussion_from = forms.DateField(label=_("Public discussion from"), widget=date_input())
    discussion_to = forms.DateField(label=_("Public discussion to"), widget=date_input())
    hearing_url = forms.CharField(
        label=_("Link to the public hearing"), max_length=300, required=False,
        validators=[validate_link],
        help_text=_("Optional: the hearing's page on this site (e.g. /karool/meetings/12/) or "
                    "another link."),
    )  # fmt: skip

    def __init__(self, *args, act, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act

    def clean(self):
        data = super().clean()
        start, end = data.get("discussion_from"), data.get("discussion_to")
        if start and self.act.initiated_on and start < self.act.initiated_on:
            self.add_error(
                "discussion_from",
                _("The discussion cannot start before the act was initiated (%(date)s).")
                % {"date": fmt(self.act.initiated_on)},
            )
        if start and end and end < start:
            self.add_error("discussion_to", _("The discussion must end on or after its start."))
        return data


class AdoptForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40)
    adopted_on = forms.DateField(label=_("Date adopted"), widget=date_input())
    pdf = forms.FileField(
        label=_("Signed text of the act (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text=_("A PDF file; it is published on the site."),
    )

    def __init__(self, *args, act, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act

    def clean_number(self):
        return " ".join(self.cleaned_data["number"].split()).lstrip("№").strip()

    def clean_pdf(self):
        clean = check_upload(self.cleaned_data["pdf"], allow_pdf=True)
        if clean.content_type != "application/pdf":
            raise ValidationError(
                _("“%(name)s” is a photo; upload the act as a PDF file.")
                % {"name": self.cleaned_data["pdf"].name},
                code="not_pdf",
            )
        return clean

    def clean_adopted_on(self):
        value = self.cleaned_data["adopted_on"]
        not_in_future(value, _("An act cannot be adopted in the future."))
        return value

    def clean(self):
        data = super().clean()
        adopted_on, number = data.get("adopted_on"), data.get("number")
        act = self.act
        if adopted_on and act.discussion_to and adopted_on < act.discussion_to:
            self.add_error(
                "adopted_on",
                _("The public discussion runs until %(date)s; the act can be adopted only after "
                  "it ends.") % {"date": fmt(act.discussion_to)},
            )  # fmt: skip
        elif adopted_on and act.initiated_on and adopted_on < act.initiated_on:
            self.add_error(
                "adopted_on",
                _("The act cannot be adopted before it was initiated (%(date)s).")
                % {"date": fmt(act.initiated_on)},
            )
        if adopted_on and number:
            twin = (
                LegalAct.objects.for_municipality(act.municipality_id)
                .public()
                .filter(adopted_on__year=adopted_on.year, number__iexact=number)
                .exclude(pk=act.pk)
                .first()
            )
            if twin:
                self.add_error(
                    "number",
                    _("An act № %(number)s of %(year)s is already registered: “%(title)s”.")
                    % {"number": number, "year": adopted_on.year, "title": twin.title},
                )
        return data


class InForceForm(forms.Form):
    in_force_on = forms.DateField(label=_("In force from"), widget=date_input())

    def __init__(self, *args, act, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act

    def clean_in_force_on(self):
        value = self.cleaned_data["in_force_on"]
        not_in_future(
            value, _("Mark the act as in force on or after the day it enters into force.")
        )
        if self.act.adopted_on and value < self.act.adopted_on:
            raise ValidationError(
                _("An act cannot enter into force before it was adopted (%(date)s).")
                % {"date": fmt(self.act.adopted_on)}
            )
        return value


class RepealForm(forms.Form):
    repealed_on = forms.DateField(label=_("Date repealed"), widget=date_input())
    repeal_reason_ky = forms.CharField(
        label=_("Reason for repeal (ky)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    repeal_reason_ru = forms.CharField(
        label=_("Reason for repeal (ru)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, act, **kwargs):
        super().__init__(*args, **kwargs)
        self.act = act

    def clean_repealed_on(self):
        value = self.cleaned_data["repealed_on"]
        not_in_future(value)
        floor = self.act.in_force_on or self.act.adopted_on
        if floor and value < floor:
            raise ValidationError(
                _("The act cannot be repealed before %(date)s.") % {"date": fmt(floor)}
            )
        return value

    def clean(self):
        data = super().clean()
        if not any((data.get(f) or "").strip() for f in ("repeal_reason_ky", "repeal_reason_ru")):
            self.add_error(
                "repeal_reason_ky", _("Give the reason for repeal in Kyrgyz or in Russian.")
            )
        return data


# status -> (form class, prefix, button label)
STEP_FORMS = {
    LegalAct.Status.INITIATED: (InitiateForm, "i", _("Record the initiative")),
    LegalAct.Status.DISCUSSION: (DiscussionForm, "d", _("Put to public discussion")),
    LegalAct.Status.ADOPTED: (AdoptForm, "a", _("Record the adoption")),
    LegalAct.Status.IN_FORCE: (InForceForm, "f", _("Mark as in force")),
    LegalAct.Status.REPEALED: (RepealForm, "r", _("Record the repeal")),
}


def step_form(act, to_status, municipality, data=None, files=None):
    cls, prefix, _label = STEP_FORMS[to_status]
    kwargs = {"act": act, "prefix": prefix}
    if cls is InitiateForm:
        kwargs["municipality"] = municipality
    return cls(data, files, **kwargs)


class MandateForm(forms.ModelForm):
    class Meta:
        model = Mandate
        fields = [
            "deputy", "received_via", "received_on", "submitted_by", "village", "category", "text",
        ]  # fmt: skip
        widgets = {
            "received_via": forms.RadioSelect,
            "received_on": date_input(),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, municipality, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies.filter(
            Q(is_active=True) | Q(pk=self.instance.deputy_id)
        )
        self.fields["deputy"].empty_label = _("— choose a deputy —")
        self.fields["village"].queryset = Village.objects.filter(municipality=municipality)
        self.fields["village"].empty_label = _("— the whole territory —")
        self.fields["category"].queryset = local_issues(municipality)
        self.fields["category"].empty_label = _("— choose a local issue —")
        if not self.instance.pk:
            self.initial["received_on"] = self.initial.get("received_on") or timezone.localdate()
            choices = list(self.fields["deputy"].queryset[:2])
            if len(choices) == 1:  # a deputy recording their own mandate
                self.initial["deputy"] = self.initial.get("deputy") or choices[0].pk
        self.fields["received_via"].choices = Mandate.Via.choices  # no empty choice

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        not_in_future(value)
        not_too_early(value)
        return value


class MandateStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the mandate is fulfilled otherwise (how) or rejected (why)."),
    )

    def __init__(self, *args, mandate, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Mandate.Status.choices)
        self.fields["status"].choices = [
            (s, labels[s]) for s in Mandate.NEXT.get(mandate.status, ())
        ]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class DeputyForm(forms.ModelForm):
    user = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Account in Jamaat"),
        help_text=_("Members of this municipality with the role of deputy or council chair. "
                    "A deputy with an account records the mandates they receive themselves."),
    )  # fmt: skip

    class Meta:
        model = Deputy
        fields = [
            "full_name", "district_number", "district_name_ky", "district_name_ru", "term_from",
            "term_to", "phone", "email", "reception_ky", "reception_ru", "user", "is_active",
        ]  # fmt: skip
        widgets = {
            "district_number": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "term_from": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "term_to": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["user"].queryset = (
            User.objects.filter(
                memberships__municipality=municipality,
                memberships__role__in=[Role.DEPUTY, Role.COUNCIL_CHAIR],
                is_active=True,
            )
            .distinct()
            .order_by("full_name", "username")
        )
        self.fields["user"].empty_label = _("— no account —")
        for name in ("term_from", "term_to"):
            self.fields[name].validators.append(_year_validator)
            self.fields[name].widget.attrs.update({"min": 1991, "max": 2100})

    def clean(self):
        data = super().clean()
        start, end = data.get("term_from"), data.get("term_to")
        if start and end and end < start:
            self.add_error("term_to", _("The term must end in or after the year it starts."))
        user = data.get("user")
        if user:
            twin = (
                Deputy.objects.for_municipality(self.municipality)
                .filter(user=user)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if twin:
                self.add_error(
                    "user",
                    _("This account is already linked to the deputy %(name)s.")
                    % {"name": twin.full_name},
                )
        return data


def _year_validator(value):
    if value is not None and not 1991 <= value <= 2100:
        raise ValidationError(_("Enter a year between 1991 and 2100."), code="year")
