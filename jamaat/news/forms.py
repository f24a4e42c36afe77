from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.uploads import check_upload
from jamaat.municipalities.models import LocalIssue
from jamaat.news.models import Post
from jamaat.plans.forms import MultipleFileField, MultipleFileInput


class PostForm(forms.ModelForm):
    ACTIONS = {"draft", "preview", "publish", "schedule"}

    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP; resized for phones."),
    )

    class Meta:
        model = Post
        fields = ["title_ky", "body_ky", "title_ru", "body_ru", "category", "publish_at"]
        widgets = {
            "body_ky": forms.Textarea(attrs={"rows": 8}),
            "body_ru": forms.Textarea(attrs={"rows": 8}),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {"publish_at": _("Only for “Publish at this time”.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = LocalIssue.objects.filter(
            municipality=municipality
        ).active()
        self.fields["category"].empty_label = _("— choose a local issue —")
        self.fields["publish_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["publish_at"].required = False

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > 10:
            raise ValidationError(_("At most 10 photos at a time."))
        return [check_upload(f, allow_pdf=False) for f in files]

    def clean(self):
        data = super().clean()
        if not any(data.get(f) for f in ("title_ky", "title_ru")):
            raise ValidationError(_("Give the post a title in Kyrgyz or in Russian."))
        for lang in ("ky", "ru"):
            if data.get(f"body_{lang}") and not data.get(f"title_{lang}"):
                self.add_error(f"title_{lang}", _("A text needs a title in the same language."))
        action = self.data.get("action", "draft")
        if action not in self.ACTIONS:
            action = "draft"
        self.action = action
        if action == "schedule":
            when = data.get("publish_at")
            if not when:
                self.add_error("publish_at", _("Choose the date and time of publication."))
            elif when <= timezone.now():
                self.add_error(
                    "publish_at",
                    _("This time has already passed. Choose a future time or “Publish now”."),
                )
        return data


class LocalIssueForm(forms.ModelForm):
    class Meta:
        model = LocalIssue
        fields = ["name_ky", "name_ru", "order", "is_active"]


LocalIssueFormSet = forms.modelformset_factory(
    LocalIssue, form=LocalIssueForm, extra=1, can_delete=False
)
