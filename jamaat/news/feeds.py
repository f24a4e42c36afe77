"""Atom feed of a municipality's published news."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from jamaat.core.access import get_municipality
from jamaat.news.models import Post


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_municipality(slug)

    def title(self, obj):
        return _("%(name)s: news") % {"name": obj.name}

    def link(self, obj):
        return f"/{obj.slug}/news/"

    def subtitle(self, obj):
        return _("News of the LSG body on local issues")

    def items(self, obj):
        return Post.objects.for_municipality(obj).public_list()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.category)] if item.category else []

    def item_guid(self, item):
        return f"{settings.SITE_URL}{item.get_absolute_url()}"


news_feed = NewsFeed()
