"""Paper questionnaires (activity 3.2): ballot-box batches and the forms entered from them.

A `Batch` is one opening of a ballot box (урна / үкөк). Each paper form typed in from it is kept
here as a `PaperEntry` (the flat answers exactly as `surveys.services.submit_response` takes
them). With single entry the entry goes through `submit_response` at once and keeps a link to
the `surveys.Response`. With double entry, two people type the same forms; when both entries of a
serial agree, the response is stored; when they differ, a `Discrepancy` per question waits until
someone picks the right value. Only then does the response exist, so only final answers count.

A form typed twice is open as long as it has no response (`services.open_forms`): picks are saved
only together with the stored response, in one transaction (`services.resolve`), so a saved
`resolved_value` without a response is just a suggestion left by an earlier version.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel


class Batch(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", _("open for entry")
        ENTERED = "entered", _("entered")
        VERIFIED = "verified", _("verified")

    questionnaire = models.ForeignKey(
        "surveys.Questionnaire", on_delete=models.PROTECT, related_name="+"
    )
    round = models.ForeignKey(
        "surveys.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Channel(models.TextChoices):
        PAPER = "paper", _("forms from a ballot box")
        INTERVIEW = "interview", _("interviews (a staff member asked and wrote the answers)")

    channel = models.CharField(
        _("where the forms come from"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.PAPER,
        help_text=_("Each answer keeps this channel, so results can be compared by channel."),
    )
    opened_on = models.DateField(_("box opened on"))
    opened_by_name = models.CharField(_("opened by"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    forms_found = models.PositiveIntegerField(_("number of forms found"))
    note = models.TextField(_("note"), blank=True)
    double_entry = models.BooleanField(
        _("double entry"),
        default=False,
        help_text=_("Two people enter the same forms; differences are resolved before counting."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.opened_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("paper:batch", args=[self.municipality.slug, self.pk])


class PaperEntry(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="entries")
    serial = models.PositiveIntegerField()
    pass_no = models.PositiveSmallIntegerField(default=1)
    answers = models.JSONField(default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    response = models.ForeignKey(
        "surveys.Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["serial", "pass_no"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "serial", "pass_no"], name="paper_entry_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.serial}/{self.pass_no}"


class Discrepancy(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="discrepancies")
    serial = models.PositiveIntegerField()
    question_code = models.CharField(max_length=60)
    first_value = models.TextField(blank=True)
    second_value = models.TextField(blank=True)
    resolved_value = models.TextField(blank=True, null=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["serial", "pk"]

    def __str__(self) -> str:
        return f"{self.serial}:{self.question_code}"
