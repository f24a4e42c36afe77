from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jamaat.acts import services
from jamaat.acts.models import Deputy, LegalAct, Mandate
from jamaat.conftest import PASSWORD
from jamaat.core.uploads import CleanFile


def pdf_upload(name="act.pdf", body=b"%PDF-1.4 signed act"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def login(client, username):
    client.login(username=username, password=PASSWORD)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def staff(client, people):
    return login(client, "staff_a")


@pytest.fixture
def deputy(mun_a, people):
    return Deputy.objects.create(
        municipality=mun_a,
        full_name="Асанова Гүлнара",
        district_number=3,
        district_name_ky="Кароол-Дөбө",
        district_name_ru="Кароол-Дёбё",
        term_from=2021,
        term_to=2026,
        phone="+996 555 12 34 56",
        reception_ky="Бейшемби, 9:00–12:00, айыл өкмөтү",
    )


def make_mandate(municipality, deputy, text="Көчө жарыгын орнотуу", **kw):
    return services.save_mandate(
        None,
        Mandate(
            municipality=municipality,
            deputy=deputy,
            received_on=kw.pop("received_on", date(2025, 2, 1)),
            text=text,
            **kw,
        ),
    )


def make_act(municipality, status="draft", title="Таштанды чыгаруу эрежелери", **kw):
    """An act taken through the real steps up to `status` (dates in 2025 unless given)."""
    adopted_on = kw.pop("adopted_on", date(2025, 4, 10))
    number = kw.pop("number", "7")
    mandates = kw.pop("mandates", None)
    act = services.save_act(
        None, LegalAct(municipality=municipality, title_ky=title, **kw), mandates
    )
    order = ["initiated", "discussion", "adopted", "in_force", "repealed"]
    values = {
        "initiated": {"initiator_kind": "head", "initiated_on": date(2025, 1, 15)},
        "discussion": {
            "discussion_from": date(2025, 2, 1),
            "discussion_to": date(2025, 3, 1),
        },
        "adopted": {"number": number, "adopted_on": adopted_on},
        "in_force": {"in_force_on": adopted_on},
        "repealed": {"repealed_on": adopted_on, "repeal_reason_ky": "Жаңы акт кабыл алынды"},
    }
    if status == "draft":
        return act
    for step in order[: order.index(status) + 1]:
        pdf = CleanFile("act.pdf", b"%PDF-1.4 x", "application/pdf") if step == "adopted" else None
        act = services.take_step(None, act, step, values[step], pdf)
    return act
