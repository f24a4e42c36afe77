"""Meetings as staff and residents use them: plan, announce, record, write the protocol."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from jamaat.conftest import PASSWORD
from jamaat.core.models import AuditEntry
from jamaat.meetings import quorum, services
from jamaat.meetings.models import Decision, Meeting, MeetingSettings, Speaker
from jamaat.meetings.tests.conftest import make_held, make_meeting
from jamaat.messaging import services as messaging
from jamaat.messaging.models import OutboxMessage, Subscriber
from jamaat.municipalities.models import LocalIssue, Village
from jamaat.plans.models import Evidence


def local(days=0, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return day.isoformat(), f"{hour:02d}:00"


def meeting_data(days=20, **kw):
    day, time = local(days)
    data = {
        "kind": "gathering",
        "title_ky": "Суу маселеси боюнча айылдык жыйын",
        "title_ru": "Сельский сход по вопросу воды",
        "date": day,
        "time": time,
        "place_ky": "Маданият үйү",
        "place_ru": "Дом культуры",
        "contacts": "",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-text_ky": "Ичүүчү суу түтүгүн оңдоо",
        "agenda-0-text_ru": "Ремонт водопровода",
    }
    data.update(kw)
    return data


def subscribe(municipality, channel, address, language):
    return messaging.subscribe(municipality, channel, address, language, "I agree", None)


# --- creating and announcing ----------------------------------------------------------------


def test_staff_create_a_draft_with_agenda_and_documents(staff, mun_a):
    water = LocalIssue.objects.get(municipality=mun_a, code="water")
    village = Village.objects.get(municipality=mun_a)
    pdf = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 draft budget", "application/pdf")
    r = staff.post(
        "/karool/manage/meetings/new/",
        meeting_data(**{"agenda-0-issues": [water.pk], "villages": [village.pk], "documents": pdf}),
    )
    assert r.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.created_by.username == "staff_a"
    assert timezone.localtime(meeting.starts_at).hour == 10
    item = meeting.agenda_items.get()
    assert item.text_ru == "Ремонт водопровода" and list(item.issues.all()) == [water]
    assert list(meeting.villages.all()) == [village]
    doc = meeting.documents.get()
    assert doc.original_name == "budget.pdf" and doc.file.name.startswith("meetings/")
    assert AuditEntry.objects.filter(object_type="meeting", action="create").exists()
    # A draft is not public: residents get a 404, insiders a preview.
    client = Client()
    assert client.get(f"/karool/meetings/{meeting.pk}/").status_code == 404
    assert "Суу маселеси" not in client.get("/karool/meetings/").content.decode()
    preview = staff.get(f"/karool/meetings/{meeting.pk}/")
    assert preview.status_code == 200 and "Preview" in preview.content.decode()


def test_missing_title_and_place_keep_what_was_typed(staff):
    r = staff.post(
        "/karool/manage/meetings/new/",
        meeting_data(title_ky="", title_ru="", place_ky="", place_ru=""),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Give the meeting a title in Kyrgyz or in Russian." in html
    assert "Say where the meeting takes place." in html
    assert "Ичүүчү суу түтүгүн оңдоо" in html  # the agenda item typed is still there
    assert not Meeting.objects.exists()


def test_announce_publishes_and_sends_to_active_subscribers_once(staff, mun_a, mun_b):
    ky = subscribe(mun_a, "telegram", "1234567", "ky")
    ru = subscribe(mun_a, "whatsapp", "+996 555 123 456", "ru")
    pending = subscribe(mun_a, "email", "p@example.kg", "ru")  # not confirmed yet
    gone = subscribe(mun_a, "telegram", "7654321", "ky")
    messaging.unsubscribe(gone.unsubscribe_token)
    subscribe(mun_b, "telegram", "5555555", "ky")  # another municipality
    assert pending.status == Subscriber.Status.PENDING
    OutboxMessage.objects.all().delete()  # the confirmation email

    meeting = make_meeting(mun_a, days=15, kind="gathering")
    page = staff.get(f"/karool/manage/meetings/{meeting.pk}/announce/").content.decode()
    assert "2 active subscribers will get the announcement." in page
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {"reason": ""})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED and meeting.announced_at
    assert meeting.short_notice_reason == ""

    msgs = {m.subscriber_id: m for m in OutboxMessage.objects.all()}
    assert set(msgs) == {ky.pk, ru.pk}
    assert msgs[ky.pk].source == f"meeting:{meeting.pk}:announce"
    assert "Айылдык жыйын болот" in msgs[ky.pk].body
    assert "2027-жылдын бюджетинин долбоору" in msgs[ky.pk].body
    assert "Сельский сход" in msgs[ru.pk].body and "Проект бюджета на 2027 год" in msgs[ru.pk].body
    assert f"https://jamaat.test/karool/meetings/{meeting.pk}/" in msgs[ru.pk].body

    # Announcing again (a double click, a second tab) sends nothing more.
    staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {"reason": ""})
    assert services.announce(None, meeting) == 0
    assert OutboxMessage.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="meeting", action="announce").count() == 1

    client = Client()
    assert meeting.title_ky in client.get("/karool/meetings/").content.decode()
    assert client.get(f"/karool/meetings/{meeting.pk}/").status_code == 200
    assert (
        meeting.title_ky
        in client.get("/karool/", HTTP_COOKIE="django_language=ky").content.decode()
    )


def test_announce_too_close_needs_a_reason(staff, mun_a):
    s = MeetingSettings.for_municipality(mun_a)
    assert s.notice_days == 10  # the default
    meeting = make_meeting(mun_a, days=4)
    subscribe(mun_a, "telegram", "1234567", "ky")
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {"reason": ""})
    assert r.status_code == 200
    html = r.content.decode()
    assert "residents should be told at least 10 days ahead" in html
    assert "Give the reason for the short notice" in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert not OutboxMessage.objects.filter(source__startswith="meeting:").exists()

    reason = "Суу түтүгү жарылды, шашылыш чечим керек."
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {"reason": reason})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED
    assert meeting.short_notice_reason == reason
    entry = AuditEntry.objects.get(object_type="meeting", action="announce")
    assert entry.changes["short notice reason"] == ["", reason]
    page = staff.get(f"/karool/manage/meetings/{meeting.pk}/").content.decode()
    assert reason in page  # shown in the history and the facts
    assert OutboxMessage.objects.filter(source=f"meeting:{meeting.pk}:announce").count() == 1


def test_notice_period_is_a_setting(staff, mun_a):
    s = MeetingSettings.for_municipality(mun_a)
    s.notice_days = 3
    s.save()
    meeting = make_meeting(mun_a, days=4)
    assert staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED and not meeting.short_notice_reason


def test_announcing_a_date_in_the_past_is_refused(staff, mun_a):
    meeting = make_meeting(mun_a, days=-1)
    reason = "Кеч калдык"
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/announce/", {"reason": reason})
    assert r.status_code == 200
    html = r.content.decode()
    assert "has already passed, so it cannot be announced" in html
    assert "record its attendance instead" in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert not OutboxMessage.objects.exists()
    # The meeting page says so and offers no announce button.
    page = staff.get(f"/karool/manage/meetings/{meeting.pk}/").content.decode()
    assert "can no longer be announced" in page
    assert f"/manage/meetings/{meeting.pk}/announce/" not in page


def test_an_announced_meeting_cannot_be_moved_into_the_past(staff, mun_a):
    meeting = make_meeting(mun_a, days=15, status=Meeting.Status.ANNOUNCED)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/edit/", meeting_data(days=-3))
    assert r.status_code == 200
    assert "An announced meeting cannot be moved to a time that has passed" in r.content.decode()
    before = meeting.starts_at
    meeting.refresh_from_db()
    assert meeting.starts_at == before


def test_cancel_an_announced_meeting_tells_subscribers(staff, mun_a):
    sub = subscribe(mun_a, "telegram", "1234567", "ru")
    meeting = make_meeting(mun_a, days=15)
    services.announce(None, meeting)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/cancel/", {"reason": ""})
    assert r.status_code == 200 and "This field is required" in r.content.decode()
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/cancel/", {"reason": "Карантин"})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.cancelled_reason == "Карантин"
    msg = OutboxMessage.objects.get(subscriber=sub, source=f"meeting:{meeting.pk}:cancel")
    assert "Отменяется" in msg.body and "Причина: Карантин" in msg.body
    held = make_held(mun_a)
    with pytest.raises(Exception, match="cannot be cancelled"):
        services.cancel(None, held, "late")


# --- attendance -------------------------------------------------------------------------------


def attendance_data(**kw):
    data = {"attendance_total": "120", "women": "", "men": "", "age_18_29": "",
            "age_30_44": "", "age_45_59": "", "age_60_plus": "", "eligible_count": "",
            "attendee_names": ""}  # fmt: skip
    data.update(kw)
    return data


def test_attendance_above_the_population_is_refused(staff, mun_a):
    meeting = make_meeting(mun_a, days=-1, status=Meeting.Status.ANNOUNCED)
    r = staff.post(
        f"/karool/manage/meetings/{meeting.pk}/attendance/",
        attendance_data(attendance_total="18000", women="9000"),
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "18000 participants is more than the whole population of Karool (17000)" in html
    assert 'value="9000"' in html  # nothing typed is lost
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED and meeting.attendance_total is None


def test_attendance_of_a_village_meeting_is_limited_by_its_population(staff, mun_a):
    village = Village.objects.get(municipality=mun_a)
    village.population = 800
    village.save()
    meeting = make_meeting(mun_a, days=-1)
    meeting.villages.add(village)
    r = staff.post(
        f"/karool/manage/meetings/{meeting.pk}/attendance/", attendance_data(attendance_total="900")
    )
    assert "more than the whole population of Кароол-1 (800)" in r.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"women": "70", "men": "40"},
            "Women (70) and men (40) add up to 110, but the total is 120.",
        ),
        ({"women": "130"}, "More than the total (120)."),
        (
            {"age_18_29": "20", "age_30_44": "40", "age_45_59": "35", "age_60_plus": "20"},
            "The age groups add up to 115, but the total is 120.",
        ),
        ({"age_18_29": "100", "age_30_44": "40"}, "The age groups add up to 140, more than"),
        ({"attendee_names": "Асанов Т."}, "Names may be recorded only with each person"),
    ],
)
def test_attendance_breakdowns_must_add_up(staff, mun_a, data, message):
    meeting = make_meeting(mun_a, days=-1)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/attendance/", attendance_data(**data))
    assert r.status_code == 200
    assert message in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_attendance_before_the_meeting_is_refused(staff, mun_a):
    meeting = make_meeting(mun_a, days=5, status=Meeting.Status.ANNOUNCED)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/attendance/", attendance_data())
    assert "Record the attendance after it has taken place." in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ANNOUNCED


def test_attendance_marks_held_and_records_evidence_once(staff, mun_a, approved_plan_a):
    meeting = make_meeting(mun_a, days=-2, status=Meeting.Status.ANNOUNCED)
    data = attendance_data(
        women="70", men="50", age_18_29="20", age_30_44="40", age_45_59="35", age_60_plus="25",
        attendee_names="Асанов Т.\nОсмонова А.", names_consent="on",
    )  # fmt: skip
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/attendance/", data)
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.attendance_total == 120
    ev = Evidence.objects.get(source=f"meetings.meeting:{meeting.pk}")
    assert ev.occurrence.activity.code == "2.1" and ev.occurrence.status == "done"
    assert ev.happened_on == meeting.local_start.date()
    assert ev.links == [f"https://jamaat.test/karool/meetings/{meeting.pk}/"]
    assert not Evidence.objects.filter(occurrence__activity__code="1.2").exists()
    # The presentation on local issues was shown: also evidence for 1.2; saving again adds nothing.
    staff.post(
        f"/karool/manage/meetings/{meeting.pk}/attendance/", {**data, "presentation_shown": "on"}
    )
    staff.post(
        f"/karool/manage/meetings/{meeting.pk}/attendance/", {**data, "presentation_shown": "on"}
    )
    assert Evidence.objects.filter(source=f"meetings.meeting:{meeting.pk}").count() == 1
    presentation = Evidence.objects.get(source=f"meetings.meeting:{meeting.pk}:presentation")
    assert presentation.occurrence.activity.code == "1.2"
    # Names are internal: never on the public page.
    assert "Осмонова А." not in staff.get(f"/karool/meetings/{meeting.pk}/").content.decode()


def test_a_held_meeting_without_a_plan_records_no_evidence(mun_a):
    meeting = make_meeting(mun_a, days=-2, attendance_total=10)
    services.record_attendance(None, meeting)
    assert meeting.is_held and not Evidence.objects.exists()


# --- quorum -----------------------------------------------------------------------------------


def set_rule(municipality, rule, **kw):
    s = MeetingSettings.for_municipality(municipality)
    s.quorum_rule = rule
    for k, v in kw.items():
        setattr(s, k, v)
    s.save()
    return s


@pytest.mark.parametrize(
    ("rule", "settings_kw", "meeting_kw", "state", "required"),
    [
        ("none", {}, {"attendance_total": 60}, quorum.NO_RULE, None),
        ("minimum", {"quorum_minimum": 50}, {"attendance_total": 60}, quorum.MET, 50),
        ("minimum", {"quorum_minimum": 50}, {"attendance_total": 49}, quorum.NOT_MET, 50),
        ("voters_share", {"quorum_percent": 10, "quorum_base": 1001}, {"attendance_total": 101},
         quorum.MET, 101),
        ("voters_share", {"quorum_percent": 10, "quorum_base": 1001}, {"attendance_total": 100},
         quorum.NOT_MET, 101),
        ("adults_share", {"quorum_percent": 50}, {"attendance_total": 100}, quorum.NO_BASE, None),
        ("adults_share", {"quorum_percent": 50}, {"attendance_total": 100, "eligible_count": 150},
         quorum.MET, 75),
        ("minimum", {"quorum_minimum": 50}, {}, quorum.NO_ATTENDANCE, 50),
    ],
)  # fmt: skip
def test_quorum_check(mun_a, rule, settings_kw, meeting_kw, state, required):
    s = set_rule(mun_a, rule, **settings_kw)
    meeting = make_meeting(mun_a, days=-1, **meeting_kw)
    q = quorum.check(meeting, s)
    assert (q.state, q.required) == (state, required)


def test_quorum_is_shown_clearly(staff, mun_a):
    client = Client()
    client.cookies["django_language"] = "en"
    set_rule(mun_a, "minimum", quorum_minimum=150)
    meeting = make_held(mun_a, total=120)
    page = staff.get(f"/karool/manage/meetings/{meeting.pk}/").content.decode()
    assert 'data-state="not_met"' in page
    assert "Quorum not met: 120 present, 150 required." in page
    public = client.get(f"/karool/meetings/{meeting.pk}/").content.decode()
    assert "Quorum not met" in public
    set_rule(mun_a, "none")
    page = staff.get(f"/karool/manage/meetings/{meeting.pk}/").content.decode()
    assert "No quorum rule is configured for this municipality." in page


def test_settings_validate_the_quorum_rule(staff, mun_a):
    data = {"notice_days": "14", "quorum_rule": "voters_share", "quorum_percent": "",
            "quorum_base": "20000", "quorum_minimum": "", "quorum_source": "",
            "default_chair": "Токтогулов Б.", "default_secretary": "", "sign_in_rows": "40"}  # fmt: skip
    html = staff.post("/karool/manage/meetings/settings/", data).content.decode()
    assert "Give the percentage for this rule." in html
    assert "More than the population of the municipality (17000)." in html
    data.update(quorum_percent="10", quorum_base="9000")
    assert staff.post("/karool/manage/meetings/settings/", data).status_code == 302
    s = MeetingSettings.for_municipality(mun_a)
    assert (s.notice_days, s.quorum_rule, s.quorum_base) == (14, "voters_share", 9000)
    # The usual chair fills in a new protocol.
    meeting = make_held(mun_a)
    assert (
        "Токтогулов Б."
        in staff.get(f"/karool/manage/meetings/{meeting.pk}/protocol/").content.decode()
    )


# --- the protocol -----------------------------------------------------------------------------


def protocol_data(**kw):
    data = {
        "protocol_number": "3", "chair": "Токтогулов Бакыт", "secretary": "Осмонова Айгүл",
        "questions_ky": "Көчө жарыгы", "questions_ru": "Освещение",
        "speakers-TOTAL_FORMS": "2", "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "Асанова Гүлнара", "speakers-0-summary_ky": "Суу жөнүндө",
        "speakers-0-summary_ru": "О воде",
        "decisions-TOTAL_FORMS": "2", "decisions-INITIAL_FORMS": "0",
        "decisions-0-text_ky": "Долбоорду колдоо", "decisions-0-text_ru": "Поддержать проект",
        "decisions-0-votes_for": "100", "decisions-0-votes_against": "15",
        "decisions-0-votes_abstained": "5",
    }  # fmt: skip
    data.update(kw)
    return data


def jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (1200, 1600), (240, 240, 240)).save(buf, "JPEG")
    return SimpleUploadedFile("signed.jpg", buf.getvalue(), content_type="image/jpeg")


def test_votes_above_attendance_are_refused(staff, mun_a):
    meeting = make_meeting(mun_a, days=-1, status=Meeting.Status.HELD, attendance_total=110)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/protocol/", protocol_data())
    assert r.status_code == 200
    html = r.content.decode()
    assert (
        "For, against and abstained add up to 120, more than the 110 participants recorded." in html
    )
    assert "Поддержать проект" in html and "Асанова Гүлнара" in html  # nothing lost
    assert not Decision.objects.exists() and not Speaker.objects.exists()
    meeting.refresh_from_db()
    assert meeting.chair == ""


def test_protocol_is_saved_and_the_scan_shown_publicly(staff, mun_a):
    client = Client()
    meeting = make_meeting(mun_a, days=-1, status=Meeting.Status.HELD, attendance_total=120)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/protocol/", protocol_data())
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.chair == "Токтогулов Бакыт" and meeting.protocol_number == "3"
    d = meeting.decisions.get()
    assert (d.votes_for, d.votes_against, d.votes_abstained, d.order) == (100, 15, 5, 10)
    assert meeting.speakers.get().summary_ru == "О воде"
    # Lowering the attendance below the votes is refused too.
    r = staff.post(
        f"/karool/manage/meetings/{meeting.pk}/attendance/", attendance_data(attendance_total="90")
    )
    assert (
        "A decision of this meeting has 120 votes, more than 90 participants." in r.content.decode()
    )

    public = client.get(f"/karool/meetings/{meeting.pk}/").content.decode()
    assert f"/karool/meetings/{meeting.pk}/protocol-ky.pdf" in public
    assert "Поддержать проект" in public or "Долбоорду колдоо" in public
    pdf = client.get(f"/karool/meetings/{meeting.pk}/protocol-ru.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    data = protocol_data(
        **{"decisions-INITIAL_FORMS": "1", "decisions-0-id": str(d.pk),
           "speakers-INITIAL_FORMS": "1", "speakers-0-id": str(meeting.speakers.get().pk),
           "scan": jpeg()}
    )  # fmt: skip
    assert staff.post(f"/karool/manage/meetings/{meeting.pk}/protocol/", data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.protocol_scan.name.startswith(f"meetings/{mun_a.pk}/protocols/")
    assert meeting.decisions.count() == 1
    public = client.get(f"/karool/meetings/{meeting.pk}/").content.decode()
    assert meeting.protocol_scan.url in public
    assert client.get(meeting.protocol_scan.url).status_code == 200


def test_scan_before_the_meeting_is_held_is_refused(staff, mun_a):
    meeting = make_meeting(mun_a, days=3, status=Meeting.Status.ANNOUNCED)
    r = staff.post(f"/karool/manage/meetings/{meeting.pk}/protocol/", protocol_data(scan=jpeg(), **{
        "decisions-0-votes_for": "", "decisions-0-votes_against": "",
        "decisions-0-votes_abstained": ""}))  # fmt: skip
    assert "Record the attendance first" in r.content.decode()
    meeting.refresh_from_db()
    assert not meeting.protocol_scan


def test_protocol_downloads_for_staff(staff, client, mun_a):
    meeting = make_held(mun_a)
    r = staff.get(f"/karool/manage/meetings/{meeting.pk}/protocol-ru.docx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    assert staff.get(f"/karool/manage/meetings/{meeting.pk}/protocol-en.docx").status_code == 404
    assert staff.get(f"/karool/manage/meetings/{meeting.pk}/protocol-ky.xlsx").status_code == 404
    sheet = staff.get(f"/karool/manage/meetings/{meeting.pk}/sign-in-ky.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF-")


def test_generated_protocol_is_public_only_once_held(staff, mun_a):
    client = Client()
    meeting = make_meeting(mun_a, days=5, status=Meeting.Status.ANNOUNCED)
    assert client.get(f"/karool/meetings/{meeting.pk}/protocol-ky.pdf").status_code == 404
    assert staff.get(f"/karool/meetings/{meeting.pk}/protocol-ky.pdf").status_code == 200
    poster = client.get(f"/karool/meetings/{meeting.pk}/poster-ru.pdf")
    assert poster.status_code == 200 and poster.content.startswith(b"%PDF-")


# --- tenants, home page, lists ------------------------------------------------------------------


def test_a_meeting_of_another_municipality_is_404(staff, mun_b):
    other = make_held(mun_b)
    for path in ("", "attendance/", "protocol/", "edit/", "protocol-ky.docx"):
        assert staff.get(f"/karool/manage/meetings/{other.pk}/{path}").status_code == 404, path
    assert staff.get(f"/karool/meetings/{other.pk}/").status_code == 404
    r = staff.post(f"/karool/manage/meetings/{other.pk}/attendance/", attendance_data())
    assert r.status_code == 404


def test_home_block_lists_upcoming_meetings_only(client, mun_a):
    soon = make_meeting(
        mun_a, days=12, status=Meeting.Status.ANNOUNCED, title_ky="Келе жаткан жыйын"
    )
    make_meeting(mun_a, days=12, title_ky="Долбоор жыйын")
    make_held(mun_a, title_ky="Өткөн жыйын")
    html = client.get("/karool/", HTTP_COOKIE="django_language=ky").content.decode()
    assert soon.title_ky in html
    assert "Долбоор жыйын" not in html and "Өткөн жыйын" not in html


def test_public_list_shows_upcoming_and_past(client, mun_a):
    make_meeting(mun_a, days=12, status=Meeting.Status.ANNOUNCED, title_ru="Будущий сход")
    make_held(mun_a, title_ru="Прошедший сход")
    make_meeting(mun_a, days=-30, status=Meeting.Status.CANCELLED, title_ru="Отменённый сход")
    make_meeting(mun_a, days=12, title_ru="Черновик")
    html = client.get("/karool/meetings/", HTTP_COOKIE="django_language=ru").content.decode()
    upcoming, past = html.split('id="h-past"')
    assert "Будущий сход" in upcoming
    assert "Прошедший сход" in past and "Отменённый сход" in past
    assert "Черновик" not in html


def _many(municipality, n):
    villages = list(Village.objects.filter(municipality=municipality))
    for i in range(n):
        held = make_held(municipality, days=-(i + 1), total=10 + i)
        held.villages.set(villages)
        make_meeting(municipality, days=20 + i, status=Meeting.Status.ANNOUNCED).villages.set(
            villages
        )


@pytest.mark.parametrize("url", ["/karool/meetings/", "/karool/manage/meetings/", "/karool/"])
def test_query_count_does_not_grow_with_meetings(staff, mun_a, django_assert_max_num_queries, url):
    _many(mun_a, 2)
    with django_assert_max_num_queries(40) as small:
        assert staff.get(url).status_code == 200
    _many(mun_a, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff.get(url).status_code == 200


def test_meeting_pages_have_constant_queries(staff, mun_a, django_assert_max_num_queries):
    small = make_held(mun_a)
    with django_assert_max_num_queries(40) as base:
        assert staff.get(f"/karool/manage/meetings/{small.pk}/").status_code == 200
    big = make_held(mun_a)
    for i in range(15):
        Decision.objects.create(meeting=big, order=20 + i, text_ky=f"Чечим {i}", votes_for=1)
        Speaker.objects.create(meeting=big, order=20 + i, name=f"Сүйлөөчү {i}")
    with django_assert_max_num_queries(len(base.captured_queries)):
        assert staff.get(f"/karool/manage/meetings/{big.pk}/").status_code == 200
    with django_assert_max_num_queries(len(base.captured_queries)):
        assert staff.get(f"/karool/meetings/{big.pk}/").status_code == 200


def test_deputy_reads_but_cannot_record(client, people, mun_a):
    meeting = make_meeting(mun_a, days=-1)
    client.login(username="deputy_a", password=PASSWORD)
    assert client.get(f"/karool/manage/meetings/{meeting.pk}/").status_code == 200
    assert (
        client.post(
            f"/karool/manage/meetings/{meeting.pk}/attendance/", attendance_data()
        ).status_code
        == 403
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
