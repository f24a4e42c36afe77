import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jamaat.acts import figures, services
from jamaat.acts.models import Deputy, LegalAct, Mandate, MandateEvent
from jamaat.acts.tests.conftest import login, make_act, make_mandate, pdf_upload
from jamaat.core.models import AuditEntry
from jamaat.plans import registry
from jamaat.plans.models import Evidence, Indicator
from jamaat.plans.services import set_targets


def step(client, act, to_status, **data):
    prefix = {"initiated": "i", "discussion": "d", "adopted": "a", "in_force": "f",
              "repealed": "r"}[to_status]  # fmt: skip
    payload = {"step": to_status, **{f"{prefix}-{k}": v for k, v in data.items()}}
    return client.post(f"/karool/manage/acts/{act.pk}/", payload)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def new_act(client, **kw):
    data = {"action": "save", "title_ky": "Ичүүчү суу тарифи", "title_ru": "Тариф на воду",
            "summary_ky": "", "summary_ru": "", "category": ""}  # fmt: skip
    data.update(kw)
    return client.post("/karool/manage/acts/new/", data)


# --- the lifecycle through the pages ------------------------------------------------------------


def test_act_lifecycle_from_draft_to_repeal(staff, client, approved_plan_a, mun_a, deputy):
    mandate = make_mandate(mun_a, deputy, text="Суу тарифин кайра карап чыгуу")
    r = new_act(staff, mandates=[mandate.pk])
    assert r.status_code == 302
    act = LegalAct.objects.get()
    assert act.status == "draft" and list(act.mandates.all()) == [mandate]

    r = step(staff, act, "initiated", initiator_kind="deputy", initiator_deputy=deputy.pk,
             initiated_on="2025-01-20")  # fmt: skip
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.status == "initiated" and act.initiator_deputy == deputy

    r = step(staff, act, "discussion", discussion_from="2025-02-01", discussion_to="2025-03-03",
             hearing_url="/karool/meetings/5/")  # fmt: skip
    assert r.status_code == 302
    r = step(staff, act, "adopted", number="№ 12", adopted_on="2025-03-20", pdf=pdf_upload())
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.status == "adopted" and act.number == "12"
    assert act.pdf.name.startswith(f"acts/{mun_a.pk}/2025/") and act.pdf.name.endswith(".pdf")

    # the mandate it answers is marked answered, with the act named in its history
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ANSWERED
    last = MandateEvent.objects.filter(mandate=mandate).last()
    assert last.from_status == "received" and last.to_status == "answered_by_act"
    assert "№ 12" in last.note

    # evidence for the 2.3 reporting occurrence whose window holds the adoption date
    ev = Evidence.objects.get(source=f"acts.act:{act.pk}")
    assert ev.occurrence.activity.code == "2.3"
    assert ev.occurrence.window_start <= date(2025, 3, 20) <= ev.occurrence.window_end
    assert ev.occurrence.key == "2025-P1" and ev.occurrence.status == "done"
    assert len(ev.links) == 1 and ev.links[0].endswith(f"/karool/acts/{act.pk}/")

    r = step(staff, act, "in_force", in_force_on="2025-04-01")
    assert r.status_code == 302
    r = step(staff, act, "repealed", repealed_on="2025-12-01", repeal_reason_ru="Заменён новым")
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.status == "repealed" and act.repeal_reason == "Заменён новым"
    assert AuditEntry.objects.filter(object_type="legalact", action="status").count() == 5
    assert Evidence.objects.filter(source=f"acts.act:{act.pk}").count() == 1

    # public: the repealed act stays listed with its number, date and PDF
    client.logout()
    html = client.get("/karool/acts/").content.decode()
    assert "Ичүүчү суу тарифи" in html and "№ 12" in html and "20.03.2025" in html
    assert act.pdf.url in html
    detail = client.get(f"/karool/acts/{act.pk}/").content.decode()
    assert "Заменён новым" in detail and "Суу тарифин кайра карап чыгуу" in detail
    assert client.get(act.pdf.url).status_code == 200  # public media under acts/


def test_staff_sees_each_step_form_only_when_it_is_possible(staff, plan_a, mun_a):
    act = make_act(mun_a, "initiated")
    html = staff.get(f"/karool/manage/acts/{act.pk}/").content.decode()
    assert 'name="step" value="discussion"' in html
    assert 'name="step" value="adopted"' not in html
    act = make_act(mun_a, "adopted", number="8")
    html = staff.get(f"/karool/manage/acts/{act.pk}/").content.decode()
    assert 'name="step" value="in_force"' in html and 'name="step" value="repealed"' in html


@pytest.mark.parametrize(
    ("status", "wanted"),
    [
        ("draft", "adopted"),
        ("draft", "repealed"),
        ("initiated", "adopted"),  # public discussion cannot be skipped
        ("discussion", "in_force"),
        ("in_force", "adopted"),
        ("repealed", "in_force"),
        ("draft", "nonsense"),
    ],
)
def test_invalid_transitions_are_refused_with_a_message(staff, plan_a, mun_a, status, wanted):
    act = make_act(mun_a, status)
    before = AuditEntry.objects.count(), Evidence.objects.count()
    r = staff.post(
        f"/karool/manage/acts/{act.pk}/",
        {"step": wanted, "a-number": "99", "a-adopted_on": "2025-05-01", "a-pdf": pdf_upload(),
         "f-in_force_on": "2025-05-01", "r-repealed_on": "2025-05-01",
         "r-repeal_reason_ky": "x"},
    )  # fmt: skip
    assert r.status_code == 200
    assert "cannot become" in messages_of(r)
    act.refresh_from_db()
    assert act.status == status
    assert (AuditEntry.objects.count(), Evidence.objects.count()) == before


def test_service_refuses_invalid_step_too(mun_a):
    act = make_act(mun_a, "draft")
    with pytest.raises(services.InvalidStep):
        services.take_step(None, act, "adopted", {"number": "1", "adopted_on": date(2025, 1, 1)})


# --- bad input: a clear message, nothing typed is lost --------------------------------------------


def jpeg_upload():
    buf = io.BytesIO()
    Image.new("RGB", (50, 50), (200, 0, 0)).save(buf, "JPEG")
    return SimpleUploadedFile("scan.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"adopted_on": "FUTURE"}, "cannot be adopted in the future"),
        ({"adopted_on": "2025-02-20"}, "public discussion runs until 01.03.2025"),
        ({"pdf": None}, "This field is required"),
        ({"pdf": "JPEG"}, "is a photo; upload the act as a PDF"),
        ({"pdf": "EXE"}, "is not a photo (JPEG, PNG, WebP) or a PDF"),
        ({"number": "7"}, "An act № 7 of 2025 is already registered"),
        ({"adopted_on": "20.03.2025x"}, "Enter a valid date"),
    ],
)
def test_bad_adoption_input_gets_a_clear_message(staff, plan_a, mun_a, data, message):
    make_act(mun_a, "adopted", title="Мурунку акт", number="7")
    act = make_act(mun_a, "discussion", title="Жаңы акт")
    values = {"number": "15/2", "adopted_on": "2025-03-25", "pdf": pdf_upload()}
    values.update(data)
    if values["adopted_on"] == "FUTURE":
        values["adopted_on"] = (timezone.localdate() + timedelta(days=3)).isoformat()
    if values["pdf"] is None:
        del values["pdf"]
    elif values["pdf"] == "JPEG":
        values["pdf"] = jpeg_upload()
    elif values["pdf"] == "EXE":
        values["pdf"] = SimpleUploadedFile("act.pdf", b"MZ\x90\x00", "application/pdf")
    r = step(staff, act, "adopted", **values)
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert f'value="{values["number"]}"' in html  # what was typed is still there
    act.refresh_from_db()
    assert act.status == "discussion"
    assert not Evidence.objects.filter(source=f"acts.act:{act.pk}").exists()


def test_other_step_input_errors(staff, plan_a, mun_a, deputy):
    act = make_act(mun_a, "draft")
    r = step(staff, act, "initiated", initiator_kind="deputy", initiated_on="2025-01-20")
    assert "Choose the deputy who initiated the act." in r.content.decode()
    r = step(staff, act, "initiated", initiator_kind="committee", initiated_on="2025-01-20")
    assert "Name the committee" in r.content.decode()
    act = make_act(mun_a, "initiated", title="Экинчи")
    r = step(staff, act, "discussion", discussion_from="2025-03-01", discussion_to="2025-02-01",
             hearing_url="javascript:alert(1)")  # fmt: skip
    html = r.content.decode()
    assert "must end on or after its start" in html
    assert "starting with https:// or with /" in html
    r = step(staff, act, "discussion", discussion_from="2025-01-01", discussion_to="2025-02-01")
    assert "before the act was initiated (15.01.2025)" in r.content.decode()
    act = make_act(mun_a, "adopted", title="Үчүнчү", number="30")
    r = step(staff, act, "repealed", repealed_on="2025-05-01")
    assert "Give the reason for repeal" in r.content.decode()
    r = step(staff, act, "in_force", in_force_on="2025-04-01")
    assert "before it was adopted (10.04.2025)" in r.content.decode()
    act.refresh_from_db()
    assert act.status == "adopted"


def test_act_needs_a_title(staff, plan_a):
    r = new_act(staff, title_ky="", title_ru="", summary_ky="Текст сакталат")
    assert r.status_code == 200
    assert "Give the act a title" in r.content.decode()
    assert "Текст сакталат" in r.content.decode()
    assert not LegalAct.objects.exists()


# --- public pages show only public states -------------------------------------------------------


def test_public_pages_show_only_adopted_in_force_and_repealed(client, staff, plan_a, mun_a):
    acts = {s: make_act(mun_a, s, title=f"АКТ-{s}", number=s) for s in LegalAct.Status.values}
    client.logout()
    html = client.get("/karool/acts/").content.decode()
    for status, act in acts.items():
        assert (f"АКТ-{status}" in html) == (status in LegalAct.PUBLIC_STATUSES), status
        code = client.get(f"/karool/acts/{act.pk}/").status_code
        assert code == (200 if status in LegalAct.PUBLIC_STATUSES else 404), status
    # staff preview a draft with a note; the API lists public ones only
    login(client, "staff_a")
    r = client.get(f"/karool/acts/{acts['draft'].pk}/")
    assert r.status_code == 200 and "not adopted yet and is not public" in r.content.decode()
    data = client.get("/api/v1/municipalities/karool/acts/").json()
    assert {a["status"] for a in data} == {"adopted", "in_force", "repealed"}


def test_year_filter_on_public_list(client, plan_a, mun_a):
    make_act(mun_a, "adopted", title="Эски акт", number="1", adopted_on=date(2025, 5, 5))
    make_act(mun_a, "adopted", title="Жаңы акт", number="1", adopted_on=date(2026, 1, 20))
    html = client.get("/karool/acts/?year=2026").content.decode()
    assert "Жаңы акт" in html and "Эски акт" not in html
    assert client.get("/karool/acts/?year=1999").status_code == 404
    assert client.get("/karool/acts/?year=abc").status_code == 404


def test_home_block_lists_the_latest_three_adopted_acts(client, plan_a, mun_a):
    assert "Adopted acts" not in login(client, "outsider").get("/karool/").content.decode()
    for i in range(4):
        make_act(mun_a, "adopted", title=f"Акт {i}", number=str(i),
                 adopted_on=date(2025, 4, 10 + i))  # fmt: skip
    make_act(mun_a, "discussion", title="Талкуудагы")
    html = client.get("/karool/").content.decode()
    block = html.split('id="h-acts"')[1].split("</section>")[0]
    assert [t for t in ("Акт 3", "Акт 2", "Акт 1") if t in block] == ["Акт 3", "Акт 2", "Акт 1"]
    assert "Акт 0" not in block and "Талкуудагы" not in block


def test_public_deputies_page(client, mun_a, deputy, people):
    Deputy.objects.create(
        municipality=mun_a, full_name="Мурунку Депутат", term_from=2016, term_to=2021,
        is_active=False,
    )  # fmt: skip
    make_mandate(mun_a, deputy)
    act = make_act(mun_a, "adopted", mandates=[make_mandate(mun_a, deputy, text="Экинчи")])
    assert act.mandates.get().status == "answered_by_act"
    client.cookies["django_language"] = "en"
    html = client.get("/karool/deputies/").content.decode()
    assert "Асанова Гүлнара" in html and "Мурунку Депутат" not in html
    assert "№ 3 · Кароол-Дөбө" in html and "2021–2026" in html
    assert 'href="tel:+996 555 12 34 56"' in html
    assert "2 received, 1 answered" in html


# --- mandates -----------------------------------------------------------------------------------


def mandate_data(who, **kw):
    data = {"action": "save", "deputy": who.pk, "received_via": "reception",
            "received_on": "2025-06-02", "submitted_by": "Токтогул көчөсүнүн тургундары",
            "village": "", "category": "", "text": "Көпүрөнү оңдоо керек"}  # fmt: skip
    data.update(kw)
    return data


def test_record_a_mandate_and_change_its_status(staff, plan_a, mun_a, deputy):
    r = staff.post("/karool/manage/mandates/new/", mandate_data(deputy))
    assert r.status_code == 302
    mandate = Mandate.objects.get()
    url = f"/karool/manage/mandates/{mandate.pk}/"
    assert r["Location"] == url

    def change(status, note=""):
        return staff.post(url, {"action": "status", "s-status": status, "s-note": note})

    r = change("rejected")
    assert "Give the reason for rejecting" in r.content.decode()
    r = change("answered_by_act")
    assert "No adopted act answers this mandate yet" in r.content.decode()
    assert change("in_work").status_code == 302
    assert change("fulfilled", "Көпүрө айыл өкмөтүнүн каражатына оңдолду").status_code == 302
    r = change("rejected", "x")  # not a next status of "fulfilled"
    assert r.status_code == 200
    mandate.refresh_from_db()
    assert mandate.status == "fulfilled"
    assert change("in_work", "Кайра ачылды").status_code == 302
    history = [
        (e.from_status, e.to_status)
        for e in MandateEvent.objects.filter(mandate=mandate).order_by("id")
    ]
    assert history == [("", "received"), ("received", "in_work"), ("in_work", "fulfilled"),
                       ("fulfilled", "in_work")]  # fmt: skip
    html = staff.get(url).content.decode()
    assert "Көпүрө айыл өкмөтүнүн каражатына оңдолду" in html


def test_mandate_bad_input_keeps_the_text(staff, plan_a, mun_a, deputy):
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = staff.post("/karool/manage/mandates/new/", mandate_data(deputy, received_on=future))
    assert r.status_code == 200
    html = r.content.decode()
    assert "The date cannot be in the future." in html and "Көпүрөнү оңдоо керек" in html
    r = staff.post("/karool/manage/mandates/new/", mandate_data(deputy, text="", deputy=""))
    assert r.status_code == 200
    assert r.content.decode().count("This field is required.") == 2
    assert "Токтогул көчөсүнүн тургундары" in r.content.decode()
    assert not Mandate.objects.exists()


def test_linking_mandates_to_an_adopted_act_answers_them(staff, plan_a, mun_a, deputy):
    act = make_act(mun_a, "adopted")
    open_one = make_mandate(mun_a, deputy, text="Ачык")
    rejected = make_mandate(mun_a, deputy, text="Четке")
    services.change_mandate_status(None, mun_a, rejected, "rejected", "Мыйзамга каршы")
    form_html = staff.get(f"/karool/manage/acts/{act.pk}/").content.decode()
    assert "Ачык" in form_html and "Четке" not in form_html  # only open mandates offered
    r = staff.post(f"/karool/manage/acts/{act.pk}/",
                   {"action": "save", "title_ky": act.title_ky, "mandates": [open_one.pk]})  # fmt: skip
    assert r.status_code == 302
    open_one.refresh_from_db()
    assert open_one.status == "answered_by_act"
    # the answered mandate stays linked and listed on the act's page
    html = staff.get(f"/karool/manage/acts/{act.pk}/").content.decode()
    assert "Ачык" in html
    # unlinked from the only act that answered it, the mandate is in work again (with history)
    staff.post(f"/karool/manage/acts/{act.pk}/", {"action": "save", "title_ky": act.title_ky})
    assert not act.mandates.exists()
    open_one.refresh_from_db()
    assert open_one.status == "in_work"
    last = MandateEvent.objects.filter(mandate=open_one).last()
    assert (last.from_status, last.to_status) == ("answered_by_act", "in_work")
    assert "No longer linked" in last.note


def test_mandate_of_another_municipality_cannot_be_linked(staff, plan_a, mun_a, mun_b, deputy):
    other = Deputy.objects.create(municipality=mun_b, full_name="Б", term_from=2021, term_to=2026)
    foreign = make_mandate(mun_b, other)
    act = make_act(mun_a, "draft")
    r = staff.post(f"/karool/manage/acts/{act.pk}/",
                   {"action": "save", "title_ky": "x", "mandates": [foreign.pk]})  # fmt: skip
    assert r.status_code == 200
    assert not act.mandates.exists()
    assert staff.get(f"/karool/manage/mandates/{foreign.pk}/").status_code == 404


# --- who records mandates -----------------------------------------------------------------------


def test_deputy_records_only_their_own_mandates(client, plan_a, mun_a, people, deputy):
    other = Deputy.objects.create(municipality=mun_a, full_name="Экинчи Депутат", term_from=2021,
                                  term_to=2026)  # fmt: skip
    login(client, "deputy_a")
    # without a linked deputy record the deputy cannot record mandates
    assert client.get("/karool/manage/mandates/new/").status_code == 403
    deputy.user = people["deputy_a"]
    deputy.save()
    page = client.get("/karool/manage/mandates/new/").content.decode()
    assert "Асанова Гүлнара" in page and "Экинчи Депутат" not in page
    r = client.post("/karool/manage/mandates/new/", mandate_data(other))
    assert r.status_code == 200 and not Mandate.objects.exists()
    r = client.post("/karool/manage/mandates/new/", mandate_data(deputy))
    assert r.status_code == 302
    own = Mandate.objects.get()
    r = client.post(f"/karool/manage/mandates/{own.pk}/",
                    {"action": "status", "s-status": "in_work", "s-note": ""})  # fmt: skip
    assert r.status_code == 302
    theirs = make_mandate(mun_a, other)
    assert (
        "Change the status"
        not in client.get(f"/karool/manage/mandates/{theirs.pk}/").content.decode()
    )
    r = client.post(f"/karool/manage/mandates/{theirs.pk}/",
                    {"action": "status", "s-status": "in_work", "s-note": ""})  # fmt: skip
    assert r.status_code == 403
    # acts and deputies stay with staff and the council chair
    assert client.get("/karool/manage/acts/new/").status_code == 403
    assert client.post("/karool/manage/acts/new/", {"title_ky": "x"}).status_code == 403
    assert client.get("/karool/manage/deputies/new/").status_code == 403


def test_council_chair_manages_acts_and_mandates(client, plan_a, mun_a, deputy):
    login(client, "council_chair_a")
    assert new_act(client).status_code == 302
    r = client.post("/karool/manage/mandates/new/", mandate_data(deputy))
    assert r.status_code == 302


# --- deputies -----------------------------------------------------------------------------------


def deputy_data(**kw):
    data = {"full_name": "Жаңы Депутат", "district_number": "4", "district_name_ky": "Борбор",
            "district_name_ru": "Центр", "term_from": "2021", "term_to": "2026",
            "phone": "", "email": "", "reception_ky": "", "reception_ru": "", "user": "",
            "is_active": "on"}  # fmt: skip
    data.update(kw)
    return data


def test_deputy_form_checks(staff, plan_a, mun_a, people, deputy):
    r = staff.post("/karool/manage/deputies/new/", deputy_data(term_to="2019"))
    assert "The term must end in or after the year it starts." in r.content.decode()
    assert 'value="Жаңы Депутат"' in r.content.decode()
    r = staff.post("/karool/manage/deputies/new/", deputy_data(term_from="1900"))
    assert "Enter a year between 1991 and 2100." in r.content.decode()
    # only members of this municipality with the deputy or council chair role can be linked
    for username in ("deputy_b", "staff_a"):
        r = staff.post("/karool/manage/deputies/new/", deputy_data(user=people[username].pk))
        assert r.status_code == 200, username
    deputy.user = people["deputy_a"]
    deputy.save()
    r = staff.post("/karool/manage/deputies/new/", deputy_data(user=people["deputy_a"].pk))
    assert "already linked to the deputy Асанова Гүлнара" in r.content.decode()
    r = staff.post("/karool/manage/deputies/new/", deputy_data(user=people["council_chair_a"].pk))
    assert r.status_code == 302
    assert Deputy.objects.filter(full_name="Жаңы Депутат", user=people["council_chair_a"]).exists()


# --- figures, evidence and the dashboard --------------------------------------------------------


def test_figure_counts_acts_adopted_in_the_year(mun_a, plan_a):
    assert figures.acts_adopted(mun_a, 2025) is None  # an empty registry is not "zero acts"
    make_act(mun_a, "discussion", title="Талкууда")
    assert figures.acts_adopted(mun_a, 2025) == 0
    make_act(mun_a, "adopted", number="1", adopted_on=date(2025, 4, 1))
    make_act(mun_a, "in_force", number="2", adopted_on=date(2025, 6, 1))
    make_act(mun_a, "repealed", number="3", adopted_on=date(2025, 7, 1))  # still counts
    make_act(mun_a, "adopted", number="1", adopted_on=date(2026, 1, 10))  # another year
    assert figures.acts_adopted(mun_a, 2025) == 3
    assert figures.acts_adopted(mun_a, 2026) == 1
    assert registry.figure_for("2.3.normative_acts_adopted").compute(mun_a, 2025) == 3


def test_adoption_records_evidence_in_the_right_quarter_once(mun_a, approved_plan_a):
    act = make_act(mun_a, "adopted", adopted_on=date(2025, 8, 14))
    ev = Evidence.objects.get(source=f"acts.act:{act.pk}")
    assert ev.occurrence.key == "2025-P3"
    assert services.record_adoption(act.pk).pk == ev.pk  # idempotent
    assert Evidence.objects.filter(source=f"acts.act:{act.pk}").count() == 1


def test_act_adopted_before_the_plan_period_is_fine_without_evidence(mun_a, approved_plan_a):
    act = make_act(mun_a, "adopted", adopted_on=date(2024, 11, 5))
    act.refresh_from_db()
    assert act.status == "adopted"
    assert not Evidence.objects.filter(source=f"acts.act:{act.pk}").exists()


def test_dashboard_shows_acts_against_the_target(client, mun_a, approved_plan_a):
    indicator = Indicator.objects.get(activity__plan=approved_plan_a, key=figures.INDICATOR_KEY)
    set_targets(None, indicator, {2025: 4})
    make_act(mun_a, "adopted", number="1", adopted_on=date(2025, 4, 1))
    make_act(mun_a, "repealed", number="2", adopted_on=date(2025, 5, 1))
    make_act(mun_a, "initiated", title="Демилгеленген")
    login(client, "council_chair_a")
    html = client.get("/karool/dashboard/?year=2025").content.decode()
    row = html.split('data-activity="2.3"')[1].split("</tbody>")[0]
    target = re.search(r'data-label="Target">([^<]*)<', row).group(1).strip()
    recorded = re.search(r"<strong>([^<]*)</strong>", row).group(1)
    assert (target, recorded) == ("4", "2")
    assert "counted by the date of adoption" in row
    # the registry page shows the same figure and target
    page = client.get("/karool/manage/acts/?year=2025").content.decode()
    assert 'id="adopted-count">2<' in page and 'id="adopted-target">4<' in page
    assert client.get("/karool/manage/acts/?year=x").status_code == 200  # falls back


def test_workplace_is_linked_from_the_activity(client, mun_a, approved_plan_a):
    client.cookies["django_language"] = "en"
    html = client.get("/karool/plan/activities/2.3/").content.decode()
    assert 'href="/karool/manage/acts/"' in html and "Acts and mandates" in html


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_adopted_acts_with_public_fields(client, mun_a, mun_b, plan_a, deputy):
    act = make_act(mun_a, "in_force", number="5", mandates=[make_mandate(mun_a, deputy)])
    make_act(mun_a, "discussion", title="Жашыруун")
    make_act(mun_b, "adopted", title="Токмок акты")
    r = client.get("/api/v1/municipalities/karool/acts/")
    assert r.status_code == 200
    assert r["Cache-Control"] == "public, max-age=300"
    (item,) = r.json()
    assert item["id"] == act.pk and item["number"] == "5" and item["status"] == "in_force"
    assert item["adopted_on"] == "2025-04-10" and item["title_ky"] == act.title_ky
    assert item["mandates_count"] == 1
    assert item["pdf_url"].endswith(act.pdf.url)
    assert set(item) == {"id", "number", "adopted_on", "title_ky", "title_ru", "status",
                         "in_force_on", "repealed_on", "pdf_url", "mandates_count", "url"}  # fmt: skip
    assert "summary_ky" not in item and "mandates" not in item
    assert client.get("/api/v1/municipalities/nowhere/acts/").status_code == 404
    assert len(client.get("/api/v1/municipalities/karool/acts/?limit=0").json()) == 1


# --- query counts do not grow with the data -----------------------------------------------------


def _fill(mun, deputy, n):
    for i in range(n):
        m = make_mandate(mun, deputy, text=f"Талап {i}")
        make_act(mun, "adopted", title=f"Акт {i}", number=f"{i}-{n}", mandates=[m])
    make_act(mun, "draft", title="Долбоор")


@pytest.mark.parametrize(
    "url",
    [
        "/karool/acts/",
        "/karool/deputies/",
        "/karool/",
        "/api/v1/municipalities/karool/acts/",
        "/karool/manage/acts/",
        "/karool/manage/mandates/",
        "/karool/manage/deputies/",
    ],
)
def test_query_counts_do_not_grow_with_the_data(
    client, mun_a, plan_a, deputy, django_assert_max_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, "staff_a")
    _fill(mun_a, deputy, 2)
    client.get(url)  # warm caches (session, roles)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(mun_a, deputy, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_and_edit_pages_query_counts_are_constant(
    client, mun_a, plan_a, deputy, django_assert_max_num_queries
):
    login(client, "staff_a")
    mandates = [make_mandate(mun_a, deputy, text=f"T{i}") for i in range(30)]
    few = make_act(mun_a, "adopted", number="a", mandates=mandates[:2])
    many = make_act(mun_a, "adopted", number="b", mandates=mandates[2:])
    for path in ("/karool/acts/{}/", "/karool/manage/acts/{}/"):
        client.get(path.format(few.pk))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(path.format(few.pk))
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(path.format(many.pk)).status_code == 200


def test_mandate_form_prefills_today_and_the_deputys_own_record(client, plan_a, people, deputy):
    deputy.user = people["deputy_a"]
    deputy.save()
    html = login(client, "deputy_a").get("/karool/manage/mandates/new/").content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert f'<option value="{deputy.pk}" selected>' in html
