from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Subscribers and the outbox: delivery through Telegram, WhatsApp Cloud API and email."""

    name = "jamaat.messaging"
    label = "messaging"
