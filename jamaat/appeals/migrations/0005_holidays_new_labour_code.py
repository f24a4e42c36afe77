"""Public holidays 2025–2028 under the new Labour Code of the Kyrgyz Republic (in force from 2025).

0002 seeded the calendar of the old Labour Code. Under the new code (Ministry of Labour's calendars:
kabar.kg 04.02.2025 for 2025; 24.kg and vesti.kg 11–12.12.2025 for 2026) the non-working holidays
are 1–6 January (New Year holidays), 7 January (Christmas), 8 March, 21 March (Nooruz), 1–9 May
(May holidays with Labour Day, Constitution Day and Victory Day), 31 August (Independence Day),
Orozo Ait and Kurman Ait. 23 February, 7 April and 7–8 November are shortened *working* days now,
1 September is no holiday, and working days are no longer moved to Saturdays. A holiday that falls
on a weekend is not moved to the next working day (the published calendars do not do so).

Also seeded: 8 and 9 January 2026, added to the New Year holidays for state and *municipal*
institutions financed from the budget (Cabinet of Ministers' resolution No. 835 of 25.12.2025,
without moving working days), which is who answers appeals here.

Orozo Ait and Kurman Ait follow the lunar calendar: the 2027 and 2028 dates are estimates and their
names say so ("болжолдуу" / "предварительно"); platform admins correct the date and drop the mark
in the admin (Public holidays) once the Muftiate and the Cabinet announce them.

0002's rows carry no marker, so only rows with exactly 0002's date and names are removed; rows that
platform admins added or renamed are kept, and existing rows on the new dates are left as they are.
Running it again changes nothing. Reverse removes exactly the rows added here and restores 0002's.
"""

from datetime import date

from django.db import migrations

YEARS = (2025, 2026, 2027, 2028)

# What 0002 seeded (2025–2027) and the new code no longer makes a day off: (month, day, ky, ru).
WRONG = [
    (2, 23, "Ата Мекенди коргоочулар күнү", "День защитника Отечества"),
    (4, 7, "Элдик Апрель революциясынын күнү", "День народной Апрельской революции"),
    (9, 1, "Эгемендүүлүк күнү", "День независимости"),
    (11, 7, "Тарых жана ата-бабаларды эскерүү күндөрү", "Дни истории и памяти предков"),
    (11, 8, "Тарых жана ата-бабаларды эскерүү күндөрү", "Дни истории и памяти предков"),
]
WRONG_YEARS = (2025, 2026, 2027)

NEW_YEAR = ("Жаңы жылдык каникулдар", "Новогодние каникулы")
MAY = ("Май майрамдары", "Майские праздники")
FIXED = [
    (1, 1, "Жаңы жыл", "Новый год"),
    *((1, d, *NEW_YEAR) for d in range(2, 7)),
    (1, 7, "Рождество Христово", "Рождество Христово"),
    (3, 8, "Эл аралык аялдар күнү", "Международный женский день"),
    (3, 21, "Нооруз майрамы", "Праздник Нооруз"),
    (5, 1, "Эмгек майрамы", "Праздник труда"),
    *((5, d, *MAY) for d in (2, 3, 4)),
    (5, 5, "Конституция күнү", "День Конституции"),
    *((5, d, *MAY) for d in (6, 7, 8)),
    (5, 9, "Жеңиш күнү", "День Победы"),
    (8, 31, "Эгемендүүлүк күнү", "День независимости"),
]

OROZO = ("Орозо айт", "Орозо айт")
KURMAN = ("Курман айт", "Курман айт")
ESTIMATE = (" (болжолдуу)", " (предварительно)")  # an estimated lunar date, to be confirmed


def _estimate(names):
    return names[0] + ESTIMATE[0], names[1] + ESTIMATE[1]


DECREE_835 = (
    "Жаңы жылдык каникулдар (Министрлер Кабинетинин 25.12.2025-ж. № 835 токтому)",
    "Новогодние каникулы (постановление Кабинета Министров от 25.12.2025 № 835)",
)
EXTRA = [
    (date(2025, 3, 30), *OROZO),
    (date(2025, 6, 6), *KURMAN),
    (date(2026, 1, 8), *DECREE_835),
    (date(2026, 1, 9), *DECREE_835),
    (date(2026, 3, 20), *OROZO),
    (date(2026, 5, 27), *KURMAN),
    (date(2027, 3, 10), *_estimate(OROZO)),
    (date(2027, 5, 16), *_estimate(KURMAN)),
    (date(2028, 2, 27), *_estimate(OROZO)),
    # Kurman Ait 2028 is expected on Constitution Day: one row (the date is unique) names both.
    (date(2028, 5, 5), "Конституция күнү; Курман айт (болжолдуу)", "День Конституции; Курман айт (предварительно)"),
]  # fmt: skip

# 0002's rows, as it seeded them (to restore on reverse).
OLD_FIXED = [
    (1, 1, "Жаңы жыл", "Новый год"),
    (1, 7, "Рождество Христово", "Рождество Христово"),
    *WRONG[:1],
    (3, 8, "Эл аралык аялдар күнү", "Международный женский день"),
    (3, 21, "Нооруз майрамы", "Праздник Нооруз"),
    *WRONG[1:2],
    (5, 1, "Эмгек майрамы", "Праздник труда"),
    (5, 5, "Конституция күнү", "День Конституции"),
    (5, 9, "Жеңиш күнү", "День Победы"),
    (8, 31, "Эгемендүүлүк күнү", "День независимости"),
    *WRONG[2:],
]
OLD_MOVEABLE = [
    (date(2025, 3, 30), *OROZO),
    (date(2025, 6, 6), *KURMAN),
    (date(2026, 3, 20), *OROZO),
    (date(2026, 5, 27), *KURMAN),
]


def wrong_rows():
    for year in WRONG_YEARS:
        for month, day, ky, ru in WRONG:
            yield date(year, month, day), ky, ru


def new_rows():
    fixed = {
        date(year, month, day): (ky, ru) for year in YEARS for month, day, ky, ru in FIXED
    }
    fixed.update({day: (ky, ru) for day, ky, ru in EXTRA})
    for day in sorted(fixed):
        yield day, *fixed[day]


def old_rows():
    for year in WRONG_YEARS:
        for month, day, ky, ru in OLD_FIXED:
            yield date(year, month, day), ky, ru
    yield from OLD_MOVEABLE


def _delete_exact(Holiday, rows):
    for day, ky, ru in rows:
        Holiday.objects.filter(date=day, name_ky=ky, name_ru=ru).delete()


def _create_missing(Holiday, rows):
    for day, ky, ru in rows:
        Holiday.objects.get_or_create(date=day, defaults={"name_ky": ky, "name_ru": ru})


def forward(apps, schema_editor):
    Holiday = apps.get_model("appeals", "Holiday")
    _delete_exact(Holiday, wrong_rows())
    _create_missing(Holiday, new_rows())


def backward(apps, schema_editor):
    Holiday = apps.get_model("appeals", "Holiday")
    old = set(old_rows())
    _delete_exact(Holiday, (row for row in new_rows() if row not in old))
    _create_missing(Holiday, old)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_event_notes_as_codes")]

    operations = [migrations.RunPython(forward, backward)]

