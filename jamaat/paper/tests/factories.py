"""A small questionnaire for paper tests: yes/no, a conditional single choice, rating, number,
multiple choice with "other", and a text."""

from datetime import timedelta

from django.utils import timezone

from jamaat.paper.models import Batch
from jamaat.surveys import services
from jamaat.surveys.models import Questionnaire, Round

PAPER_FORM = {
    "title_ky": "Суу боюнча сурамжылоо",
    "title_ru": "Опрос о воде",
    "sections": [{"title_ky": "Негизги", "title_ru": "Основное", "questions": [
        {"code": "has_water", "type": "yes_no", "required": True,
         "label_ky": "Үйүңүздө суу барбы?", "label_ru": "Есть ли у вас дома вода?"},
        {"code": "why", "type": "single", "required": True, "show_if": "has_water == 'no'",
         "label_ky": "Эмне үчүн жок?", "label_ru": "Почему нет?",
         "options": [{"code": "pipe", "label_ky": "Түтүк бузук", "label_ru": "Труба сломана"},
                     {"code": "pump", "label_ky": "Насос иштебейт", "label_ru": "Насос не работает"}]},
        {"code": "rate", "type": "rating", "label_ky": "Кызматка баа бериңиз",
         "label_ru": "Оцените услугу"},
        {"code": "people", "type": "number", "min_value": 1, "max_value": 30,
         "label_ky": "Үйдө канча адам жашайт?", "label_ru": "Сколько человек живёт в доме?"},
        {"code": "needs", "type": "multiple", "allow_other": True,
         "label_ky": "Эмне керек?", "label_ru": "Что нужно?",
         "options": [{"code": "water", "label_ky": "Суу", "label_ru": "Вода"},
                     {"code": "roads", "label_ky": "Жол", "label_ru": "Дороги"},
                     {"code": "light", "label_ky": "Жарык", "label_ru": "Свет"}]},
        {"code": "note", "type": "text", "label_ky": "Сунуш", "label_ru": "Предложение"},
    ]}],
}  # fmt: skip


def questionnaire(municipality, data=PAPER_FORM) -> Questionnaire:
    q = services.create_questionnaire(None, municipality, data)
    Questionnaire.objects.filter(pk=q.pk).update(status=Questionnaire.Status.PUBLISHED)
    q.refresh_from_db()
    now = timezone.now()
    Round.objects.create(
        municipality=municipality, questionnaire=q, name="2026-1",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
    )  # fmt: skip
    return q


def batch(municipality, q=None, *, double_entry=False, forms_found=20) -> Batch:
    q = q or questionnaire(municipality)
    return Batch.objects.create(
        municipality=municipality, questionnaire=q, round=q.rounds.first(),
        opened_on=timezone.localdate(), opened_by_name="Асель", forms_found=forms_found,
        double_entry=double_entry,
    )  # fmt: skip
