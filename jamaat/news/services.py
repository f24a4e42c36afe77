"""Publishing news: saving photos in responsive sizes, publishing, and recording plan evidence."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jamaat.core import audit
from jamaat.core.uploads import CleanFile, image_variants
from jamaat.news.models import Post, PostPhoto
from jamaat.plans.services import record_automatic_evidence


def add_photos(post: Post, files: list[CleanFile]) -> None:
    start = post.photos.count()
    for i, f in enumerate(files):
        variants = image_variants(f.content)
        stem = uuid.uuid4().hex[:12]
        photo = PostPhoto(
            post=post,
            order=start + i,
            widths=[w for w, _h, _b in variants],
            small_w=variants[0][0],
            small_h=variants[0][1],
        )
        for field, (w, _h, data) in zip(("small", "medium", "large"), variants, strict=False):
            getattr(photo, field).save(f"{stem}-{w}.jpg", ContentFile(data), save=False)
        photo.save()


@transaction.atomic
def save_post(actor, post: Post, photos: list[CleanFile], action: str) -> Post:
    """action: "draft", "publish" (now) or "schedule" (at post.publish_at)."""
    created = post.pk is None
    if action == "publish":
        post.status = Post.Status.PUBLISHED
        if not post.publish_at or post.publish_at > timezone.now():
            post.publish_at = timezone.now()
    elif action == "schedule":
        post.status = Post.Status.SCHEDULED
    else:
        post.status = Post.Status.DRAFT
    if created:
        post.author = actor
    post.save()
    add_photos(post, photos)
    audit.record(actor, post.municipality, post, "create" if created else action, {
        "status": ["" if created else "…", post.status]
    })  # fmt: skip
    if post.status == Post.Status.PUBLISHED:
        record_publication(post.pk)
    return post


def record_publication(post_id: int):
    """Evidence for activity 1.1 (idempotent per post)."""
    post = Post.objects.select_related("municipality").get(pk=post_id)
    if not post.is_public:
        return None
    day = timezone.localtime(post.publish_at).date()
    return record_automatic_evidence(
        post.municipality,
        "1.1",
        day,
        text=post.title_ky or post.title_ru,
        source=f"news.post:{post.pk}",
        links=[f"{settings.SITE_URL}{post.get_absolute_url()}"],
    )


def publish_due(now=None) -> int:
    """Turn scheduled posts whose time has come into published ones and record evidence."""
    count = 0
    for post in Post.objects.due_for_publication(now).select_related("municipality"):
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
        record_publication(post.pk)
        count += 1
    return count
