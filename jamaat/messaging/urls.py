"""Messaging pages, meant to be included under `/<slug:slug>/`.

Public (no login): subscribe/, subscribe/check-email/, subscribe/done/,
subscribe/confirm/<token>/, unsubscribe/<token>/.
Staff (Perm.MANAGE_CONTENT): subscribers/, subscribers/export.csv, outbox/, outbox/<pk>/,
outbox/retry/ (POST), messaging/providers/.
"""

from django.urls import path

from jamaat.messaging import views

app_name = "messaging"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/check-email/", views.check_email, name="check_email"),
    path("subscribe/done/", views.subscribed, name="subscribed"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("subscribers/", views.subscribers, name="subscribers"),
    path("subscribers/export.csv", views.subscribers_export, name="subscribers_export"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/retry/", views.retry, name="retry"),
    path("outbox/<int:pk>/", views.message_detail, name="message"),
    path("messaging/providers/", views.providers, name="providers"),
]
