"""Demo data for activity 2.3: deputies, voters' mandates and acts in every lifecycle state.

`seed(municipality)` is idempotent (rows are looked up by name / title) and goes through the
same services as the pages, so adopted acts are evidence for 2.3 like real ones. Names, numbers
and texts are invented for the demo. For the lead: call it from `jamaat.demo.seed` per
municipality, e.g. `from jamaat.acts.demo import seed as seed_acts; seed_acts(m)`.
"""

from datetime import date

from django.db import transaction

from jamaat.acts import services
from jamaat.acts.models import Deputy, LegalAct, Mandate
from jamaat.core.uploads import CleanFile
from jamaat.municipalities.models import LocalIssue, Village

DEPUTIES = [
    # full name, district No., district ky, district ru, phone, reception ky, reception ru
    ("Асанова Гүлнара Токтосуновна", 1, "Борбордук", "Центральный", "+996 555 10 20 31",
     "Дүйшөмбү, 9:00–12:00, айыл өкмөтү", "Понедельник, 9:00–12:00, айыл окмоту"),
    ("Мамытов Бакыт Жумабекович", 2, "Кара-Булак", "Кара-Булак", "+996 700 44 55 12",
     "Шаршемби, 14:00–17:00, клуб", "Среда, 14:00–17:00, клуб"),
    ("Осмонова Айпери Кубанычбековна", 3, "Жаңы-Жол", "Жаны-Жол", "+996 777 81 02 03",
     "Бейшемби, 10:00–12:00, мектеп", "Четверг, 10:00–12:00, школа"),
]  # fmt: skip

MANDATES = [
    # deputy index, via, date, village index, issue code, text
    (0, "meeting", date(2025, 2, 12), 0, "waste", "Таштанды чыгаруунун графигин түзүү жана "
     "ар бир көчөгө контейнер коюу."),
    (1, "reception", date(2025, 3, 3), 1, "lighting", "Кара-Булак айылынын негизги көчөсүнө "
     "түнкү жарык орнотуу."),
    (2, "meeting", date(2025, 4, 18), 2, "water", "Ичүүчү суунун тарифин жана төлөө тартибин "
     "ачык жарыялоо."),
    (0, "reception", date(2026, 2, 5), 0, "pastures", "Жайыттарды пайдалануу акысын кайра карап "
     "чыгуу."),
    (1, "other", date(2026, 5, 20), None, "roads", "Мектепке баруучу жолго ылдамдыкты "
     "чектөөчү белги коюу."),
]  # fmt: skip

ACTS = [
    # title ky, title ru, issue, status, number, adopted, mandate indexes
    ("Таштанды чогултуу жана чыгаруу эрежелери жөнүндө", "О правилах сбора и вывоза отходов",
     "waste", "in_force", "12", date(2025, 4, 25), [0]),
    ("Көчө жарыгын тейлөө тартиби жөнүндө", "О порядке обслуживания уличного освещения",
     "lighting", "adopted", "19", date(2025, 7, 30), [1]),
    ("Ичүүчү суунун тарифтери жөнүндө", "О тарифах на питьевую воду", "water", "repealed",
     "4", date(2025, 3, 14), []),
    ("Жайыттарды пайдалануу акысы жөнүндө", "О плате за пользование пастбищами", "pastures",
     "discussion", "", None, [3]),
    ("Жергиликтүү жолдордо коопсуздук жөнүндө", "О безопасности на местных дорогах", "roads",
     "initiated", "", None, [4]),
    ("Маданий иш-чараларды каржылоо жөнүндө", "О финансировании культурных мероприятий",
     "culture", "draft", "", None, []),
]  # fmt: skip

ORDER = ["initiated", "discussion", "adopted", "in_force", "repealed"]


def demo_pdf(title: str, number: str, adopted_on: date) -> bytes:
    from jamaat.documents.typst import compile_pdf

    source = (
        '#let d = json(bytes(sys.inputs.data))\n#set page(paper: "a4")\n'
        '#set text(font: "DejaVu Serif", size: 12pt, lang: "ky")\n'
        '#align(center)[#text(weight: "bold")[#d.council]]\n#v(1em)\n'
        '#align(center)[#text(size: 14pt, weight: "bold")[ТОКТОМ № #d.number]]\n'
        '#align(center)[#d.date]\n#v(1em)\n#align(center)[#text(weight: "bold")[#d.title]]\n'
        "#v(1em)\n#d.body\n"
    )
    return compile_pdf(
        source,
        {
            "council": "АЙЫЛДЫК КЕҢЕШ",
            "number": number,
            "date": adopted_on.strftime("%d.%m.%Y"),
            "title": title,
            "body": "Демо үчүн түзүлгөн текст. Бул токтом жергиликтүү маанидеги маселени "
            "чечүүгө багытталган. (Демо-документ, чыныгы акт эмес.)",
        },
    )


@transaction.atomic
def seed(municipality) -> None:
    villages = list(Village.objects.filter(municipality=municipality).order_by("id"))
    issues = {i.code: i for i in LocalIssue.objects.filter(municipality=municipality)}
    deputies = []
    for name, num, d_ky, d_ru, phone, r_ky, r_ru in DEPUTIES:
        deputy, _ = Deputy.objects.get_or_create(
            municipality=municipality,
            full_name=name,
            defaults={"district_number": num, "district_name_ky": d_ky, "district_name_ru": d_ru,
                          "term_from": 2021, "term_to": 2026, "phone": phone, "reception_ky": r_ky,
                          "reception_ru": r_ru},
        )  # fmt: skip
        deputies.append(deputy)
    mandates = []
    for dep, via, received, village, issue, text in MANDATES:
        mandate = Mandate.objects.filter(municipality=municipality, text=text).first()
        if mandate is None:
            mandate = services.save_mandate(
                None,
                Mandate(
                    municipality=municipality, deputy=deputies[dep], received_via=via,
                    received_on=received, text=text,
                    village=villages[village] if village is not None and village < len(villages)
                    else None,
                    category=issues.get(issue),
                ),
            )  # fmt: skip
        mandates.append(mandate)
    for title_ky, title_ru, issue, status, number, adopted, linked in ACTS:
        if LegalAct.objects.filter(municipality=municipality, title_ky=title_ky).exists():
            continue
        act = services.save_act(
            None,
            LegalAct(
                municipality=municipality, title_ky=title_ky, title_ru=title_ru,
                category=issues.get(issue),
                summary_ky="Актынын максаты — жергиликтүү маанидеги маселени чечүү.",
                summary_ru="Цель акта — решение вопроса местного значения.",
            ),
            [mandates[i] for i in linked],
        )  # fmt: skip
        if status == "draft":
            continue
        start = adopted or date(2026, 9, 1)
        values = {
            "initiated": {"initiator_kind": "deputy", "initiator_deputy": deputies[0],
                          "initiated_on": date(start.year, max(1, start.month - 2), 1)},
            "discussion": {"discussion_from": date(start.year, max(1, start.month - 1), 1),
                           "discussion_to": date(start.year, max(1, start.month - 1), 20)},
            "adopted": {"number": number, "adopted_on": adopted},
            "in_force": {"in_force_on": adopted},
            "repealed": {"repealed_on": date(2026, 3, 1),
                         "repeal_reason_ky": "Жаңы тарифтер жөнүндө токтом кабыл алынды.",
                         "repeal_reason_ru": "Принято постановление о новых тарифах."},
        }  # fmt: skip
        steps = ORDER[: ORDER.index(status) + 1]
        if status == "repealed":
            steps = ["initiated", "discussion", "adopted", "repealed"]
        for step in steps:
            pdf = None
            if step == "adopted":
                pdf = CleanFile("act.pdf", demo_pdf(title_ky, number, adopted), "application/pdf")
            act = services.take_step(None, act, step, values[step], pdf)
