"""The plan engine: a municipality's adopted copy of the model plan, its schedule and evidence.

The model plan itself (the template) is data in `template_data.py`; adopting copies it into these
rows so an adopted plan keeps its text even when a later template version changes.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.access import Role
from jamaat.core.models import TenantModel, TenantQuerySet, localized
from jamaat.plans import schedule


class PlanQuerySet(TenantQuerySet):
    def approved(self):
        return self.filter(status=Plan.Status.APPROVED)

    def current_for(self, municipality, on: date | None = None):
        """The plan whose period covers `on` (default today), approved first."""
        year = (on or timezone.localdate()).year
        return (
            self.filter(municipality=municipality, start_year__lte=year, end_year__gte=year)
            .order_by("status", "-start_year")  # "approved" sorts before "draft"
            .first()
        ) or self.filter(municipality=municipality).order_by("-start_year").first()


class Plan(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    template_version = models.CharField(max_length=40)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    notes_ky = models.TextField(_("notes (ky)"), blank=True)
    notes_ru = models.TextField(_("notes (ru)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "start_year"], name="plan_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.start_year}–{self.end_year}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def missing_blanks(self) -> list[tuple["Indicator", int]]:
        """Indicators with a blank whose target is not filled for some year of the period."""
        indicators = (
            Indicator.objects.filter(activity__plan=self, has_blank=True)
            .select_related("activity")
            .prefetch_related("targets")
            .order_by("activity__order", "order")
        )
        missing = []
        for indicator in indicators:
            filled = {t.year for t in indicator.targets.all() if t.value is not None}
            missing += [(indicator, y) for y in self.years if y not in filled]
        return missing

    def get_absolute_url(self) -> str:
        return reverse("plans:plan", args=[self.municipality.slug])


class Goal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField()
    title_ky = models.TextField()
    title_ru = models.TextField()
    title_en = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class ActivityQuerySet(TenantQuerySet):
    def ordered(self):
        return self.order_by("order", "code")


class Activity(TenantModel):
    class Budget(models.TextChoices):
        NONE = "none", _("not required")
        LOCAL = "local", _("local budget")

    RULE_CHOICES = [(k, v) for k, v in schedule.RULE_LABELS.items()]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="activities")
    code = models.CharField(max_length=10)
    order = models.PositiveIntegerField(default=0)
    text_ky = models.TextField(_("activity (ky)"))
    text_ru = models.TextField(_("activity (ru)"))
    text_en = models.TextField(_("activity (en)"), blank=True)
    deadline_text_ky = models.CharField(_("deadline (ky)"), max_length=200)
    deadline_text_ru = models.CharField(_("deadline (ru)"), max_length=200)
    deadline_text_en = models.CharField(_("deadline (en)"), max_length=200, blank=True)
    rule = models.CharField(_("schedule rule"), max_length=40, choices=RULE_CHOICES)
    rule_params = models.JSONField(default=dict, blank=True)
    responsible_roles = models.JSONField(default=list, blank=True)
    responsible_persons = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="responsible_activities"
    )
    budget_source = models.CharField(
        _("budget"), max_length=10, choices=Budget.choices, default=Budget.NONE
    )
    expected_ky = models.TextField(_("expected results (ky)"), blank=True)
    expected_ru = models.TextField(_("expected results (ru)"), blank=True)
    expected_en = models.TextField(_("expected results (en)"), blank=True)
    note_ky = models.TextField(_("note (ky)"), blank=True)
    note_ru = models.TextField(_("note (ru)"), blank=True)
    is_custom = models.BooleanField(default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="activity_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    text = property(lambda self: localized(self, "text"))
    deadline_text = property(lambda self: localized(self, "deadline_text"))
    expected = property(lambda self: localized(self, "expected"))
    note = property(lambda self: localized(self, "note"))

    def responsible_role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.responsible_roles]

    def slots(self) -> list[schedule.Slot]:
        return schedule.occurrences(
            self.rule, self.rule_params, self.plan.start_year, self.plan.end_year
        )

    def get_absolute_url(self) -> str:
        return reverse("plans:activity", args=[self.municipality.slug, self.code])


class ActivityBudget(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField()
    amount_kgs = models.DecimalField(_("amount, KGS"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "year"], name="budget_unique_year")
        ]


class Indicator(models.Model):
    class Unit(models.TextChoices):
        # xgettext:no-python-format
        PERCENT = "percent", _("% of population")
        COUNT = "count", _("count")
        NONE = "none", _("no number")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(max_length=80)
    order = models.PositiveSmallIntegerField(default=0)
    text_ky = models.TextField()
    text_ru = models.TextField()
    text_en = models.TextField(blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    has_blank = models.BooleanField(default=False)
    fixed_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "key"], name="indicator_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.activity.code}: {self.text[:60]}"

    text = property(lambda self: localized(self, "text"))

    def target_for(self, year: int) -> Decimal | None:
        if self.fixed_target is not None:
            return self.fixed_target
        for t in self.targets.all():
            if t.year == year:
                return t.value
        return None


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")
        ]


class OccurrenceQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status=Occurrence.Status.PLANNED)

    def annotate_evidence(self):
        return self.annotate(evidence_count=Count("evidence"))

    def overdue(self, today: date | None = None):
        return self.open().filter(due__lt=today or timezone.localdate())

    def due_in_month(self, year: int, month: int):
        return self.filter(due__year=year, due__month=month)

    def in_range(self, start: date, end: date):
        return self.filter(due__gte=start, due__lte=end)

    def for_person(self, user):
        return self.filter(activity__responsible_persons=user)

    def done_share(self, year: int, group_by: str):
        """Per `group_by` value: how many occurrences due so far this year, how many done."""
        today = timezone.localdate()
        return (
            self.filter(due__year=year, due__lte=max(today, date(year, 1, 1)))
            .values(group_by)
            .annotate(
                total=Count("id"),
                done=Count("id", filter=Q(status=Occurrence.Status.DONE)),
            )
            .order_by(group_by)
        )


class Occurrence(TenantModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="occurrences")
    key = models.CharField(max_length=20)
    due = models.DateField(_("due"))
    window_start = models.DateField()
    window_end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    closed_on = models.DateField(null=True, blank=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["due", "activity__order"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "key"], name="occurrence_unique_key")
        ]
        indexes = [
            models.Index(fields=["municipality", "due"]),
            models.Index(fields=["municipality", "status", "due"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity.code} · {self.due:%d.%m.%Y}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.PLANNED and self.due < (today or timezone.localdate())

    def get_absolute_url(self) -> str:
        return reverse("plans:occurrence", args=[self.municipality.slug, self.pk])


def evidence_upload_to(instance, filename: str) -> str:
    return f"evidence/{instance.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class Evidence(TenantModel):
    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        NOT_DONE = "not_done", _("not done")

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="evidence")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"), blank=True)
    reason = models.TextField(_("reason it was not done"), blank=True)
    links = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=80, default="manual")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurrence} — {self.get_outcome_display()}"


class EvidenceFile(TenantModel):
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def __str__(self) -> str:
        return self.original_name


class IndicatorValue(TenantModel):
    """A figure recorded for an indicator (e.g. attendance share), usually with evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="values"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "recorded_at"]
