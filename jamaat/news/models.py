"""News posts on local issues (activity 1.1), in Kyrgyz and Russian."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet
from jamaat.core.text import plain_excerpt, render_markdown


class PostQuerySet(TenantQuerySet):
    def published(self, now=None):
        """Published, or scheduled with its time come (visible even before the worker runs)."""
        now = now or timezone.now()
        return self.filter(
            Q(status=Post.Status.PUBLISHED) | Q(status=Post.Status.SCHEDULED, publish_at__lte=now)
        )

    def due_for_publication(self, now=None):
        return self.filter(status=Post.Status.SCHEDULED, publish_at__lte=now or timezone.now())

    def public_list(self):
        return (
            self.published()
            .select_related("category", "municipality")
            .prefetch_related("photos")
            .order_by("-publish_at", "-id")
        )


class Post(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")

    title_ky = models.CharField(_("title (ky)"), max_length=200, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=200, blank=True)
    body_ky = models.TextField(_("text (ky)"), blank=True, help_text=_("Markdown"))
    body_ru = models.TextField(_("text (ru)"), blank=True, help_text=_("Markdown"))
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("local issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("publication time"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "-publish_at"])]

    def __str__(self) -> str:
        return self.title_ky or self.title_ru or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.municipality.slug, self.pk])

    # --- language fallback: either language may be empty; the other is then shown with a note.
    def lang_shown(self, lang: str | None = None) -> str:
        lang = (lang or get_language() or "ky")[:2]
        if getattr(self, f"title_{lang}", "") or getattr(self, f"body_{lang}", ""):
            return lang
        return "ky" if (self.title_ky or self.body_ky) else "ru"

    def is_fallback(self, lang: str | None = None) -> bool:
        lang = (lang or get_language() or "ky")[:2]
        return self.lang_shown(lang) != lang

    @property
    def title(self) -> str:
        lang = self.lang_shown()
        return getattr(self, f"title_{lang}") or self.title_ky or self.title_ru

    def _rendered(self, kind: str) -> str:
        """Markdown is rendered once per instance and language (it is the costly part)."""
        lang = self.lang_shown()
        cache = self.__dict__.setdefault("_rendered_cache", {})
        if (kind, lang) not in cache:
            text = getattr(self, f"body_{lang}")
            cache[kind, lang] = render_markdown(text) if kind == "html" else plain_excerpt(text)
        return cache[kind, lang]

    @property
    def body_html(self) -> str:
        return self._rendered("html")

    @property
    def excerpt(self) -> str:
        return self._rendered("excerpt")

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED or (
            self.status == self.Status.SCHEDULED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def cover(self):
        photos = list(self.photos.all())
        return photos[0] if photos else None


def photo_upload_to(instance, filename: str) -> str:
    return f"news/{instance.post.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class PostPhoto(models.Model):
    """A post's photo, stored in responsive sizes (480, 960, 1600 px wide)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveSmallIntegerField(default=0)
    alt_ky = models.CharField(max_length=200, blank=True)
    alt_ru = models.CharField(max_length=200, blank=True)
    small = models.ImageField(upload_to=photo_upload_to)
    small_w = models.PositiveIntegerField(default=0)
    small_h = models.PositiveIntegerField(default=0)
    medium = models.ImageField(upload_to=photo_upload_to, blank=True)
    large = models.ImageField(upload_to=photo_upload_to, blank=True)
    widths = models.JSONField(default=list)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.small.name

    def srcset(self) -> str:
        files = [self.small, self.medium, self.large]
        return ", ".join(f"{f.url} {w}w" for f, w in zip(files, self.widths, strict=False) if f)

    def best(self):
        return self.medium or self.small

    @property
    def alt(self) -> str:
        lang = (get_language() or "ky")[:2]
        return getattr(self, f"alt_{lang}", "") or self.alt_ky or self.alt_ru
