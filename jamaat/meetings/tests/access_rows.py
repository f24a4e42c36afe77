"""Meetings rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from datetime import timedelta

from django.utils import timezone

from jamaat.meetings.models import AgendaItem, Decision, Meeting, MeetingSettings, Speaker

# key -> (status, days from now, attendance)
KINDS = {
    "draft": (Meeting.Status.DRAFT, 20, None),
    "announced": (Meeting.Status.ANNOUNCED, 20, None),
    "past": (Meeting.Status.DRAFT, -2, None),
    "held": (Meeting.Status.HELD, -2, 60),
}


def _meeting(t, key: str) -> Meeting:
    status, days, attendance = KINDS[key]
    meeting, created = Meeting.objects.get_or_create(
        municipality=t.municipality,
        title_ky=f"MATRIX-{key}",
        defaults={
            "status": status,
            "starts_at": timezone.now() + timedelta(days=days),
            "place_ky": "Зал",
            "attendance_total": attendance,
        },
    )
    if created:
        AgendaItem.objects.create(meeting=meeting, order=10, text_ky="Суу")
    return meeting


def fingerprint():
    return (
        tuple(
            Meeting.objects.order_by("pk").values_list(
                "pk", "status", "title_ky", "starts_at", "attendance_total", "chair"
            )
        ),
        tuple(MeetingSettings.objects.order_by("pk").values_list("pk", "notice_days")),
        AgendaItem.objects.count(),
        Speaker.objects.count(),
        Decision.objects.count(),
    )


def rows(m):
    Row, needs, public, C, V, R, OK, DONE, HIDDEN = (
        m.Row, m.needs, m.public, m.C, m.V, m.R, m.OK, m.DONE, m.HIDDEN,
    )  # fmt: skip

    def url(key, path=""):
        return lambda w, t: f"/{t.slug}/meetings/{_meeting(t, key).pk}/{path}"

    def manage(key, path=""):
        return lambda w, t: f"/{t.slug}/manage/meetings/{_meeting(t, key).pk}/{path}"

    def insiders_only(w):
        return OK if V in w.perms else HIDDEN

    def meeting_data(w, t):
        return {
            "kind": "hearing", "title_ky": "MATRIX-SAVED", "title_ru": "", "date": "2030-05-10",
            "time": "10:00", "place_ky": "Зал", "place_ru": "", "contacts": "",
            "agenda-TOTAL_FORMS": "1", "agenda-INITIAL_FORMS": "0", "agenda-0-text_ky": "Жол",
        }  # fmt: skip

    def meeting_saved(w, t):
        assert Meeting.objects.filter(municipality=t.municipality, title_ky="MATRIX-SAVED").exists()

    def settings_url(w, t):
        MeetingSettings.for_municipality(t.municipality)  # exists before a refused POST
        return f"/{t.slug}/manage/meetings/settings/"

    def settings_data(w, t):
        return {"notice_days": "21", "quorum_rule": "minimum", "quorum_minimum": "30",
                "quorum_percent": "", "quorum_base": "", "quorum_source": "",
                "default_chair": "", "default_secretary": "", "sign_in_rows": "40"}  # fmt: skip

    def settings_done(w, t):
        assert MeetingSettings.objects.get(municipality=t.municipality).notice_days == 21

    def status_is(key, status):
        def done(w, t):
            assert Meeting.objects.get(pk=_meeting(t, key).pk).status == status

        return done

    def attendance_data(w, t):
        return {"attendance_total": "45", "women": "", "men": "", "age_18_29": "",
                "age_30_44": "", "age_45_59": "", "age_60_plus": "", "eligible_count": "",
                "attendee_names": ""}  # fmt: skip

    def protocol_data(w, t):
        return {"protocol_number": "1", "chair": "MATRIX-CHAIR", "secretary": "",
                "questions_ky": "", "questions_ru": "",
                "speakers-TOTAL_FORMS": "0", "speakers-INITIAL_FORMS": "0",
                "decisions-TOTAL_FORMS": "1", "decisions-INITIAL_FORMS": "0",
                "decisions-0-text_ky": "Чечим", "decisions-0-votes_for": "40"}  # fmt: skip

    def protocol_done(w, t):
        meeting = Meeting.objects.get(pk=_meeting(t, "held").pk)
        assert meeting.chair == "MATRIX-CHAIR" and meeting.decisions.count() == 1

    def api_check(response, who, t):
        ids = {m["id"] for m in response.json()}
        public = set(
            Meeting.objects.for_municipality(t.municipality).public().values_list("pk", flat=True)
        )
        assert ids == public and _meeting(t, "draft").pk not in ids

    def api_url(w, t):
        _meeting(t, "draft"), _meeting(t, "announced"), _meeting(t, "held")
        return f"/api/v1/municipalities/{t.slug}/meetings/"

    def pdf_check(response, who, t):
        assert response.content.startswith(b"%PDF-")

    def docx_check(response, who, t):
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")

    P = "<slug>/manage/meetings/<pk>/"
    return [
        Row("meetings", "<slug>/meetings/", "GET", public, m.u("meetings/")),
        Row("meeting", "<slug>/meetings/<pk>/", "GET", public, url("announced"),
            check=m.no_internal_links),
        Row("meeting_draft", "<slug>/meetings/<pk>/", "GET", insiders_only, url("draft")),
        Row("protocol_pdf", "<slug>/meetings/<pk>/protocol-<lang>.pdf", "GET", public,
            url("held", "protocol-ky.pdf"), check=pdf_check),
        Row("protocol_pdf_early", "<slug>/meetings/<pk>/protocol-<lang>.pdf", "GET",
            insiders_only, url("announced", "protocol-ru.pdf")),
        Row("poster", "<slug>/meetings/<pk>/poster-<lang>.pdf", "GET", public,
            url("announced", "poster-ky.pdf"), check=pdf_check),
        Row("poster_draft", "<slug>/meetings/<pk>/poster-<lang>.pdf", "GET", insiders_only,
            url("draft", "poster-ru.pdf")),
        Row("meetings_manage", "<slug>/manage/meetings/", "GET", needs(V), m.u("manage/meetings/")),
        Row("meeting_new", "<slug>/manage/meetings/new/", "GET", needs(C),
            m.u("manage/meetings/new/")),
        Row("meeting_new", "<slug>/manage/meetings/new/", "POST", needs(C, DONE),
            m.u("manage/meetings/new/"), data=meeting_data, done=meeting_saved),
        Row("meeting_settings", "<slug>/manage/meetings/settings/", "GET", needs(C), settings_url),
        Row("meeting_settings", "<slug>/manage/meetings/settings/", "POST", needs(C, DONE),
            settings_url, data=settings_data, done=settings_done),
        Row("meeting_manage", P, "GET", needs(V), manage("draft")),
        Row("meeting_edit", P + "edit/", "GET", needs(C), manage("draft", "edit/")),
        Row("meeting_edit", P + "edit/", "POST", needs(C, DONE), manage("draft", "edit/"),
            data=meeting_data, done=meeting_saved),
        Row("meeting_announce", P + "announce/", "GET", needs(C), manage("draft", "announce/")),
        Row("meeting_announce", P + "announce/", "POST", needs(C, DONE),
            manage("draft", "announce/"), data=lambda w, t: {"reason": "matrix"},
            done=status_is("draft", Meeting.Status.ANNOUNCED)),
        Row("meeting_cancel", P + "cancel/", "GET", needs(C), manage("draft", "cancel/")),
        Row("meeting_cancel", P + "cancel/", "POST", needs(C, DONE), manage("draft", "cancel/"),
            data=lambda w, t: {"reason": "matrix"},
            done=status_is("draft", Meeting.Status.CANCELLED)),
        Row("meeting_attendance", P + "attendance/", "GET", needs(R),
            manage("past", "attendance/")),
        Row("meeting_attendance", P + "attendance/", "POST", needs(R, DONE),
            manage("past", "attendance/"), data=attendance_data,
            done=status_is("past", Meeting.Status.HELD)),
        Row("meeting_protocol", P + "protocol/", "GET", needs(R), manage("held", "protocol/")),
        Row("meeting_protocol", P + "protocol/", "POST", needs(R, DONE),
            manage("held", "protocol/"), data=protocol_data, done=protocol_done),
        Row("protocol_download", P + "protocol-<lang>.<fmt>", "GET", needs(V),
            manage("held", "protocol-ky.docx"), check=docx_check),
        Row("sign_in", P + "sign-in-<lang>.pdf", "GET", needs(V), manage("draft", "sign-in-ru.pdf"),
            check=pdf_check),
        Row("api_meetings", "api/v1/municipalities/<slug>/meetings/", "GET", public, api_url,
            check=api_check),
    ]  # fmt: skip
