"""Small builders for the surveys tests."""

from datetime import timedelta

from django.utils import timezone

from jamaat.surveys import services
from jamaat.surveys.models import Questionnaire, Round

SMALL = {
    "title_ky": "Суу боюнча сурамжылоо",
    "title_ru": "Опрос о воде",
    "sections": [
        {
            "title_ky": "Биринчи",
            "title_ru": "Первая",
            "questions": [
                {"code": "has_water", "type": "yes_no", "required": True,
                 "label_ky": "Үйүңүздө суу барбы?", "label_ru": "Есть ли у вас дома вода?"},
                {"code": "why", "type": "single", "required": True, "allow_other": True,
                 "show_if": "has_water == 'no'", "label_ky": "Эмне үчүн?", "label_ru": "Почему?",
                 "options": [{"code": "pipe", "label_ky": "Түтүк", "label_ru": "Труба"},
                             {"code": "pump", "label_ky": "Насос", "label_ru": "Насос"}]},
            ],
        },
        {
            "title_ky": "Экинчи",
            "title_ru": "Вторая",
            "questions": [
                {"code": "people", "type": "number", "min_value": 1, "max_value": 30,
                 "label_ky": "Үйдө канча адам жашайт?", "label_ru": "Сколько человек живёт в доме?"},
                {"code": "needs", "type": "multiple", "allow_other": True,
                 "label_ky": "Эмне керек?", "label_ru": "Что нужно?",
                 "options": [{"code": "water", "label_ky": "Суу", "label_ru": "Вода"},
                             {"code": "roads", "label_ky": "Жол", "label_ru": "Дороги"}]},
                {"code": "note", "type": "long_text", "label_ky": "Сунуш", "label_ru": "Предложение"},
            ],
        },
    ],
}  # fmt: skip


def published(user, municipality, data=SMALL, *, open_round=True) -> Questionnaire:
    q = services.create_questionnaire(user, municipality, data)
    services.publish(user, q)
    now = timezone.now()
    if open_round:
        Round.objects.create(
            municipality=municipality, questionnaire=q, name="2025-1",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        )  # fmt: skip
    return q
