from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.channels.models import Channel
from jamaat.core.uploads import check_upload
from jamaat.news.models import Post
from jamaat.plans.forms import members_queryset
from jamaat.printed import services
from jamaat.printed.models import Material, Placement

TEXT_MAX = 8000


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = timezone.localtime(obj.publish_at).strftime("%d.%m.%Y") if obj.publish_at else ""
        title = obj.title_ky or obj.title_ru
        return f"{when} · {title}" if when else title


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class MaterialForm(forms.ModelForm):
    """A poster or booklet from free text, or from a published news post."""

    source_post = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label=_("From a news post"),
        empty_label=_("— none: free text —"),
        help_text=_(
            "The QR code then leads to the post; without a post, to the municipality's public "
            "page. “Fill in from the post” replaces the title and text below."
        ),
    )

    class Meta:
        model = Material
        fields = ["kind", "language", "source_post", "title", "text"]
        widgets = {
            "kind": forms.RadioSelect,
            "language": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {
            "title": _("Keep it short: a short title is printed large enough to read from 2 m."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        posts = Post.objects.for_municipality(municipality).published().order_by("-publish_at")
        if self.instance.source_post_id:
            posts = Post.objects.filter(pk=self.instance.source_post_id) | posts
        self.fields["source_post"].queryset = posts
        self.fields["title"].required = False
        self.fields["text"].required = False
        self.fields["text"].validators.append(MaxLengthValidator(TEXT_MAX))
        self.fields["text"].widget.attrs["maxlength"] = TEXT_MAX

    def clean(self):
        data = super().clean()
        post = data.get("source_post")
        lang = data.get("language") or Material.Language.KY
        if post is not None and not (data.get("title") and data.get("text")):
            title, text, _used = services.from_post(post, lang)
            data["title"] = data.get("title") or title[:200]
            data["text"] = data.get("text") or text
        if not data.get("title"):
            self.add_error("title", _("Give the material a title."))
        if not data.get("text"):
            self.add_error(
                "text", _("Write the text, or choose a news post and fill it in from the post.")
            )
        return data


class PlacementForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo of the board"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("Optional but encouraged: it shows the material was really put up."),
    )
    placed_by = PersonChoiceField(
        queryset=None, label=_("Placed by"), required=False, empty_label=_("— not given —")
    )

    field_order = ["board", "place", "placed_on", "photo", "placed_by", "note"]

    class Meta:
        model = Placement
        fields = ["board", "place", "placed_on", "placed_by", "note"]
        widgets = {
            "placed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        boards = Channel.objects.for_municipality(municipality).filter(
            kind=Channel.Kind.INFO_BOARD, is_active=True
        )
        self.fields["board"].queryset = boards
        self.fields["board"].empty_label = _("— not in the list: write the place below —")
        self.fields["placed_by"].queryset = members_queryset(municipality)
        self.fields["placed_on"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.has_boards = boards.exists()

    def clean_placed_on(self):
        day = self.cleaned_data["placed_on"]
        if day > timezone.localdate():
            raise ValidationError(
                _(
                    "%(date)s is in the future. Record a placement once the material is up on "
                    "the board."
                )
                % {"date": day.strftime("%d.%m.%Y")},
                code="future",
            )
        return day

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return check_upload(upload, allow_pdf=False) if upload else None

    def clean(self):
        data = super().clean()
        if not data.get("board") and not (data.get("place") or "").strip():
            self.add_error(
                "place", _("Choose the information board, or write where the material was put up.")
            )
        return data
