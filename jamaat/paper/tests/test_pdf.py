import io

import pytest
from pypdf import PdfReader

from jamaat.conftest import PASSWORD
from jamaat.paper import services
from jamaat.paper.tests.factories import questionnaire

pytestmark = pytest.mark.django_db


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize(
    "lang,words",
    [
        ("ky", ["Үйүңүздө суу барбы?", "Эмне үчүн жок?", "Түтүк бузук", "Үйдө канча адам жашайт?"]),
        ("ru", ["Есть ли у вас дома вода?", "Почему нет?", "Труба сломана", "Что нужно?"]),
    ],
)
def test_paper_pdf_has_serials_questions_and_conditions(mun_a, lang, words):
    q = questionnaire(mun_a)
    texts = pages_text(services.paper_pdf(q, lang, 7, 9))
    joined = "\n".join(texts)
    for w in words:
        assert w in joined
    data = services.paper_data(q, lang, 7, 9)
    # each form starts on its own page with its own number in the header (first line)
    headers = [t.splitlines()[0] for t in texts]
    assert headers == [f"{mun_a.name_in(lang)} {data['form_no']} {n}" for n in (7, 8, 9)]
    assert f"{data['form_no']} 10" not in joined
    # the "show if" condition is an instruction naming the answer "No" and question 1
    no = "Жок" if lang == "ky" else "Нет"
    condition = data["sections"][0]["questions"][1]["condition"]
    assert (f"«{no}»" in condition or f"“{no}”" in condition) and "1" in condition
    assert condition in joined
    assert mun_a.name_in(lang) in joined


def test_condition_text_names_question_and_answer(mun_a):
    q = questionnaire(mun_a)
    data = services.paper_data(q, "ky", 1, 1)
    why = data["sections"][0]["questions"][1]
    assert why["n"] == 2
    assert ("«Жок»" in why["condition"] or "“Жок”" in why["condition"]) and "1" in why["condition"]
    assert data["sections"][0]["questions"][0]["condition"] == ""
    needs = data["sections"][0]["questions"][4]
    assert needs["options"] == ["Суу", "Жол", "Жарык", "Башка"] and needs["multiple"]


def test_print_page_and_bad_range(client, people, mun_a):
    q = questionnaire(mun_a)
    client.login(username="staff_a", password=PASSWORD)
    url = f"/{mun_a.slug}/manage/paper/print/"
    assert client.get(url).status_code == 200
    r = client.get(url, {"questionnaire": q.pk, "language": "ru", "first": "5", "last": "2"})
    assert r.status_code == 200 and r.context["form"].errors["last"]
    r = client.get(url, {"questionnaire": q.pk, "language": "ru", "first": "1", "last": "2"})
    assert r["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(r.content)).pages) >= 2
