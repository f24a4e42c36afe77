"""Demo data for activity 2.4: ТОС / АКӨБ bodies and their projects with photos.

`seed(municipality)` is idempotent (looked up by name / title) and goes through the services, so
implemented projects are evidence for 2.4. Everything is invented for the demo. For the lead:
call it from `jamaat.demo.seed`, e.g. `from jamaat.tos.demo import seed as seed_tos; seed_tos(m)`.
"""

import io
from datetime import date
from decimal import Decimal

from django.db import transaction
from PIL import Image, ImageDraw

from jamaat.core.uploads import CleanFile
from jamaat.municipalities.models import LocalIssue, Village
from jamaat.tos import services
from jamaat.tos.models import TosBody, TosProject

BODIES = [
    # name ky, name ru, village index, leader, members, registered, number
    ("«Ынтымак» АКӨБ", "ТОС «Ынтымак»", 0, "Токтосунов Мирлан", 34, date(2019, 5, 14), "7"),
    ("«Жаңы-Жол» АКӨБ", "ТОС «Жаны-Жол»", 2, "Алиева Айгүл", 21, date(2022, 9, 1), "12"),
]
PROJECTS = [
    # body, title ky, title ru, issue, local, own, in kind, status, finished
    (0, "Ынтымак көчөсүнө 12 чырак орнотуу", "Установка 12 фонарей на улице Ынтымак",
     "lighting", 80000, 15000, "Тургундардын эмгеги", "implemented", date(2025, 9, 12)),
    (0, "Балдар аянтчасын оңдоо", "Ремонт детской площадки", "parks", 120000, 30000,
     "Жыгач жана боёк", "in_progress", None),
    (1, "Арыктарды тазалоо", "Очистка арыков", "water", 25000, 5000, "Ашар", "implemented",
     date(2026, 4, 20)),
    (1, "Көчөгө аталыш такталарын коюу", "Установка табличек с названиями улиц", "roads",
     15000, 3000, "", "planned", None),
]  # fmt: skip


def demo_photo(color, label: str) -> CleanFile:
    image = Image.new("RGB", (1200, 800), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 560, 1140, 740), fill=(255, 255, 255))
    draw.text((90, 620), label, fill=(30, 30, 30))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return CleanFile("demo.jpg", buf.getvalue(), "image/jpeg")


@transaction.atomic
def seed(municipality) -> None:
    villages = list(Village.objects.filter(municipality=municipality).order_by("id"))
    issues = {i.code: i for i in LocalIssue.objects.filter(municipality=municipality)}
    bodies = []
    for name_ky, name_ru, village, leader, members, registered, number in BODIES:
        body, created = TosBody.objects.get_or_create(
            municipality=municipality,
            name_ky=name_ky,
            defaults={"name_ru": name_ru, "leader_name": leader, "members_count": members,
                          "registered_on": registered, "registration_number": number,
                          "territory_ky": "Көчөнүн эки тарабындагы үйлөр",
                          "territory_ru": "Дома по обеим сторонам улицы"},
        )  # fmt: skip
        if created and village < len(villages):
            body.villages.set([villages[village]])
        bodies.append(body)
    for i, (b, t_ky, t_ru, issue, local, own, kind, status, finished) in enumerate(PROJECTS):
        if TosProject.objects.filter(municipality=municipality, title_ky=t_ky).exists():
            continue
        project = services.save_project(
            None,
            TosProject(
                municipality=municipality, tos=bodies[b], title_ky=t_ky, title_ru=t_ru,
                category=issues.get(issue), local_budget_kgs=Decimal(local),
                own_contribution_kgs=Decimal(own), own_contribution_in_kind_ky=kind,
                description_ky="Долбоор тургундардын демилгеси менен ишке ашырылат.",
                description_ru="Проект осуществляется по инициативе жителей.",
            ),
            [demo_photo(((40 + 50 * i) % 255, 120, 90), t_ru)],
        )  # fmt: skip
        if status == "in_progress":
            services.take_step(None, project, status, {"started_on": date(2026, 6, 1)})
        elif status == "implemented":
            services.take_step(None, project, status, {"finished_on": finished})
