"""Activity 2.3: deputies of the local council, voters' mandates and normative legal acts.

A normative legal act (ченемдик укуктук акт, ЧУА / нормативный правовой акт, НПА) goes through
draft → initiated → public discussion → adopted → in force → repealed; the allowed steps are in
`LegalAct.NEXT` and every step is taken through `jamaat.acts.services`. Only adopted, in-force and
repealed acts are public. A voter's mandate (шайлоочулардын сунуш-талаптары / наказ избирателей)
is received by a deputy and answered by an act, fulfilled otherwise or rejected; each change of
its status is kept in `MandateEvent`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized


class DeputyQuerySet(TenantQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_mandate_counts(self):
        return self.annotate(
            mandates_total=Count("mandates", distinct=True),
            mandates_answered=Count(
                "mandates",
                filter=Q(mandates__status__in=Mandate.DONE_STATUSES),
                distinct=True,
            ),
        ).order_by("-is_active", "district_number", "full_name")


class Deputy(TenantModel):
    """A deputy of the local council (депутат), with electoral district, term and contacts."""

    full_name = models.CharField(_("full name"), max_length=200)
    district_number = models.PositiveSmallIntegerField(
        _("electoral district No."), null=True, blank=True
    )
    district_name_ky = models.CharField(_("electoral district (ky)"), max_length=200, blank=True)
    district_name_ru = models.CharField(_("electoral district (ru)"), max_length=200, blank=True)
    term_from = models.PositiveSmallIntegerField(_("term from (year)"))
    term_to = models.PositiveSmallIntegerField(_("term to (year)"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    reception_ky = models.CharField(_("reception hours and place (ky)"), max_length=300, blank=True)
    reception_ru = models.CharField(_("reception hours and place (ru)"), max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account in Jamaat"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy_records",
        help_text=_("A deputy with an account records the mandates they receive themselves."),
    )
    is_active = models.BooleanField(_("current deputy"), default=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "district_number", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="deputy_unique_user_per_municipality"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def district_name(self) -> str:
        return localized(self, "district_name")

    @property
    def district(self) -> str:
        name = self.district_name
        if self.district_number and name:
            return f"№ {self.district_number} · {name}"
        return f"№ {self.district_number}" if self.district_number else name

    @property
    def reception(self) -> str:
        return localized(self, "reception")

    @property
    def term(self) -> str:
        return f"{self.term_from}–{self.term_to}"


class MandateQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=Mandate.OPEN_STATUSES)

    def listing(self):
        return (
            self.select_related("municipality", "deputy", "village", "category")
            .annotate(acts_count=Count("acts", distinct=True))
            .order_by("-received_on", "-id")
        )


class Mandate(TenantModel):
    """A voter's mandate (наказ избирателей) received by a deputy."""

    class Via(models.TextChoices):
        MEETING = "meeting", _("at a meeting with voters")
        RECEPTION = "reception", _("at a reception of citizens")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IN_WORK = "in_work", _("in work")
        ANSWERED = "answered_by_act", _("answered by an act")
        FULFILLED = "fulfilled", _("fulfilled otherwise")
        REJECTED = "rejected", _("rejected")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_WORK)
    DONE_STATUSES = (Status.ANSWERED, Status.FULFILLED)
    NEXT = {
        Status.RECEIVED: (Status.IN_WORK, Status.ANSWERED, Status.FULFILLED, Status.REJECTED),
        Status.IN_WORK: (Status.ANSWERED, Status.FULFILLED, Status.REJECTED),
        Status.ANSWERED: (Status.IN_WORK,),
        Status.FULFILLED: (Status.IN_WORK,),
        Status.REJECTED: (Status.IN_WORK,),
    }
    NOTE_REQUIRED = (Status.FULFILLED, Status.REJECTED)

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="mandates"
    )
    received_via = models.CharField(
        _("where it was received"), max_length=12, choices=Via.choices, default=Via.MEETING
    )
    received_on = models.DateField(_("date received"))
    submitted_by = models.CharField(
        _("from whom"),
        max_length=200,
        blank=True,
        help_text=_("A voter, a group or a street; not shown publicly."),
    )
    text = models.TextField(
        _("the mandate"),
        help_text=_("Shown publicly with the act that answers it: write no personal data here."),
    )
    village = models.ForeignKey(
        "municipalities.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("local issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    status_note = models.TextField(_("note on the status"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return f"№ {self.pk}: {text[:60]}{'…' if len(text) > 60 else ''}"

    def get_absolute_url(self) -> str:
        return reverse("acts:mandate_edit", args=[self.municipality.slug, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def badge_class(self) -> str:
        return {
            self.Status.RECEIVED: "planned",
            self.Status.IN_WORK: "planned",
            self.Status.ANSWERED: "done",
            self.Status.FULFILLED: "done",
            self.Status.REJECTED: "not_done",
        }.get(self.status, "")


class MandateEvent(models.Model):
    """One change of a mandate's status: the history shown on its page."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=Mandate.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.mandate_id}: {self.from_status} → {self.to_status}"


class LegalActQuerySet(TenantQuerySet):
    def public(self):
        return self.filter(status__in=LegalAct.PUBLIC_STATUSES)

    def public_list(self):
        return (
            self.public()
            .select_related("municipality", "category")
            .annotate(mandates_count=Count("mandates", distinct=True))
            .order_by("-adopted_on", "-id")
        )

    def adopted_in(self, year: int):
        """Acts adopted (with number and date) in `year`; later repealed ones still count."""
        return self.public().filter(adopted_on__year=year)

    def initiated_in(self, year: int):
        return self.exclude(status=LegalAct.Status.DRAFT).filter(initiated_on__year=year)


def act_pdf_upload_to(instance, filename: str) -> str:
    year = instance.adopted_on.year if instance.adopted_on else timezone.localdate().year
    return f"acts/{instance.municipality_id}/{year}/{filename}"


class LegalAct(TenantModel):
    """A normative legal act of the local council (ЧУА / НПА) and its lifecycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        INITIATED = "initiated", _("initiated")
        DISCUSSION = "discussion", _("public discussion")
        ADOPTED = "adopted", _("adopted")
        IN_FORCE = "in_force", _("in force")
        REPEALED = "repealed", _("repealed")

    class Initiator(models.TextChoices):
        DEPUTY = "deputy", _("a deputy")
        HEAD = "head", _("the head of the ayil okmotu / mayor")
        COMMITTEE = "committee", _("a committee of the local council")

    PUBLIC_STATUSES = (Status.ADOPTED, Status.IN_FORCE, Status.REPEALED)
    # The allowed steps; anything else is refused with a message (services.InvalidStep).
    NEXT = {
        Status.DRAFT: (Status.INITIATED,),
        Status.INITIATED: (Status.DISCUSSION,),
        Status.DISCUSSION: (Status.ADOPTED,),
        Status.ADOPTED: (Status.IN_FORCE, Status.REPEALED),
        Status.IN_FORCE: (Status.REPEALED,),
        Status.REPEALED: (),
    }

    title_ky = models.CharField(_("title (ky)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    summary_ky = models.TextField(_("summary (ky)"), blank=True)
    summary_ru = models.TextField(_("summary (ru)"), blank=True)
    category = models.ForeignKey(
        "municipalities.LocalIssue",
        verbose_name=_("local issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # initiated
    initiator_kind = models.CharField(
        _("initiated by"), max_length=12, choices=Initiator.choices, blank=True
    )
    initiator_deputy = models.ForeignKey(
        Deputy,
        verbose_name=_("deputy who initiated it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiated_acts",
    )
    initiator_name = models.CharField(_("committee"), max_length=200, blank=True)
    initiated_on = models.DateField(_("date initiated"), null=True, blank=True)
    # public discussion
    discussion_from = models.DateField(_("public discussion from"), null=True, blank=True)
    discussion_to = models.DateField(_("public discussion to"), null=True, blank=True)
    hearing_url = models.CharField(
        _("link to the public hearing"),
        max_length=300,
        blank=True,
        help_text=_("The address of the hearing's page on this site, or another link."),
    )
    # adopted
    number = models.CharField(_("number"), max_length=40, blank=True)
    adopted_on = models.DateField(_("date adopted"), null=True, blank=True, db_index=True)
    pdf = models.FileField(_("text of the act (PDF)"), upload_to=act_pdf_upload_to, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    # in force / repealed
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    repealed_on = models.DateField(_("date repealed"), null=True, blank=True)
    repeal_reason_ky = models.TextField(_("reason for repeal (ky)"), blank=True)
    repeal_reason_ru = models.TextField(_("reason for repeal (ru)"), blank=True)

    mandates = models.ManyToManyField(
        Mandate, verbose_name=_("voters' mandates it answers"), blank=True, related_name="acts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LegalActQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "-adopted_on"])]

    def __str__(self) -> str:
        title = self.title_ky or self.title_ru or f"#{self.pk}"
        return f"№ {self.number} · {title}" if self.number else title

    def get_absolute_url(self) -> str:
        return reverse("acts:detail", args=[self.municipality.slug, self.pk])

    def get_manage_url(self) -> str:
        return reverse("acts:act_edit", args=[self.municipality.slug, self.pk])

    title = property(lambda self: localized(self, "title"))
    summary = property(lambda self: localized(self, "summary"))
    repeal_reason = property(lambda self: localized(self, "repeal_reason"))

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def next_steps(self) -> tuple:
        return self.NEXT.get(self.status, ())

    @property
    def initiator(self) -> str:
        if self.initiator_kind == self.Initiator.DEPUTY and self.initiator_deputy_id:
            return f"{self.get_initiator_kind_display()}: {self.initiator_deputy}"
        if self.initiator_kind == self.Initiator.COMMITTEE and self.initiator_name:
            return f"{self.get_initiator_kind_display()}: {self.initiator_name}"
        return self.get_initiator_kind_display()

    @property
    def badge_class(self) -> str:
        return {
            self.Status.DRAFT: "draft",
            self.Status.INITIATED: "planned",
            self.Status.DISCUSSION: "planned",
            self.Status.ADOPTED: "approved",
            self.Status.IN_FORCE: "done",
        }.get(self.status, "")
