from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.channels.models import Channel
from jamaat.digests import compose, services
from jamaat.digests.models import Digest, quarter_label, quarter_of


def recent_quarters(today=None, count: int = 6) -> list[tuple[int, int]]:
    """The current quarter and the ones before it, newest first."""
    year, q = quarter_of(today or timezone.localdate())
    out = []
    for _i in range(count):
        out.append((year, q))
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)
    return out


class NewDigestForm(forms.Form):
    period = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (f"{y}-{q}", quarter_label(y, q)) for y, q in recent_quarters()
        ]
        self.fields["period"].initial = self.fields["period"].choices[0][0]

    def year_quarter(self) -> tuple[int, int]:
        y, q = self.cleaned_data["period"].split("-")
        return int(y), int(q)


class PostChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, post):
        return f"{post.title} · {timezone.localtime(post.publish_at):%d.%m.%Y}"


def _no_cr(value: str) -> str:
    """Browsers send textarea line breaks as CRLF; count and store them as one character."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


class DigestForm(forms.ModelForm):
    posts = PostChoiceField(
        label=_("News included"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick news to leave it out, then press “Compose again”."),
    )

    class Meta:
        model = Digest
        fields = ["posts", "title_ky", "text_ky", "title_ru", "text_ru", "channel_language"]
        widgets = {
            "text_ky": forms.Textarea(attrs={"rows": 14}),
            "text_ru": forms.Textarea(attrs={"rows": 14}),
            "channel_language": forms.RadioSelect,
        }
        help_texts = {
            "title_ky": _("The email subject for subscribers who read Kyrgyz."),
            "title_ru": _("The email subject for subscribers who read Russian."),
            "channel_language": _(
                "The municipality's Telegram channel gets one post; subscribers each get "
                "their own language."
            ),
        }

    def __init__(self, *args, check_lengths=True, **kwargs):
        super().__init__(*args, **kwargs)
        digest = self.instance
        self.check_lengths = check_lengths
        self.fields["posts"].queryset = compose.quarter_posts(
            digest.municipality, digest.year, digest.quarter
        ).select_related("municipality")
        self.limit = compose.subscriber_text_limit(digest.municipality)
        for lang in compose.LANGS:
            self.fields[f"text_{lang}"].widget.attrs["data-limit"] = self.limit

    def clean_text_ky(self):
        return _no_cr(self.cleaned_data.get("text_ky")).strip()

    def clean_text_ru(self):
        return _no_cr(self.cleaned_data.get("text_ru")).strip()

    def clean(self):
        data = super().clean()
        if self.check_lengths:
            if not (data.get("text_ky") or data.get("text_ru")):
                raise forms.ValidationError(_("Write the text in Kyrgyz or in Russian."))
            for name, message in services.length_errors(self.instance.municipality, data).items():
                self.add_error(name, message)
        return data

    def _post_clean(self):
        """Leave the digest untouched: the views save through `services.save_edits`."""


class GroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, channel):
        return channel.name


class ShareForm(forms.Form):
    groups = GroupChoiceField(
        label=_("WhatsApp groups"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one WhatsApp group."),
            "invalid_choice": _(
                "A group you ticked already has this digest recorded, or is no longer in use. "
                "Look at the list above and tick the others."
            ),
        },
    )
    shared_on = forms.DateField(
        label=_("Shared on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )

    def __init__(self, *args, digest, **kwargs):
        super().__init__(*args, **kwargs)
        self.digest = digest
        self.fields["groups"].queryset = (
            Channel.objects.for_municipality(digest.municipality)
            .active()
            .filter(kind=Channel.Kind.WHATSAPP_GROUP)
            .exclude(digest_shares__digest=digest)
            .order_by("name")
        )
        self.fields["shared_on"].initial = timezone.localdate()

    def clean_shared_on(self):
        day = self.cleaned_data["shared_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        composed_on = timezone.localdate(self.digest.created_at)
        if day < composed_on:
            raise forms.ValidationError(
                _("The digest was composed on %(day)s; it cannot have been shared earlier.")
                % {"day": composed_on.strftime("%d.%m.%Y")}
            )
        return day
