from datetime import timedelta

import pytest
from django.utils import timezone

from jamaat.municipalities.models import Village
from jamaat.surveys import services as surveys
from jamaat.surveys.models import Round

FORM = {
    "title_ky": "Тургундардын баасы",
    "title_ru": "Оценка жителей",
    "sections": [
        {
            "title_ky": "Негизги",
            "title_ru": "Основное",
            "questions": [
                {"code": "village", "type": "village", "label_ky": "Айыл", "label_ru": "Село"},
                {"code": "gender", "type": "gender", "label_ky": "Жынысы", "label_ru": "Пол"},
                {"code": "age", "type": "age_group", "label_ky": "Жашы", "label_ru": "Возраст"},
                {"code": "water", "type": "single", "label_ky": "Суу кандай?", "label_ru": "Как вода?",
                 "options": [{"code": "good", "label_ky": "Жакшы", "label_ru": "Хорошо"},
                             {"code": "bad", "label_ky": "Жаман", "label_ru": "Плохо"}]},
                {"code": "needs", "type": "multiple", "label_ky": "Эмне керек?", "label_ru": "Что нужно?",
                 "options": [{"code": "roads", "label_ky": "Жол", "label_ru": "Дороги"},
                             {"code": "light", "label_ky": "Жарык", "label_ru": "Свет"}]},
                {"code": "score", "type": "rating", "label_ky": "Баа", "label_ru": "Оценка"},
                {"code": "kids", "type": "number", "label_ky": "Балдар", "label_ru": "Дети"},
                {"code": "grid", "type": "matrix", "label_ky": "Кызматтар", "label_ru": "Услуги",
                 "rows": [{"code": "school", "label_ky": "Мектеп", "label_ru": "Школа"},
                          {"code": "clinic", "label_ky": "Оорукана", "label_ru": "Больница"}]},
                {"code": "note", "type": "long_text", "label_ky": "Сунуш", "label_ru": "Предложение"},
            ],
        }
    ],
}  # fmt: skip


def answer_set(n_people, v1, v2, **over):
    """Answers of a few people, a dict per person."""
    base = {"village": str(v1.pk), "gender": "female", "age": "18_29", "water": "good",
            "needs": ["roads"], "score": 4, "kids": 2, "grid": {"school": 4, "clinic": 2},
            "note": "Көчөдө жарык жок, фонарь керек"}  # fmt: skip
    base.update(over)
    if base["village"] == "v2":
        base["village"] = str(v2.pk)
    return [dict(base) for _ in range(n_people)]


@pytest.fixture
def dataset(mun_a, people):
    """Round 1: 3 women in village 1 say water good (score 4), 1 man in village 2 says bad (2).
    Round 2: 1 good, 3 bad (one on paper)."""
    v1 = Village.objects.create(municipality=mun_a, name_ky="Ак-Суу", name_ru="Ак-Суу")
    v2 = Village.objects.create(municipality=mun_a, name_ky="Көк-Жар", name_ru="Кок-Жар")
    staff = people["staff_a"]
    q = surveys.create_questionnaire(staff, mun_a, FORM)
    surveys.publish(staff, q)
    now = timezone.now()
    r1 = Round.objects.create(
        municipality=mun_a,
        questionnaire=q,
        name="Жаз",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    r2 = Round.objects.create(municipality=mun_a, questionnaire=q, name="Күз",
                              opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30))  # fmt: skip
    version = q.current_version()

    def submit(rows, rnd, channel="interview"):
        for a in rows:
            surveys.submit_response(version, a, channel=channel, round=rnd, language="ky")

    submit(answer_set(3, v1, v2), r1)
    submit(answer_set(1, v1, v2, village="v2", gender="male", water="bad", score=2,
                      needs=["roads", "light"], kids=5), r1)  # fmt: skip
    submit(answer_set(1, v1, v2), r2)
    submit(answer_set(2, v1, v2, water="bad", score=1, note="Жол начар, асфальт керек"), r2)
    submit(answer_set(1, v1, v2, water="bad", score=1), r2, channel="paper")
    return {"q": q, "v1": v1, "v2": v2, "r1": r1, "r2": r2, "staff": staff}
