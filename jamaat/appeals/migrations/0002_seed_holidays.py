"""Public holidays of the Kyrgyz Republic, 2025–2027 (non-working days, Labour Code art. 113).

Fixed dates every year; the moveable Orozo Ait and Kurman Ait are set each year by decree and are
seeded only for 2025 and 2026: platform admins must check and add them every year in the admin.
Transfers of days off (e.g. a holiday on a Sunday moved to Monday) are decreed yearly too and are
not seeded.
"""

from datetime import date

from django.db import migrations

FIXED = [
    (1, 1, "Жаңы жыл", "Новый год"),
    (1, 7, "Рождество Христово", "Рождество Христово"),
    (2, 23, "Ата Мекенди коргоочулар күнү", "День защитника Отечества"),
    (3, 8, "Эл аралык аялдар күнү", "Международный женский день"),
    (3, 21, "Нооруз майрамы", "Праздник Нооруз"),
    (4, 7, "Элдик Апрель революциясынын күнү", "День народной Апрельской революции"),
    (5, 1, "Эмгек майрамы", "Праздник труда"),
    (5, 5, "Конституция күнү", "День Конституции"),
    (5, 9, "Жеңиш күнү", "День Победы"),
    (8, 31, "Эгемендүүлүк күнү", "День независимости"),
    (9, 1, "Эгемендүүлүк күнү", "День независимости"),
    (11, 7, "Тарых жана ата-бабаларды эскерүү күндөрү", "Дни истории и памяти предков"),
    (11, 8, "Тарых жана ата-бабаларды эскерүү күндөрү", "Дни истории и памяти предков"),
]
MOVEABLE = [
    (date(2025, 3, 30), "Орозо айт", "Орозо айт"),
    (date(2025, 6, 6), "Курман айт", "Курман айт"),
    (date(2026, 3, 20), "Орозо айт", "Орозо айт"),
    (date(2026, 5, 27), "Курман айт", "Курман айт"),
]


def rows():
    for year in (2025, 2026, 2027):
        for month, day, ky, ru in FIXED:
            yield date(year, month, day), ky, ru
    yield from MOVEABLE


def seed(apps, schema_editor):
    Holiday = apps.get_model("appeals", "Holiday")
    for day, ky, ru in rows():
        Holiday.objects.get_or_create(date=day, defaults={"name_ky": ky, "name_ru": ru})


def unseed(apps, schema_editor):
    Holiday = apps.get_model("appeals", "Holiday")
    Holiday.objects.filter(date__in=[d for d, _, _ in rows()]).delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
