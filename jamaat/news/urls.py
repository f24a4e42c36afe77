from django.urls import path

from jamaat.news import feeds, views

app_name = "news"

urlpatterns = [
    path("news/", views.news_list, name="list"),
    path("news/feed/", feeds.news_feed, name="feed"),
    path("news/<int:pk>/", views.news_detail, name="detail"),
    path("manage/news/", views.manage, name="manage"),
    path("manage/news/new/", views.edit, name="new"),
    path("manage/news/<int:pk>/", views.edit, name="edit"),
    path("manage/categories/", views.categories, name="categories"),
]
