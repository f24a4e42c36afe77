"""Municipalities (the tenants), their villages and who holds which role there."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jamaat.core.access import Role
from jamaat.core.models import localized, new_token


class Municipality(models.Model):
    class Kind(models.TextChoices):
        AIYL_AIMAK = "aiyl_aimak", _("aiyl aimak")
        CITY = "city", _("city")

    slug = models.SlugField(unique=True)
    name_ky = models.CharField(_("name (ky)"), max_length=200)
    name_ru = models.CharField(_("name (ru)"), max_length=200)
    name_en = models.CharField(_("name (en)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    oblast_ky = models.CharField(_("oblast (ky)"), max_length=100)
    oblast_ru = models.CharField(_("oblast (ru)"), max_length=100)
    district_ky = models.CharField(_("district (ky)"), max_length=100, blank=True)
    district_ru = models.CharField(_("district (ru)"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("population year"))
    address_ky = models.CharField(_("address (ky)"), max_length=300, blank=True)
    address_ru = models.CharField(_("address (ru)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    calendar_token = models.CharField(max_length=64, default=new_token, unique=True)

    class Meta:
        ordering = ["oblast_ky", "name_ky"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def oblast(self) -> str:
        return localized(self, "oblast")

    @property
    def district(self) -> str:
        return localized(self, "district")

    @property
    def address(self) -> str:
        return localized(self, "address")

    def name_in(self, lang: str) -> str:
        return localized(self, "name", lang)

    def get_absolute_url(self) -> str:
        return reverse("plans:dashboard", args=[self.slug])


class Village(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="villages"
    )
    name_ky = models.CharField(_("name (ky)"), max_length=200)
    name_ru = models.CharField(_("name (ru)"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["name_ky"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name_ky"], name="village_unique_name")
        ]

    def __str__(self) -> str:
        return localized(self, "name")


class MembershipQuerySet(models.QuerySet):
    def with_role(self, *roles):
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A user's role in one municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position_ky = models.CharField(_("position (ky)"), max_length=200, blank=True)
    position_ru = models.CharField(_("position (ru)"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.municipality})"


# Issues of local significance (the 2011 law's list; the current list is unverified, so each
# municipality edits its own copy). Used by news, meetings, appeals and questionnaires.
DEFAULT_LOCAL_ISSUES = [
    ("water", "Ичүүчү суу жана канализация", "Питьевая вода и канализация"),
    ("roads", "Жергиликтүү жолдор жана көчөлөр", "Местные дороги и улицы"),
    ("lighting", "Көчө жарыгы", "Уличное освещение"),
    ("waste", "Таштандыны чогултуу жана жок кылуу", "Сбор и вывоз отходов"),
    ("greening", "Көрктөндүрүү жана жашылдандыруу", "Благоустройство и озеленение"),
    ("parks", "Парктар, спорт жана эс алуу", "Парки, спорт и досуг"),
    ("culture", "Маданият жана китепканалар", "Культура и библиотеки"),
    ("cemeteries", "Көрүстөндөр жана ырасым кызматтары", "Кладбища и ритуальные услуги"),
    ("transport", "Муниципалдык транспорт", "Муниципальный транспорт"),
    ("land", "Жерди пайдалануу жана шаар куруу", "Землепользование и градостроительство"),
    ("pastures", "Жайыттар", "Пастбища"),
    ("budget", "Муниципалдык менчик жана жергиликтүү бюджет", "Муниципальная собственность и местный бюджет"),
    ("schools", "Мектептер жана бала бакчалар (имараттар)", "Школы и детские сады (здания)"),
    ("order", "Коомдук тартипти сактоого көмөк", "Содействие охране общественного порядка"),
    ("social", "Социалдык колдоо", "Социальная поддержка"),
    ("other", "Башка", "Другое"),
]  # fmt: skip


class LocalIssueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class LocalIssue(models.Model):
    """A category of local issue (вопрос местного значения), editable per municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="local_issues"
    )
    code = models.SlugField(max_length=40)
    name_ky = models.CharField(_("name (ky)"), max_length=200)
    name_ru = models.CharField(_("name (ru)"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = LocalIssueQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name_ky"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="local_issue_unique_code")
        ]

    def __str__(self) -> str:
        return localized(self, "name")

    @classmethod
    def ensure_defaults(cls, municipality) -> None:
        if cls.objects.filter(municipality=municipality).exists():
            return
        cls.objects.bulk_create(
            cls(municipality=municipality, code=code, name_ky=ky, name_ru=ru, order=i)
            for i, (code, ky, ru) in enumerate(DEFAULT_LOCAL_ISSUES)
        )
