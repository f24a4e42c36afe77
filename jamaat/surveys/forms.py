import re

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jamaat.messaging.forms import PhoneField
from jamaat.surveys import conditions, services
from jamaat.surveys.models import Question, Questionnaire, Round, Section

T = Question.Type
# Codes go into conditions and XLSForm names (XML names): Latin letters, digits and "_".
CODE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OPTION_CODE_RE = re.compile(r"^[A-Za-z0-9_]+$")  # answer codes may be numbers ("1", "2")


# --- answering --------------------------------------------------------------------------------


class PhoneForm(forms.Form):
    """The last step of a questionnaire that confirms by phone (`Questionnaire.requires_phone`)."""

    phone = PhoneField(
        help_text=gettext_lazy(
            "We send a 6-digit code to this number, so that each person answers once. "
            "Your number is not kept with your answers."
        )
    )


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the message"),
        max_length=12,
        help_text=gettext_lazy("6 digits."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*",
                   "autofocus": True}
        ),
    )  # fmt: skip


def _other_field(question):
    return forms.CharField(label=_("Other (write your answer)"), required=False, max_length=300)


def _field(question, villages):
    label, hint = question.label or question.code, question.hint
    t = question.type
    if t == T.MULTIPLE:
        choices = services.fixed_options(question)
        if question.allow_other:
            choices.append((services.OTHER, _("Other")))
        return forms.MultipleChoiceField(
            label=label, help_text=hint, required=False, choices=choices,
            widget=forms.CheckboxSelectMultiple,
        )  # fmt: skip
    if t == T.VILLAGE:
        return forms.ChoiceField(
            label=label, help_text=hint, required=False,
            choices=[("", "—")] + list(villages.items()),
        )  # fmt: skip
    if t in (T.SINGLE, T.YES_NO, T.RATING, T.GENDER, T.AGE_GROUP):
        choices = services.fixed_options(question)
        if t == T.SINGLE and question.allow_other:
            choices.append((services.OTHER, _("Other")))
        return forms.ChoiceField(
            label=label, help_text=hint, required=False, choices=choices, widget=forms.RadioSelect
        )
    if t == T.NUMBER:
        return forms.CharField(
            label=label, help_text=hint, required=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )  # fmt: skip
    if t == T.DATE:
        return forms.CharField(
            label=label, help_text=hint or _("YYYY-MM-DD"), required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
        )  # fmt: skip
    if t == T.LONG_TEXT:
        return forms.CharField(
            label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": 4})
        )
    return forms.CharField(label=label, help_text=hint, required=False)


def field_names(question) -> list[str]:
    if question.type == T.MATRIX:
        return [f"{question.code}__{r['code']}" for r in question.rows]
    names = [question.code]
    if question.allow_other and question.type in (T.SINGLE, T.MULTIPLE):
        names.append(f"{question.code}__other")
    return names


def read_post(questions, post) -> dict:
    """The raw answers of `questions` from a POST (flat form, see services)."""
    out = {}
    for q in questions:
        for name in field_names(q):
            if q.type == T.MULTIPLE and name == q.code:
                out[name] = post.getlist(name)
            else:
                out[name] = post.get(name, "")
    return out


class SectionForm(forms.Form):
    """One page of the public form: the visible questions of one section."""

    def __init__(self, questions, answers, errors, villages):
        data = QueryDict(mutable=True)
        for q in questions:
            for name in field_names(q):
                value = answers.get(name)
                if isinstance(value, list):
                    data.setlist(name, [str(v) for v in value])
                elif value not in (None, ""):
                    data[name] = str(value)
        super().__init__(data, label_suffix="")  # questions end with their own "?"
        self.items = []
        self.has_required = any(q.required for q in questions)
        for q in questions:
            if q.type == T.MATRIX:
                names = []
                for row in q.rows:
                    name = f"{q.code}__{row['code']}"
                    self.fields[name] = forms.ChoiceField(
                        label=q.row_label(row), required=False,
                        choices=[(str(i), str(i)) for i in services.RATING],
                        widget=forms.RadioSelect(attrs={"class": "scale"}),
                    )  # fmt: skip
                    names.append(name)
                self.items.append({"question": q, "names": names, "matrix": True})
                continue
            field = _field(q, villages)
            if q.required:  # the mark in the label (or legend), and for screen readers
                field.label = f"{field.label} *"
                field.widget.attrs["aria-required"] = "true"
            self.fields[q.code] = field
            names = [q.code]
            if q.allow_other and q.type in (T.SINGLE, T.MULTIPLE):
                self.fields[f"{q.code}__other"] = _other_field(q)
                names.append(f"{q.code}__other")
            self.items.append({"question": q, "names": names, "matrix": False})
        self.full_clean()
        self._errors = ErrorDict()
        for code, message in errors.items():
            target = code if code in self.fields else None
            if target is None:
                target = next((n for n in self.fields if n.startswith(f"{code}__")), None)
            if target:
                self._errors[target] = self.error_class([message])
        for item in self.items:
            item["fields"] = [self[n] for n in item["names"]]
            item["error"] = errors.get(item["question"].code, "")


# --- building ---------------------------------------------------------------------------------


class QuestionnaireForm(forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = [
            "title_ky", "title_ru", "description_ky", "description_ru", "results_public",
            "requires_phone",
        ]  # fmt: skip
        widgets = {
            "description_ky": forms.Textarea(attrs={"rows": 3}),
            "description_ru": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        if not (data.get("title_ky") or data.get("title_ru")):
            raise forms.ValidationError(_("Write the title in Kyrgyz or Russian."))
        return data


class SectionEditForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_ky", "title_ru", "text_ky", "text_ru"]
        widgets = {
            "text_ky": forms.Textarea(attrs={"rows": 2}),
            "text_ru": forms.Textarea(attrs={"rows": 2}),
        }


def _lines(items, keys=("code", "label_ky", "label_ru")) -> str:
    return "\n".join(" | ".join(str(i.get(k, "")) for k in keys) for i in items)


def _parse_lines(text: str, what: str) -> list[dict]:
    out, seen = [], set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            parts = [f"{what[0]}{n}", parts[0], parts[0]]
        while len(parts) < 3:
            parts.append("")
        code = parts[0]
        if code and not OPTION_CODE_RE.match(code):
            raise forms.ValidationError(
                _("Line %(n)s: a code may hold only Latin letters, digits and “_”, no spaces.")
                % {"n": n}
            )
        if not code or code in seen or code == services.OTHER:
            raise forms.ValidationError(
                _("Line %(n)s: each code must be filled in, unique and not “other”.") % {"n": n}
            )
        seen.add(code)
        out.append({"code": code, "label_ky": parts[1], "label_ru": parts[2]})
    return out


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=gettext_lazy("Answers offered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line: code | text in Kyrgyz | text in Russian."),
    )
    rows_text = forms.CharField(
        label=gettext_lazy("Lines to rate (matrix)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line: code | text in Kyrgyz | text in Russian."),
    )

    class Meta:
        model = Question
        fields = [
            "label_ky", "label_ru", "hint_ky", "hint_ru", "code", "type", "required", "show_if",
            "min_value", "max_value", "integer_only", "allow_other",
        ]  # fmt: skip

    def __init__(self, *args, earlier_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier_codes = set(earlier_codes)
        if self.instance.pk:
            self.fields["options_text"].initial = _lines(
                [{"code": o.code, "label_ky": o.label_ky, "label_ru": o.label_ru}
                 for o in self.instance.options.all()]
            )  # fmt: skip
            self.fields["rows_text"].initial = _lines(self.instance.rows)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not CODE_RE.match(code):
            raise forms.ValidationError(
                _("A code may hold only Latin letters, digits and “_”, and starts with a letter.")
            )
        others = Question.objects.filter(version=self.instance.version_id, code=code)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another question already has this code."))
        return code

    def clean_show_if(self):
        text = self.cleaned_data["show_if"].strip()
        if text:
            try:
                conditions.check(text, self.earlier_codes)
            except conditions.ConditionError as exc:
                raise forms.ValidationError(
                    _("The condition cannot be used: %(why)s. Conditions may only use "
                      "questions asked before this one.") % {"why": exc}
                ) from None  # fmt: skip
        return text

    def clean(self):
        data = super().clean()
        t = data.get("type")
        try:
            self.options = _parse_lines(data.get("options_text", ""), "option")
            self.rows = _parse_lines(data.get("rows_text", ""), "row")
        except forms.ValidationError as exc:
            self.add_error("options_text" if t != T.MATRIX else "rows_text", exc)
            return data
        if t in (T.SINGLE, T.MULTIPLE) and not self.options:
            self.add_error("options_text", _("Give at least one answer to choose from."))
        if t == T.MATRIX and not self.rows:
            self.add_error("rows_text", _("Give at least one line to rate."))
        lo, hi = data.get("min_value"), data.get("max_value")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_value", _("The maximum must not be below the minimum."))
        return data


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["name", "opens_at", "closes_at"]
        widgets = {
            "opens_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The round must close after it opens."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSForm file (.xlsx)"))
