from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Activity 1.1: news on local issues on the website; every published post is its evidence."""

    name = "jamaat.news"
    label = "news"

    def ready(self):
        from jamaat.plans import registry

        registry.register_workplace("1.1", _("News"), "news:manage")

        from jamaat.core.public import register_home_block
        from jamaat.news.models import Post

        def latest_news(request, municipality):
            posts = list(Post.objects.for_municipality(municipality).public_list()[:5])
            return {"posts": posts}

        register_home_block("news", 10, "news/_home_block.html", latest_news)
