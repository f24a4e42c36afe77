"""Questionnaires (activity 3.1) and their answers (3.2), in Kyrgyz and Russian.

Storage is kept flat so the `paper` and `analysis` apps can query it directly:

* `Questionnaire` → `QuestionnaireVersion` (immutable once it has responses) → `Section` →
  `Question` → `Option`. A matrix question keeps its rows in `Question.rows` (JSON list of
  ``{"code", "label_ky", "label_ru"}``); its scale is always 1–5.
* `Round`: a dated run of a questionnaire (e.g. spring and autumn); results are per round.
* `Response`: one filled-in questionnaire, with its version, round, channel (online / paper /
  interview), `batch_ref` and `serial` (filled by the paper app), language and copies of the
  demographic answers (village, gender, age group) for fast cross-tabs.
* `Answer`: one row per (response, question[, matrix row][, chosen option]). A multiple-choice
  answer is one row per ticked option; "other" is option code ``other`` with its text in
  `value`. So the frequencies of one question are a single aggregate::

      Answer.objects.filter(question__questionnaire_id=..., question_code="q7")
          .values("option_code").annotate(n=Count("id"))

  and a cross-tab by village is the same with ``.values("response__village", "option_code")``.
  `number` holds ratings, numbers and matrix cells; `value` the text form of every answer.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jamaat.core.models import TenantModel, TenantQuerySet, localized
from jamaat.messaging.models import PendingCode


class QuestionnaireQuerySet(TenantQuerySet):
    def published(self):
        return self.filter(status=Questionnaire.Status.PUBLISHED)

    def open_now(self, now=None):
        now = now or timezone.now()
        return (
            self.published().filter(rounds__opens_at__lte=now, rounds__closes_at__gt=now).distinct()
        )


class Questionnaire(TenantModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CLOSED = "closed", _("closed")

    title_ky = models.CharField(_("title (ky)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    description_ky = models.TextField(_("description (ky)"), blank=True)
    description_ru = models.TextField(_("description (ru)"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    results_public = models.BooleanField(_("results are public"), default=False)
    requires_phone = models.BooleanField(
        _("confirm by phone"),
        default=False,
        help_text=_("Residents confirm their answers with a code sent to their phone."),
    )
    template_key = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def current_version(self):
        return self.versions.order_by("-number").first()

    def open_round(self, now=None):
        now = now or timezone.now()
        return self.rounds.filter(opens_at__lte=now, closes_at__gt=now).order_by("opens_at").first()

    def get_absolute_url(self) -> str:
        return reverse("surveys:answer", args=[self.municipality.slug, self.pk])


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="surveys_version_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_locked(self) -> bool:
        """A version that has responses never changes (answers keep the version they were on)."""
        return self.responses.exists()

    def ordered_sections(self):
        """Sections with their questions and options, in order, in three queries."""
        return list(
            self.sections.order_by("order", "pk").prefetch_related(
                models.Prefetch(
                    "questions",
                    queryset=Question.objects.order_by("order", "pk").prefetch_related(
                        models.Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
                    ),
                )
            )
        )

    def ordered_questions(self):
        return [q for s in self.ordered_sections() for q in s.questions.all()]


class Section(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(default=0)
    title_ky = models.CharField(_("title (ky)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (ru)"), max_length=300, blank=True)
    text_ky = models.TextField(_("text (ky)"), blank=True)
    text_ru = models.TextField(_("text (ru)"), blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title or f"{self.order}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def text(self) -> str:
        return localized(self, "text")


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        RATING = "rating", _("rating 1–5")
        YES_NO = "yes_no", _("yes / no")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        TEXT = "text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        MATRIX = "matrix", _("matrix of ratings")
        VILLAGE = "village", _("village")
        GENDER = "gender", _("gender")
        AGE_GROUP = "age_group", _("age group")

    CHOICE_TYPES = frozenset({Type.SINGLE, Type.MULTIPLE})
    DEMOGRAPHIC_TYPES = frozenset({Type.VILLAGE, Type.GENDER, Type.AGE_GROUP})

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveIntegerField(default=0)
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Short name used in conditions and exports, e.g. q3."),
    )
    type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    required = models.BooleanField(_("required"), default=False)
    show_if = models.CharField(
        _("show if"),
        max_length=500,
        blank=True,
        help_text=_("A condition, e.g. q3 == 'yes' or q5 >= 3 or 'water' in q7."),
    )
    label_ky = models.CharField(_("question (ky)"), max_length=500, blank=True)
    label_ru = models.CharField(_("question (ru)"), max_length=500, blank=True)
    hint_ky = models.CharField(_("hint (ky)"), max_length=500, blank=True)
    hint_ru = models.CharField(_("hint (ru)"), max_length=500, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    integer_only = models.BooleanField(_("whole numbers only"), default=False)
    allow_other = models.BooleanField(_("allow “other”"), default=False)
    rows = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="surveys_question_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def hint(self) -> str:
        return localized(self, "hint")

    def row_label(self, row: dict) -> str:
        from django.utils.translation import get_language

        lang = (get_language() or "ky")[:2]
        return row.get(f"label_{lang}") or row.get("label_ky") or row.get("label_ru") or row["code"]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    code = models.CharField(_("code"), max_length=60)
    label_ky = models.CharField(_("label (ky)"), max_length=300, blank=True)
    label_ru = models.CharField(_("label (ru)"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label or self.code

    @property
    def label(self) -> str:
        return localized(self, "label")


class RoundQuerySet(TenantQuerySet):
    def open_at(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Round(TenantModel):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["opens_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class Response(TenantModel):
    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper")
        INTERVIEW = "interview", _("interview")

    class Gender(models.TextChoices):
        FEMALE = "female", _("female")
        MALE = "male", _("male")

    class AgeGroup(models.TextChoices):
        UNDER_18 = "u18", _("under 18")
        A18_29 = "18_29", _("18–29")
        A30_44 = "30_44", _("30–44")
        A45_59 = "45_59", _("45–59")
        A60 = "60p", _("60 and older")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    round = models.ForeignKey(
        Round, null=True, blank=True, on_delete=models.PROTECT, related_name="responses"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    batch_ref = models.CharField(max_length=60, blank=True, null=True, db_index=True)
    serial = models.CharField(max_length=40, blank=True, null=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    language = models.CharField(max_length=8, default="ky")
    village = models.ForeignKey(
        "municipalities.Village", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "submitted_at"])]
        constraints = [
            # A paper form's number is unique within its round: each round's forms are printed
            # from No. 1 again. Forms outside any round share one numbering per questionnaire.
            models.UniqueConstraint(
                fields=["questionnaire", "round", "serial"],
                condition=Q(serial__isnull=False, round__isnull=False),
                name="surveys_response_round_serial_uniq",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "serial"],
                condition=Q(serial__isnull=False, round__isnull=True),
                name="surveys_response_serial_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    question_code = models.CharField(max_length=60, db_index=True)
    row_code = models.CharField(max_length=60, blank=True)
    option_code = models.CharField(max_length=60, blank=True)
    value = models.TextField(blank=True)
    number = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["question", "option_code"])]

    def __str__(self) -> str:
        return f"{self.question_code}={self.option_code or self.value}"


class PhoneCheck(TenantModel, PendingCode):
    """A resident's phone confirmation in one round of a questionnaire that asks for it.

    Answers stay anonymous: the number itself is not stored here, only `phone_key`, a keyed hash
    (HMAC with the site's secret) of the questionnaire and the number — enough to refuse a second
    answer from the same number in the round, and never linked to the response. The code itself
    is handled as every phone code is (`PendingCode`).
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="phone_checks")
    phone_key = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "phone_key", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "phone_key"],
                condition=Q(used_at__isnull=False),
                name="surveys_one_answer_per_phone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.phone_key[:8]}"
