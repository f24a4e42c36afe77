"""The government's model plan for 2025-2028, as plain Python data.

Source: Appendix 2 to the order of the State Agency for Civil Service and Local Self-Government under the
Cabinet of Ministers of the Kyrgyz Republic, "Model plan of activities for informing the local community and
involving it in solving local issues" (seed files in /work/shared/seeds: 000_061f07462eac84e3.txt = ky,
003_c3426fdb29a6e33a.txt = ru).

Kyrgyz (ky) and Russian (ru) texts are verbatim reconstructions of the PDF table cells: broken lines are
joined with spaces, words split only by line-wrapping are rejoined ("кызматкерин/ин" -> "кызматкеринин"),
real hyphens at line ends are kept ("иш-/чаралар" -> "иш-чаралар", "он-/лайн" -> "он-лайн"), repeated page
headers and the bullet glyphs (U+E12C) that precede indicator items in the ky extraction are dropped. The
seed's own typos and inconsistencies are kept on purpose ("Goggle формы", "Goоgle" with a Cyrillic "о",
"АО"/"АК", "касаюшихся", "информационный материалы", "Поддержаны работа ТОСов"...). Blanks to be filled in
by the municipality are kept exactly as in the seed. English (en) is our own translation; blanks in English
indicator texts are written as "____".

No Django imports: this module is data plus a few pure helpers.
"""

from __future__ import annotations

import re

TEMPLATE_VERSION = "2025-2028/1"
PERIOD = (2025, 2028)

LANGUAGES = ("ky", "ru", "en")

# The PDF extraction glued some words of the heading together ("ЧЕЧҮҮГӨЖЕРГИЛИКТҮҮ",
# "ЖАМААТТАРДЫМААЛЫМДООЖАНА", "ПЛАНМЕРОПРИЯТИЙ", "ИНФОРМИРОВАНИЮИ", "ВОВЛЕЧЕНИЮМЕСТНОГО"); the missing
# spaces are restored, the wording is unchanged. The municipality blank is kept as in each seed
# (18 underscores in ky, 31 in ru); use fill_blank() rather than matching a fixed number of underscores.
TITLE = {
    "ky": (
        "2025-2028-ЖЫЛДАРГА КАРАТА __________________ ЖЕРГИЛИКТҮҮ ӨЗ АЛДЫНЧА БАШКАРУУ ОРГАНДАРЫНЫН "
        "ЖЕРГИЛИКТҮҮ МААНИДЕГИ МАСЕЛЕЛЕРИН ЧЕЧҮҮГӨ ЖЕРГИЛИКТҮҮ ЖАМААТТАРДЫ МААЛЫМДОО ЖАНА ТАРТУУ БОЮНЧА "
        "ТИПТҮҮ ИШ-ЧАРАЛАР ПЛАНЫ"
    ),
    "ru": (
        "ТИПОВОЙ ПЛАН МЕРОПРИЯТИЙ ПО ИНФОРМИРОВАНИЮ И ВОВЛЕЧЕНИЮ МЕСТНОГО СООБЩЕСТВА В РЕШЕНИЕ ВОПРОСОВ "
        "МЕСТНОГО ЗНАЧЕНИЯ _______________________________ ОРГАНОВ МЕСТНОГО САМОУПРАВЛЕНИЯ НА 2025 – 2028 гг."
    ),
    "en": (
        "MODEL PLAN OF ACTIVITIES FOR INFORMING THE LOCAL COMMUNITY AND INVOLVING IT IN SOLVING LOCAL "
        "ISSUES FOR THE LOCAL SELF-GOVERNMENT BODIES OF __________________ FOR 2025–2028"
    ),
}

ISSUER = {
    # TRANSLATION: the Kyrgyz seed has no issuer line; this is our faithful Kyrgyz rendering of the
    # Russian one (official Kyrgyz name of the agency, blanks kept as in the Russian text).
    "ky": (
        "Кыргыз Республикасынын Министрлер Кабинетине караштуу Мамлекеттик кызмат жана жергиликтүү өз "
        "алдынча башкаруу иштери боюнча мамлекеттик агенттигинин ________________ №_________ буйругуна "
        "2-тиркеме"
    ),
    "ru": (
        "Приложение 2 к приказу Государственного агентства по делам государственной службы и местного "
        "самоуправления при Кабинете Министров Кыргызской Республики от ________________ №_________"
    ),
    "en": (
        "Appendix 2 to the order of the State Agency for Civil Service and Local Self-Government under the "
        "Cabinet of Ministers of the Kyrgyz Republic dated ________________ No. _________"
    ),
}

COLUMNS = {
    "ky": [
        "№",
        "Иш-чаралар/милдеттер",
        "Мөөнөттөр",
        "Жооптуулар",
        "Бюджет",
        "Күтүлгөн жыйынтыктар",
        "Иш-чаранын натыйжалуулугун баалоо индикаторлору",
        "Эскертүү",
    ],
    "ru": [
        "№",
        "Мероприятия/задача",
        "Сроки",
        "Ответственные",
        "Бюджет",
        "Ожидаемые результаты",
        "Индикаторы оценки эффективности мероприятия",
        "Примечание",
    ],
    "en": [
        "No.",
        "Activities/tasks",
        "Deadlines",
        "Responsible",
        "Budget",
        "Expected results",
        "Activity effectiveness indicators",
        "Note",
    ],
}

RESPONSIBLE_ROLES = {
    "head": {"ky": "Башчы/Мэр", "ru": "Глава/Мэр", "en": "Head/Mayor"},
    "staff": {
        "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
        "ru": "ФИО ответственного сотрудника ОМСУ",
        "en": "Full name of the responsible LSG body staff member",
    },
    "council_chair": {
        "ky": "ЖК төрагасы",
        "ru": "Председатель МК",
        "en": "Chair of the local council",
    },
}

BUDGET_SOURCES = {
    "none": {"ky": "Талап кылынбайт", "ru": "Не требуется", "en": "Not required"},
    "local": {"ky": "Жергиликтүү бюджет", "ru": "Местный бюджет", "en": "Local budget"},
}

# Schedule rule codes used in GOALS[...]["activities"][...]["rule"].
RULES = (
    "monthly",
    "monthly_on_day",
    "quarterly",
    "twice_yearly_in_months",
    "half_yearly",
    "yearly",
    "continuous",
    "at_least_twice_yearly",
    "after_collection",
)

INDICATOR_UNITS = ("percent", "count", "none")

_EMPTY_NOTE = {"ky": "", "ru": "", "en": ""}

# Each activity also carries "responsible_text": the responsible cell exactly as the seed writes it
# (e.g. "Башчы/мэр" in 2.1, "Башчы/ Мэр, ЖК төрагасы" in 2.2), alongside the normalised role codes.
GOALS = [
    {
        "number": 1,
        "title": {
            "ky": "Максаты: жергиликтүү жамаатка жергиликтүү маанидеги маселелер жөнүндө маалымдоо",
            "ru": "Цель: Информирование местного сообщества о вопросах местного значения",
            "en": "Goal: Informing the local community about local issues",
        },
        "activities": [
            {
                "code": "1.1",
                "text": {
                    "ky": (
                        "ЖӨБ органынын веб-сайтында жана социалдык тармактарда (Facebook, Instagram ж. б.) "
                        "жергиликтүү маанидеги маселелер жөнүндө маалыматты дайыма жаңылап туруу, жыл сайын "
                        "катталуучулардын санын 10%дан кем эмес көбөйтүү;"
                    ),
                    "ru": (
                        "Регулярно обновлять информацию о вопросах местного значения на веб-сайте органа МСУ "
                        "и в социальных сетях (Facebook, Instagram и др.), ежегодное увеличение подписчиков "
                        "не менее чем на 10%;"
                    ),
                    "en": (
                        "Regularly update information on local issues on the LSG body's website and social "
                        "media (Facebook, Instagram, etc.); increase the number of subscribers by at least "
                        "10% every year;"
                    ),
                },
                "deadline_text": {"ky": "Ай сайын", "ru": "Ежемесячно", "en": "Monthly"},
                "rule": "monthly",
                "rule_params": {},
                "rule_reason": "",
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": (
                        "ЖӨБ органынын веб-сайтында жана социалдык тармактарда жергиликтүү маанидеги "
                        "маселелер жөнүндө маалыматтар дайыма жаңыланып турат"
                    ),
                    "ru": (
                        "На веб-сайте органа МСУ и в социальных сетях регулярно будет обновляться "
                        "информация о ВМЗ"
                    ),
                    "en": (
                        "Information on local issues is regularly updated on the LSG body's website and "
                        "social media"
                    ),
                },
                "indicators": [
                    {
                        "key": "1.1.population_informed",
                        # ky seed: "калкынын ____%" / "дан кем эмеси" on two lines; joined with a space as
                        # in 1.2 and 1.5 ("____% дан кем" appears on one line in 1.5).
                        "text": {
                            "ky": (
                                "АА/шаардын калкынын ____% дан кем эмеси жергиликтүү маанидеги маселелер "
                                "жөнүндө маалымат алышты;"
                            ),
                            "ru": "Не менее ____% населения АА/города получили информацию о ВМЗ;",
                            "en": (
                                "At least ____% of the population of the ayil aimak (AA)/city received "
                                "information on local issues;"
                            ),
                        },
                        "unit": "percent",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                    {
                        # Not a separate indicator cell in the seed: the fixed +10% a year target is part
                        # of the activity wording and is tracked as its own indicator.
                        "key": "1.1.subscriber_growth",
                        "text": {
                            "ky": "жыл сайын катталуучулардын санын 10%дан кем эмес көбөйтүү",
                            "ru": "ежегодное увеличение подписчиков не менее чем на 10%",
                            "en": "annual increase in the number of subscribers of at least 10%",
                        },
                        "unit": "percent",
                        "has_blank": False,
                        "fixed_target": 10,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "1.2",
                "text": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелер жана аларды чечүүдөгү жергиликтүү жамааттын ролу "
                        "жөнүндө презентация даярдоо. Жыл сайын өтүүчү айылдык жыйындарда жана коомдук "
                        "угууларда калкка маалымат берүү;"
                    ),
                    "ru": (
                        "Подготовить презентацию о вопросах местного значения и роли местного сообщества в "
                        "их решении. Презентовать населению информацию во время ежегодных сельских сходов и "
                        "общественных слушаний;"
                    ),
                    "en": (
                        "Prepare a presentation on local issues and the role of the local community in "
                        "solving them. Present the information to the population at the annual village "
                        "gatherings and public hearings;"
                    ),
                },
                "deadline_text": {
                    "ky": "Жылына 2 жолудан кем эмес (январь-февраль, июль-август)",
                    "ru": "Не менее 2-х раз в год (январь-февраль, июль-август)",
                    "en": "At least twice a year (January–February, July–August)",
                },
                "rule": "twice_yearly_in_months",
                "rule_params": {"months": [1, 2, 7, 8], "per_year": 2},
                "rule_reason": (
                    "The deadline says 'at least twice a year (January-February, July-August)', so the "
                    "schedule creates the required minimum: one occurrence in the January-February window "
                    "and one in the July-August window each year."
                ),
                "responsible_roles": ["head"],
                "responsible_text": {"ky": "Башчы/Мэр", "ru": "Глава/Мэр", "en": "Head/Mayor"},
                "budget_source": "none",
                "expected_results": {
                    "ky": "Презентация даярдалып, жыйындар жана коомдук угуулар өткөрүлдү.",
                    "ru": "Подготовлена презентация, проведены сходы и общественные слушания.",
                    "en": (
                        "The presentation has been prepared; village gatherings and public hearings have "
                        "been held."
                    ),
                },
                "indicators": [
                    {
                        "key": "1.2.population_participated",
                        "text": {
                            "ky": (
                                "АА/шаардын калкынын ____% дан кем эмеси жергиликтүү маанидеги маселелер "
                                "жөнүндө жыйындарга жана коомдук угууларга катышты;"
                            ),
                            "ru": (
                                "Не менее ____% населения АА/города приняли участие на сходах и "
                                "общественных слушаниях о ВМЗ;"
                            ),
                            "en": (
                                "At least ____% of the population of the AA/city took part in village "
                                "gatherings and public hearings on local issues;"
                            ),
                        },
                        "unit": "percent",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "1.3",
                "text": {
                    "ky": (
                        "Айылдык аймактын/шаардын WhatsApp тобу аркылуу жергиликтүү маанидеги маселелер "
                        "боюнча маалыматтык материалдарды квартал сайын жөнөтүүнү уюштуруу;"
                    ),
                    "ru": (
                        "Организовать ежеквартальную рассылку информационного материала по вопросам "
                        "местного значения через WhatsApp группы айыльного аймака/города;"
                    ),
                    "en": (
                        "Organise a quarterly mailing of information material on local issues via the "
                        "WhatsApp groups of the ayil aimak/city;"
                    ),
                },
                # SEED INCONSISTENCY: the deadline column says monthly ("Ай сайын" / "Ежемесячно") while
                # the activity text, the expected result and the indicator are about a quarterly mailing.
                "deadline_text": {"ky": "Ай сайын", "ru": "Ежемесячно", "en": "Monthly"},
                "rule": "quarterly",
                "rule_params": {},
                "rule_reason": (
                    "The deadline column says monthly, but the activity text, the expected result "
                    "('a quarterly mailing has been carried out') and the indicator all describe a "
                    "quarterly WhatsApp mailing, so the schedule is quarterly."
                ),
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": "Квартал сайын жөнөтмө жүргүзүлдү",
                    "ru": "Проведена ежеквартальная рассылка",
                    "en": "A quarterly mailing has been carried out",
                },
                "indicators": [
                    {
                        "key": "1.3.population_informed_whatsapp",
                        "text": {
                            "ky": (
                                "АА/шаардын калкынын ________ %дан кем эмеси жергиликтүү маанидеги маселелер "
                                "жөнүндө маалыматты WhatsApp топтору аркылуу алышкан;"
                            ),
                            "ru": (
                                "Не менее ____% населения АА/города получили информацию о ВМЗ через "
                                "WhatsApp группы;"
                            ),
                            "en": (
                                "At least ____% of the population of the AA/city received information on "
                                "local issues via WhatsApp groups;"
                            ),
                        },
                        "unit": "percent",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "1.4",
                "text": {
                    "ky": (
                        "Маалыматтык материалды (буклет, плакат, брошюра ж. б.) даярдоо жана аларды квартал "
                        "сайын жергиликтүү өз алдынча башкаруу органынын маалымат такталарына жайгаштыруу"
                    ),
                    "ru": (
                        "Подготовить информационный материал (буклет, плакат, брошюра и т.п.) и "
                        "ежеквартально размещать их на информационных досках органа местного самоуправления"
                    ),
                    "en": (
                        "Prepare information material (booklets, posters, brochures, etc.) and post it "
                        "quarterly on the information boards of the LSG body"
                    ),
                },
                "deadline_text": {"ky": "Квартал сайын", "ru": "Ежеквартально", "en": "Quarterly"},
                "rule": "quarterly",
                "rule_params": {},
                "rule_reason": "",
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "local",
                "expected_results": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелер жөнүндө маалыматтык материал даярдалат жана "
                        "ЖӨБОнун маалымат тактасында жайгаштырылат"
                    ),
                    # Verbatim, including the seed's grammar slips ("информационный материалы", no "на").
                    "ru": (
                        "Будет подготовлен и размещен информационный материалы о ВМЗ информационном стенде "
                        "ОМСУ"
                    ),
                    "en": (
                        "Information material on local issues will be prepared and posted on the LSG body's "
                        "information board"
                    ),
                },
                "indicators": [
                    {
                        "key": "1.4.materials_posted",
                        "text": {
                            "ky": "Кеминде _____ маалыматтык материал;",
                            "ru": "Не менее ___ информационных материалов;",
                            "en": "At least ____ items of information material;",
                        },
                        "unit": "count",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "1.5",
                # SEED INCONSISTENCY: the ayil okmotu is "АО" in ru (here and in 3.3) and "АК" in ky;
                # kept verbatim in both languages.
                "text": {
                    "ky": (
                        "АКнын жергиликтүү маанидеги маселелерин чечүү боюнча ЖӨБ органынын өткөн айда "
                        "аткарган иш-чаралары жөнүндө маалыматтык материал түзүү жана ар бир айдын 25инде "
                        "ЖӨБ органынын веб-сайтына жана социалдык тармактардагы баракчаларына жайгаштыруу."
                    ),
                    "ru": (
                        "Создать информационный материал о проведенных мероприятиях органа МСУ по решению "
                        "вопросов местного значения АО за прошлый месяц и размещать каждый месяц 25-го числа "
                        "на веб-сайте органа МСУ и страницах в социальных сетях."
                    ),
                    "en": (
                        "Produce information material on the activities the LSG body carried out in the "
                        "previous month to solve the local issues of the ayil okmotu, and post it on the "
                        "25th of every month on the LSG body's website and social media pages."
                    ),
                },
                "deadline_text": {"ky": "Ай сайын", "ru": "Ежемесячно", "en": "Monthly"},
                "rule": "monthly_on_day",
                "rule_params": {"day": 25},
                "rule_reason": (
                    "The deadline column only says monthly; the publication day, the 25th of each month, "
                    "comes from the activity text."
                ),
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелерди чечүү боюнча ЖӨБ органынын аткарган иш-чаралары "
                        "жөнүндө маалыматтык материал ай сайын ЖӨБ органынын веб-сайтына жана социалдык "
                        "тармактардагы баракчаларына жайгаштырылат"
                    ),
                    "ru": (
                        "Инфоматериал о проведенных мероприятиях органа МСУ по решению ВМЗ ежемесячно "
                        "размещаются на веб-сайте органа МСУ и страницах в социальных сетях"
                    ),
                    "en": (
                        "Information material on the activities the LSG body carried out to solve local "
                        "issues is posted monthly on the LSG body's website and social media pages"
                    ),
                },
                "indicators": [
                    {
                        "key": "1.5.population_informed_of_activities",
                        "text": {
                            "ky": (
                                "АК/шаардын калкынын ____% дан кем эмеси жергиликтүү маанидеги маселелерди "
                                "чечүү боюнча ЖӨБ органынын аткарган иш-чаралары жөнүндө маалымат алышты"
                            ),
                            "ru": (
                                "Не менее ____% населения АА/города получили информацию о проделанных "
                                "мероприятиях органа МСУ по решению ВМЗ"
                            ),
                            "en": (
                                "At least ____% of the population of the AA/city received information on "
                                "the activities the LSG body carried out to solve local issues"
                            ),
                        },
                        "unit": "percent",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
        ],
    },
    {
        "number": 2,
        "title": {
            "ky": (
                "Максат: Жергиликтүү жамааттарды жергиликтүү маанидеги маселелерди чечүүгө системалуу "
                "түрдө тартуу боюнча иш-чараларды жүргүзүү"
            ),
            "ru": (
                "Цель: Проведение мероприятий по систематическому вовлечению местного сообщества в решение "
                "вопросов местного значения"
            ),
            "en": "Goal: Carrying out activities to involve the local community systematically in solving local issues",
        },
        "activities": [
            {
                "code": "2.1",
                "text": {
                    "ky": (
                        "Жергиликтүү жамаат менен жергиликтүү маанидеги маселелерди талкуулоону камтыган "
                        "айылдык жыйындарды жана коомдук угууларды өткөрүү"
                    ),
                    "ru": (
                        "Проведение с местным сообществом сельских сходов и общественных слушаний, "
                        "включающих обсуждение вопросов местного значения"
                    ),
                    "en": (
                        "Hold village gatherings and public hearings with the local community that include "
                        "discussion of local issues"
                    ),
                },
                "deadline_text": {
                    "ky": "Жарым жылда бир жолу",
                    "ru": "Раз в полгода",
                    "en": "Once every six months",
                },
                "rule": "half_yearly",
                "rule_params": {},
                "rule_reason": "",
                "responsible_roles": ["head"],
                "responsible_text": {"ky": "Башчы/мэр", "ru": "Глава/мэр", "en": "Head/Mayor"},
                "budget_source": "none",
                # SEED: the expected-results cell of 2.1 is empty in both languages (the only empty cell
                # besides the notes); both items of the row are bulleted entries of the indicator cell.
                "expected_results": {"ky": "", "ru": "", "en": ""},
                "indicators": [
                    {
                        "key": "2.1.participants_count",
                        "text": {
                            "ky": "Жыйындарга жана коомдук талкууларга катышкан жарандардын саны;",
                            "ru": "Количество граждан принявших участие в сходах и общественных обсуждениях;",
                            "en": (
                                "Number of citizens who took part in village gatherings and public "
                                "discussions;"
                            ),
                        },
                        "unit": "count",
                        "has_blank": False,
                        "fixed_target": None,
                    },
                    {
                        "key": "2.1.protocols",
                        "text": {
                            "ky": "Жыйындардын жана коомдук угуулардын протоколдору",
                            "ru": "Протоколы сходов и общественных слушаний",
                            "en": "Protocols (minutes) of the village gatherings and public hearings",
                        },
                        "unit": "none",
                        "has_blank": False,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "2.2",
                "text": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелерди чечүүгө багытталган жергиликтүү демилгелерди "
                        "колдоо жана ишке ашыруу боюнча иштерди жүргүзүү"
                    ),
                    "ru": (
                        "Проведение работ по поддержке и реализации местных инициатив, направленных на "
                        "решение вопросов местного значения"
                    ),
                    "en": "Carry out work to support and implement local initiatives aimed at solving local issues",
                },
                "deadline_text": {
                    "ky": "Жылына бир жолу",
                    "ru": "Один раз в год",
                    "en": "Once a year",
                },
                "rule": "yearly",
                "rule_params": {},
                "rule_reason": "",
                "responsible_roles": ["head", "council_chair"],
                "responsible_text": {
                    "ky": "Башчы/ Мэр, ЖК төрагасы",
                    "ru": "Глава/Мэр, председатель МК",
                    "en": "Head/Mayor, chair of the local council",
                },
                "budget_source": "local",
                "expected_results": {
                    "ky": "Жергиликтүү демилгелер ишке ашырылат",
                    "ru": "Будут реализованы местные инициативы",
                    "en": "Local initiatives will be implemented",
                },
                "indicators": [
                    {
                        "key": "2.2.initiatives_implemented",
                        "text": {
                            "ky": (
                                "Кеминде _ _ _ _ _ жергиликтүү демилгелер колдоого алынды жана ишке "
                                "ашырылды"
                            ),
                            "ru": "Поддержано и реализовано не менее ______ местных инициатив",
                            "en": "At least ____ local initiatives supported and implemented",
                        },
                        "unit": "count",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "2.3",
                "text": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелерди чечүүгө багытталган ченем жаратуу демилгеси "
                        "бөлүгүндө шайлоочулардын сунуш-талаптарын аткаруу боюнча жергиликтүү кеңештердин "
                        "депутаттарынын туруктуу иштерди жүргүзүүсү"
                    ),
                    "ru": (
                        "Проведение регулярной работы депутатами местных кенешей по выполнению наказов "
                        "избирателей в части нормотворческой инициативы, направленной на решение вопросов "
                        "местного значения"
                    ),
                    "en": (
                        "Regular work by local council deputies on fulfilling voters' mandates with regard "
                        "to law-making initiatives aimed at solving local issues"
                    ),
                },
                "deadline_text": {
                    "ky": "Үзгүлтүксүз негизде",
                    "ru": "На регулярной основе",
                    "en": "On a regular basis",
                },
                # The deadline has no due dates ("continuous" / "regular"); reporting cadence is ours.
                "rule": "continuous",
                "rule_params": {"report_every_months": 3},
                "rule_reason": (
                    "The deadline is 'on a regular (ky: continuous) basis' with no due dates, so it is "
                    "modelled as a standing item; the 3-monthly progress report is our interpretation, "
                    "not stated in the seed."
                ),
                "responsible_roles": ["council_chair"],
                "responsible_text": {
                    "ky": "ЖК төрагасы",
                    "ru": "Председатель МК",
                    "en": "Chair of the local council",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": "Жергиликтүү маанидеги маселелерди чечүүгө тиешелүү бекитилген ЧУАлар",
                    "ru": "Утвержденные НПА, касающиеся решений ВМЗ",
                    "en": "Adopted normative legal acts concerning the solution of local issues",
                },
                "indicators": [
                    {
                        "key": "2.3.normative_acts_adopted",
                        # "касаюшихся" (sic) kept verbatim.
                        "text": {
                            "ky": (
                                "Жергиликтүү маанидеги маселелерди чечүүгө тиешелүү ______ кем эмес ЧУА "
                                "демилгеленген жана бекитилген"
                            ),
                            "ru": "Инициировано и утверждено не менее ______ НПА, касаюшихся решения ВМЗ",
                            "en": (
                                "At least ____ normative legal acts concerning the solution of local issues "
                                "initiated and adopted"
                            ),
                        },
                        "unit": "count",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "2.4",
                "text": {
                    "ky": (
                        "Жергиликтүү маанидеги маселелерди чечүү максатында аймактык коомдук өз алдынча "
                        "башкарууну (АКӨБ) колдоо боюнча иштерди жүргүзүү"
                    ),
                    "ru": (
                        "Проведение работ по поддержке территориальных общественных самоуправлений (ТОС) с "
                        "целью решения вопросов местного значения"
                    ),
                    "en": (
                        "Carry out work to support territorial public self-government (TPS) bodies in order "
                        "to solve local issues"
                    ),
                },
                "deadline_text": {
                    "ky": "Жылына бир жолу",
                    "ru": "Один раз в год",
                    "en": "Once a year",
                },
                "rule": "yearly",
                "rule_params": {},
                "rule_reason": "",
                "responsible_roles": ["head", "council_chair"],
                "responsible_text": {
                    "ky": "Башчы/ Мэр, ЖК төрагасы",
                    "ru": "Глава/Мэр, председатель МК",
                    "en": "Head/Mayor, chair of the local council",
                },
                "budget_source": "local",
                "expected_results": {
                    "ky": "АКӨБ иши колдоого алынды",
                    "ru": "Поддержаны работа ТОСов",
                    "en": "The work of TPS bodies has been supported",
                },
                "indicators": [
                    {
                        "key": "2.4.tps_projects_implemented",
                        "text": {
                            "ky": "АКӨБ тарабынан ___ кем эмес долбоорлор ишке ашырылды",
                            "ru": "Реализовано не менее ___ проектов со стороны ТОС",
                            "en": "At least ____ projects implemented by TPS bodies",
                        },
                        "unit": "count",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
        ],
    },
    {
        "number": 3,
        "title": {
            "ky": (
                "Максат: Калктан көйгөйлөр жана сунуштар, ошондой эле ЖӨБ органынын ишмердүүлүгүн баалоо "
                "боюнча маалыматтарды системалык түрдө чогултууну уюштуруу."
            ),
            "ru": (
                "Цель: Организовать системный сбор информации от местного сообщества по проблемам и "
                "предложениям населения, а также по оценке деятельности органа МСУ"
            ),
            "en": (
                "Goal: Organise the systematic collection of information from the local community on the "
                "population's problems and proposals, and on the evaluation of the LSG body's performance"
            ),
        },
        "activities": [
            {
                "code": "3.1",
                # SEED INCONSISTENCY: ru "Разработать анкеты" (develop questionnaires) vs ky "Анкеталарды
                # талдап чыгуу" (analyse questionnaires). Both kept verbatim; en follows ru because the
                # expected result in both languages is a questionnaire being developed.
                "text": {
                    "ky": "Анкеталарды талдап чыгуу",
                    "ru": "Разработать анкеты (в том числе онлайн вариант)",
                    "en": "Develop questionnaires (including an online version)",
                },
                "deadline_text": {"ky": "Квартал сайын", "ru": "Ежеквартально", "en": "Quarterly"},
                # SEED INCONSISTENCY: quarterly deadline, but the expected result is one questionnaire.
                "rule": "quarterly",
                "rule_params": {},
                "rule_reason": (
                    "The deadline is quarterly although the expected result is a single questionnaire; the "
                    "quarterly rule is kept as written, read as developing the questionnaire and reviewing "
                    "(ky: analysing) it every quarter."
                ),
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": (
                        "Жарандардын сунуштары жана пикирлери боюнча анкета (сурамжылоо кагаздар) иштелип "
                        "чыгат"
                    ),
                    "ru": "Будет разработана анкета (вопросник) предложений и мнения граждан",
                    "en": "A questionnaire (survey form) on citizens' proposals and opinions will be developed",
                },
                "indicators": [
                    {
                        "key": "3.1.questionnaire_template",
                        "text": {
                            "ky": "Анкетанын үлгүсү",
                            "ru": "Образец анкеты",
                            "en": "Sample questionnaire",
                        },
                        "unit": "none",
                        "has_blank": False,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "3.2",
                # "Goоgle" in ky has a Cyrillic "о" (U+043E) and ru has the typo "Goggle"; both verbatim.
                "text": {
                    "ky": (
                        "Жарандар тарабынан анкеталарды жана кайрылууларды, анын ичинде он-лайн режиминде "
                        "(Goоgle формалар) толтуруу аркылуу маалымат чогултуу;"
                    ),
                    "ru": (
                        "Сбор информации посредством заполнения анкет и обращений со стороны граждан, в том "
                        "числе в онлайн режиме (Goggle формы);"
                    ),
                    "en": (
                        "Collect information by having citizens fill in questionnaires and appeals, "
                        "including online (Google Forms);"
                    ),
                },
                "deadline_text": {
                    "ky": "Жылына кеминде 2 жолу (коомдук иш-чаралардын жүрүшүндө өткөрүүгө болот)",
                    "ru": "Не менее 2-х раз в год (можно в ходе общественных мероприятий)",
                    "en": "At least twice a year (may be done during public events)",
                },
                "rule": "at_least_twice_yearly",
                "rule_params": {"per_year": 2},
                "rule_reason": "",
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": "Калктан маалымат чогултулат",
                    "ru": "Будет произведен сбор информации от населения",
                    "en": "Information will be collected from the population",
                },
                "indicators": [
                    {
                        "key": "3.2.questionnaires_collected",
                        "text": {
                            "ky": "Бир жылдын аралыгында кеминде ___ анкета толтурулуп, үкөккө салынды.",
                            "ru": "В течение года заполнено не менее ____ анкет и помещено в урну",
                            "en": "Within a year, at least ____ questionnaires filled in and put in the ballot box",
                        },
                        "unit": "count",
                        "has_blank": True,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
            {
                "code": "3.3",
                "text": {
                    "ky": (
                        "Маалыматтарды иштеп чыгуу жана отчет даярдоо, ЖӨБ органдарынын кызматкерлери жана "
                        "жергиликтүү кеңештин депутаттары үчүн отчеттун презентациясын өткөрүү."
                    ),
                    "ru": (
                        "Обработка данных и подготовка отчета, проведение презентации отчета для сотрудников "
                        "органам МСУ, АО и депутатов местного кенеша."
                    ),
                    "en": (
                        "Process the data and prepare a report; present the report to the staff of the LSG "
                        "body, the ayil okmotu and the deputies of the local council."
                    ),
                },
                "deadline_text": {
                    "ky": "Маалымат чогултуунун жыйынтыгы боюнча",
                    "ru": "По итогам проведения сбора информации",
                    "en": "Following the results of the information collection",
                },
                # The 30-day lag is our assumption; the seed gives no number of days.
                "rule": "after_collection",
                "rule_params": {"after": "3.2", "days_after": 30},
                "rule_reason": (
                    "The deadline is 'following the results of the information collection', so each report "
                    "is due 30 days after a 3.2 collection; the 30-day lag is an assumption, and the "
                    "indicator still asks for the report once a year."
                ),
                "responsible_roles": ["staff"],
                "responsible_text": {
                    "ky": "ЖӨБОнун жооптуу кызматкеринин аты-жөнү",
                    "ru": "ФИО ответственного сотрудника ОМСУ",
                    "en": "Full name of the responsible LSG body staff member",
                },
                "budget_source": "none",
                "expected_results": {
                    "ky": "Отчет, аналитикалык маалымат",
                    "ru": "Отчет, аналитическая информация",
                    "en": "Report, analytical information",
                },
                "indicators": [
                    {
                        "key": "3.3.report_presented",
                        "text": {
                            "ky": (
                                "Жылына бир жолу ЖӨБ органынын аппаратынын жана жергиликтүү кеңештин "
                                "алдында анкеталоо боюнча отчет даярдалып презентацияланды, ошондой эле "
                                "коомдук угууларда жана социалдык тармактарда сунушталды"
                            ),
                            "ru": (
                                "Один раз в год подготовлен и презентован отчет по анкетированию перед "
                                "аппаратом органа МСУ и местным кенешом, также представлены на "
                                "общественных слушаниях, и в социальных сетях"
                            ),
                            "en": (
                                "Once a year, a report on the questionnaire survey has been prepared and "
                                "presented to the staff of the LSG body and the local council, and also "
                                "presented at public hearings and on social media"
                            ),
                        },
                        "unit": "none",
                        "has_blank": False,
                        "fixed_target": None,
                    },
                ],
                "note": dict(_EMPTY_NOTE),
            },
        ],
    },
]


def iter_activities():
    """Yield (goal, activity) pairs in plan order."""
    for goal in GOALS:
        for activity in goal["activities"]:
            yield goal, activity


# A blank to be filled in: a run of 2+ underscores ("____", "________"), or single/multiple underscore
# groups separated by single spaces ("_ _ _ _ _"). A "%" after the blank is not part of it.
BLANK_RE = re.compile(r"_+(?: _+)+|_{2,}")


def fill_blank(text, value):
    """Replace the first blank in ``text`` with ``value``; a trailing "%" stays ("____%" -> "30%")."""
    return BLANK_RE.sub(lambda _match: str(value), text, count=1)
