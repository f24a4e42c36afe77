from django.db.models.signals import post_save
from django.dispatch import receiver

from jamaat.municipalities.models import LocalIssue, Municipality


@receiver(post_save, sender=Municipality)
def default_local_issues(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        LocalIssue.ensure_defaults(instance)
