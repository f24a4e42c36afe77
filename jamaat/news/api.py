"""GET /api/v1/municipalities/{slug}/posts/: published news, both languages."""

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from jamaat.api.common import municipality_or_404, set_cache
from jamaat.news.models import Post

router = Router(tags=["news"])


class PostOut(Schema):
    id: int
    title_ky: str
    title_ru: str
    body_ky: str
    body_ru: str
    category: str | None
    category_ky: str | None
    category_ru: str | None
    published_at: datetime
    url: str


@router.get(
    "/municipalities/{slug}/posts/",
    response=list[PostOut],
    summary="Published news posts",
    description="The municipality's published news on local issues, newest first, with both "
    "languages (either may be empty) in Markdown, the local-issue category and the date. "
    "At most `limit` posts (default 50, up to 200).",
    operation_id="list_posts",
)
def list_posts(request: HttpRequest, response: HttpResponse, slug: str, limit: int = 50):
    municipality = municipality_or_404(slug)
    set_cache(request, response)
    limit = max(1, min(limit, 200))
    posts = Post.objects.for_municipality(municipality).public_list()[:limit]
    return [
        {
            "id": p.pk,
            "title_ky": p.title_ky,
            "title_ru": p.title_ru,
            "body_ky": p.body_ky,
            "body_ru": p.body_ru,
            "category": p.category.code if p.category else None,
            "category_ky": p.category.name_ky if p.category else None,
            "category_ru": p.category.name_ru if p.category else None,
            "published_at": p.publish_at,
            "url": f"{settings.SITE_URL}{p.get_absolute_url()}",
        }
        for p in posts
    ]
