"""News rows of the access matrix (jamaat/core/tests/test_access_matrix.py collects them)."""

from jamaat.news.models import Post


def _post(t, status):
    post, _ = Post.objects.get_or_create(
        municipality=t.municipality,
        title_ky=f"MATRIX-{status}",
        defaults={"status": status, "body_ky": "текст"},
    )
    if status == Post.Status.PUBLISHED and post.publish_at is None:
        from django.utils import timezone

        Post.objects.filter(pk=post.pk).update(publish_at=timezone.now())
    return post


def fingerprint():
    return (
        tuple(Post.objects.order_by("pk").values_list("pk", "title_ky", "status")),
        tuple(
            __import__("jamaat.municipalities.models", fromlist=["LocalIssue"])
            .LocalIssue.objects.order_by("pk")
            .values_list("pk", "name_ky", "is_active")
        ),
    )


def rows(m):
    Row, needs, public, u, C, OK, DONE, HIDDEN = (
        m.Row, m.needs, m.public, m.u, m.C, m.OK, m.DONE, m.HIDDEN,
    )  # fmt: skip

    def published_url(w, t):
        return f"/{t.slug}/news/{_post(t, Post.Status.PUBLISHED).pk}/"

    def draft_url(w, t):
        return f"/{t.slug}/news/{_post(t, Post.Status.DRAFT).pk}/"

    def edit_url(w, t):
        return f"/{t.slug}/manage/news/{_post(t, Post.Status.DRAFT).pk}/"

    def draft_rule(w):
        return OK if C in w.perms else HIDDEN

    def post_data(w, t):
        return {"title_ky": "MATRIX-NEW-POST", "body_ky": "текст", "action": "draft"}

    def post_done(w, t):
        assert Post.objects.filter(municipality=t.municipality, title_ky="MATRIX-NEW-POST").exists()

    def categories_data(w, t):
        from jamaat.municipalities.models import LocalIssue

        qs = list(LocalIssue.objects.filter(municipality=t.municipality))
        data = {"form-TOTAL_FORMS": str(len(qs)), "form-INITIAL_FORMS": str(len(qs))}
        for i, li in enumerate(qs):
            data.update({
                f"form-{i}-id": str(li.pk), f"form-{i}-name_ky": li.name_ky + "!",
                f"form-{i}-name_ru": li.name_ru, f"form-{i}-order": str(li.order),
                f"form-{i}-is_active": "on",
            })  # fmt: skip
        return data

    def categories_done(w, t):
        from jamaat.municipalities.models import LocalIssue

        assert LocalIssue.objects.filter(
            municipality=t.municipality, name_ky__endswith="!"
        ).exists()

    return [
        Row("news_list", "<slug>/news/", "GET", public, u("news/")),
        Row("api_posts", "api/v1/municipalities/<slug>/posts/", "GET", public,
            lambda w, t: f"/api/v1/municipalities/{t.slug}/posts/"),
        Row("news_feed", "<slug>/news/feed/", "GET", public, u("news/feed/")),
        Row("news_detail", "<slug>/news/<pk>/", "GET", public, published_url),
        Row("news_draft", "<slug>/news/<pk>/", "GET", draft_rule, draft_url),
        Row("news_manage", "<slug>/manage/news/", "GET", needs(C), u("manage/news/")),
        Row("news_new", "<slug>/manage/news/new/", "GET", needs(C), u("manage/news/new/")),
        Row("news_new", "<slug>/manage/news/new/", "POST", needs(C, DONE), u("manage/news/new/"),
            data=post_data, done=post_done),
        Row("news_edit", "<slug>/manage/news/<pk>/", "GET", needs(C), edit_url),
        Row("news_edit", "<slug>/manage/news/<pk>/", "POST", needs(C, DONE), edit_url,
            data=post_data, done=post_done),
        Row("categories", "<slug>/manage/categories/", "GET", needs(C), u("manage/categories/")),
        Row("categories", "<slug>/manage/categories/", "POST", needs(C, DONE),
            u("manage/categories/"), data=categories_data, done=categories_done),
    ]  # fmt: skip
