import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from jamaat.conftest import PASSWORD
from jamaat.news.models import Post
from jamaat.news.services import record_publication
from jamaat.plans import services as plan_services
from jamaat.plans.models import Activity, Evidence, Occurrence
from jamaat.reports import services, tasks
from jamaat.reports.models import MonthlyReport, next_month, previous_month
from jamaat.reports.pdf import markdown_blocks

TODAY = timezone.localdate


def LAST():  # noqa: N802
    """The month just ended."""
    return previous_month(timezone.localdate())


def url(report_or_month, suffix="", manage=False):
    month = report_or_month if isinstance(report_or_month, date) else report_or_month.month
    return f"/karool/{'manage/' if manage else ''}reports/{month:%Y-%m}/{suffix}"


def aware(day: date, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def post(municipality, title_ky, title_ru, day, status=Post.Status.PUBLISHED):
    p = Post.objects.create(
        municipality=municipality, title_ky=title_ky, title_ru=title_ru, body_ky="текст",
        status=status,
    )  # fmt: skip
    Post.objects.filter(pk=p.pk).update(publish_at=aware(day))
    return Post.objects.get(pk=p.pk)


def done(plan, code, day, text, links=()):
    occ = (
        Occurrence.objects.filter(activity__plan=plan, activity__code=code)
        .filter(window_start__lte=day, window_end__gte=day)
        .first()
    ) or Occurrence.objects.filter(activity__plan=plan, activity__code=code, due__gte=day).first()
    return plan_services.record_evidence(
        None,
        occ,
        plan_services.EvidenceInput("done", day, text=text, links=list(links)),
    )


@pytest.fixture
def staff(client, people):
    client.login(username="staff_a", password=PASSWORD)
    return client


@pytest.fixture
def month_records(approved_plan_a, mun_a):
    """The month just ended in Karool: 1.3 done, one published news post (1.1 evidence)."""
    month = LAST()
    done(approved_plan_a, "1.3", month.replace(day=12), "Дайджест WhatsApp топторуна жөнөтүлдү",
         ["https://example.kg/digest"])  # fmt: skip
    news = post(mun_a, "Суу түтүгү оңдолду", "Отремонтирован водопровод", month.replace(day=5))
    record_publication(news.pk)
    # not in the report: a draft post, a post of the month before, a post of this month
    post(mun_a, "Долбоор жаңылык", "", month.replace(day=6), status=Post.Status.DRAFT)
    post(mun_a, "Мурунку айдын жаңылыгы", "", previous_month(month).replace(day=20))
    return month, news


# --- compiling -----------------------------------------------------------------------------------


def test_compile_draft_includes_the_months_work_and_news_and_is_idempotent(month_records, mun_a):
    month, news = month_records
    result = services.compile_draft(mun_a, month)
    assert result.outcome == services.Outcome.CREATED
    report = result.report
    assert report.status == MonthlyReport.Status.DRAFT and report.month == month
    ky, ru = report.body_ky, report.body_ru
    # the plan's occurrences done in the month, with text and links
    assert "**1.3.**" in ky and "Дайджест WhatsApp топторуна жөнөтүлдү" in ky
    assert "(https://example.kg/digest)" in ky and "[шилтеме]" in ky and "[ссылка]" in ru
    # the month's published news, titles with links, each in its own language
    assert f"[Суу түтүгү оңдолду](http://127.0.0.1:8000/karool/news/{news.pk}/)" in ky
    assert "[Отремонтирован водопровод]" in ru
    assert "Долбоор жаңылык" not in ky and "Мурунку айдын" not in ky
    # the summary line: 1.1 (by the post) and 1.3 = two activities, one news post
    assert "пландын 2 иш-чарасын аткарды жана веб-сайтта 1 жаңылык жарыялады" in ky
    assert "выполнил 2 мероприятия плана" in ru and "опубликовал на веб-сайте 1 новость" in ru
    assert report.title_ky.startswith("Кароол айыл аймагы: ")
    assert report.title_ru.startswith("Айылный аймак Кароол: информация о проделанной работе за ")
    assert report.figures["activities"] == 2 and report.figures["news"] == 1

    again = services.compile_draft(mun_a, month)
    assert again.outcome == services.Outcome.UNCHANGED
    assert again.report.pk == report.pk and again.report.compiled_at == report.compiled_at
    assert MonthlyReport.objects.count() == 1

    post(mun_a, "Көпүрө курулду", "Построен мост", month.replace(day=15))
    updated = services.compile_draft(mun_a, month)
    assert updated.outcome == services.Outcome.UPDATED
    assert "Көпүрө курулду" in updated.report.body_ky
    assert "2 жаңылык жарыялады" in updated.report.body_ky


def test_compile_draft_of_an_empty_month_says_so(plan_a, mun_a):
    report = services.compile_draft(mun_a, LAST()).report
    assert "аткарылган иштер жана жаңылыктар катталган эмес" in report.body_ky
    assert "выполненные мероприятия плана и новости не зарегистрированы" in report.body_ru


def test_other_municipalitys_records_are_not_included(month_records, plan_b, mun_b):
    month, _ = month_records
    report = services.compile_draft(mun_b, month).report
    assert "Суу түтүгү" not in report.body_ky and "1.3" not in report.body_ky


def test_recompile_does_not_clobber_staff_edits_unless_confirmed(staff, month_records, mun_a):
    month, _ = month_records
    report = services.compile_draft(mun_a, month).report
    edited = report.body_ky + "\nКошумча: айыл чарба жыйыны өттү.\n"
    r = staff.post(url(report, manage=True), {
        "title_ky": report.title_ky, "body_ky": edited, "title_ru": report.title_ru,
        "body_ru": report.body_ru, "action": "save",
    })  # fmt: skip
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.edited_by_staff and "Кошумча: айыл чарба жыйыны өттү." in report.body_ky
    saved_body = report.body_ky

    # the 20th's automatic compile leaves it alone
    assert services.compile_draft(mun_a, month).outcome == services.Outcome.KEPT_EDITS
    report.refresh_from_db()
    assert report.body_ky == saved_body

    # the recompile button asks first; without the tick nothing changes
    page = staff.get(url(report, "recompile/", manage=True))
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    r = staff.post(url(report, "recompile/", manage=True), {})
    assert r.status_code == 200
    report.refresh_from_db()
    assert report.body_ky == saved_body and report.edited_by_staff

    r = staff.post(url(report, "recompile/", manage=True), {"confirm": "on"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert "Кошумча" not in report.body_ky and not report.edited_by_staff


def test_preview_shows_the_text_without_saving(staff, plan_a, mun_a):
    report = services.compile_draft(mun_a, LAST()).report
    r = staff.post(url(report, manage=True), {
        "title_ky": "Жаңы аталыш", "body_ky": "## Башкы\n\n**калың** текст", "title_ru": "",
        "body_ru": "", "action": "preview",
    })  # fmt: skip
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h2>Башкы</h2>" in html and "<strong>калың</strong>" in html
    report.refresh_from_db()
    assert report.title_ky != "Жаңы аталыш" and not report.edited_by_staff


# --- the schedule ---------------------------------------------------------------------------------


def test_the_20th_compiles_the_previous_month_for_municipalities_with_a_plan(
    plan_a, plan_b, mun_a, mun_b
):
    from jamaat.conftest import make_municipality

    without_plan = make_municipality("shark", name_ky="Шарк", name_ru="Шарк")
    counts = services.compile_due_drafts(date(2026, 3, 20))
    assert counts == {services.Outcome.CREATED: 2}
    months = set(MonthlyReport.objects.values_list("municipality__slug", "month"))
    assert months == {("karool", date(2026, 2, 1)), ("tokmok", date(2026, 2, 1))}
    assert not MonthlyReport.objects.filter(municipality=without_plan).exists()
    # run again (a retry): nothing new, nothing overwritten
    assert services.compile_due_drafts(date(2026, 3, 20)) == {services.Outcome.UNCHANGED: 2}


def test_periodic_tasks_run_at_bishkek_time():
    draft = tasks.local_schedule((20,), 9)
    # 09:00 in Bishkek (UTC+6) is 03:00 UTC; Huey's clock is naive UTC by default
    assert draft(datetime(2026, 11, 20, 3, 0))
    assert not draft(datetime(2026, 11, 20, 9, 0))
    assert not draft(datetime(2026, 11, 21, 3, 0))
    assert draft(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    remind = tasks.local_schedule((22, 25), 8)
    assert remind(datetime(2026, 11, 22, 2, 0)) and remind(datetime(2026, 11, 25, 2, 0))
    assert not remind(datetime(2026, 11, 23, 2, 0))
    assert tasks.compile_monthly_drafts.retries and tasks.monthly_report_reminders.retries
    assert tasks.send_report_reminder.retries


def test_reminders_go_to_the_15_responsible_persons_while_unpublished(plan_a, people, mun_a):
    activity = Activity.objects.get(plan=plan_a, code="1.5")
    activity.responsible_persons.set([people["staff_a"], people["deputy_a"]])
    people["deputy_a"].language = "ru"
    people["deputy_a"].save()
    # someone responsible for other activities only gets nothing
    Activity.objects.get(plan=plan_a, code="1.1").responsible_persons.add(people["head_a"])

    assert tasks.queue_reminders(date(2026, 3, 22)) == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"staff_a@example.kg", "deputy_a@example.kg"}
    assert "2026-жылдын февраль айы" in by_person["staff_a@example.kg"].body
    assert "февраль 2026 года" in by_person["deputy_a@example.kg"].body
    assert "/karool/manage/reports/" in by_person["staff_a@example.kg"].body  # no draft yet

    # a draft exists: the link goes to it
    mail.outbox.clear()
    report = services.compile_draft(mun_a, date(2026, 2, 1)).report
    tasks.queue_reminders(date(2026, 3, 25))
    assert len(mail.outbox) == 2
    assert report.get_edit_url() in mail.outbox[0].body

    # published: no reminder on the 25th
    mail.outbox.clear()
    services.publish(people["staff_a"], report)
    assert tasks.queue_reminders(date(2026, 3, 25)) == 0
    assert (
        tasks.send_report_reminder.call_local(mun_a.pk, people["staff_a"].pk, "2026-03-25") is False
    )
    assert mail.outbox == []


# --- publishing -----------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_publishing_records_15_evidence_once_and_makes_a_bilingual_pdf(
    staff, client, month_records, mun_a
):
    month, _ = month_records
    report = services.compile_draft(mun_a, month).report
    data = {
        "title_ky": report.title_ky, "body_ky": report.body_ky, "title_ru": report.title_ru,
        "body_ru": report.body_ru, "action": "publish",
    }  # fmt: skip
    r = staff.post(url(report, manage=True), data)
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.PUBLISHED
    assert report.published_by.username == "staff_a" and report.published_at
    assert report.pdf.name.startswith(f"reports/{mun_a.pk}/")

    evidence = Evidence.objects.get(source=f"reports.monthly:{report.pk}")
    occ = evidence.occurrence
    assert occ.activity.code == "1.5" and occ.status == Occurrence.Status.DONE
    # the report of month M-1 is the evidence of M's occurrence (window 1st–25th of M)
    assert occ.key == f"{next_month(month):%Y-%m}"
    assert evidence.happened_on == min(TODAY(), next_month(month).replace(day=25))
    assert evidence.links == [f"http://127.0.0.1:8000{report.get_absolute_url()}"]

    # publishing again (e.g. a correction) records nothing new
    r = staff.post(url(report, manage=True), {**data, "body_ky": data["body_ky"] + "\nОңдоо."})
    assert r.status_code == 302
    assert Evidence.objects.filter(source=f"reports.monthly:{report.pk}").count() == 1

    report.refresh_from_db()  # the correction made a new PDF
    with report.pdf.open("rb") as fh:
        content = fh.read()
    reader = PdfReader(io.BytesIO(content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4 portrait
    assert reader.pages[0].mediabox.height == pytest.approx(841.9, abs=1)
    text = pdf_text(content)
    month_ky = f"{month.year}-жылдын"
    for expected in ("Кароол айыл аймагы", "Айылный аймак Кароол", month_ky,
                     f"{report.month_label('ru')}", "ң", "ө", "ү", "Суу түтүгү оңдолду",
                     "Отремонтирован водопровод", "Оңдоо"):  # fmt: skip
        assert expected in text, expected
    assert report.month_label("ky") in " ".join(text.split())

    # the public download
    client.logout()
    r = client.get(url(report, "pdf/"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content)[:5] == b"%PDF-"


def test_late_publication_counts_for_the_month_it_was_due(plan_a, people, mun_a):
    """A report of month M-1 published after the 25th of M still closes M's occurrence."""
    old = previous_month(previous_month(LAST()))
    report = services.compile_draft(mun_a, old).report
    with translation.override("en"):
        evidence = services.publish(people["staff_a"], report)
    assert evidence.occurrence.key == f"{next_month(old):%Y-%m}"
    assert evidence.happened_on == next_month(old).replace(day=25)
    assert "after the 25th" in evidence.text


def test_publishing_an_empty_report_is_refused_with_a_clear_message(staff, plan_a, mun_a):
    staff.cookies["django_language"] = "en"
    report = services.compile_draft(mun_a, LAST()).report
    r = staff.post(url(report, manage=True), {
        "title_ky": report.title_ky, "body_ky": "  ", "title_ru": report.title_ru,
        "body_ru": "", "action": "publish",
    }, follow=True)  # fmt: skip
    html = r.content.decode()
    assert r.status_code == 200
    assert "The report is empty" in html
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT and not report.pdf
    assert not Evidence.objects.filter(source__startswith="reports.monthly:").exists()


def test_a_text_without_a_title_is_refused(plan_a, people, mun_a):
    report = services.compile_draft(mun_a, LAST()).report
    report.title_ru = ""
    with pytest.raises(ValidationError):
        services.publish(people["staff_a"], report)


def test_a_month_that_has_not_ended_is_refused(staff, plan_a, mun_a):
    staff.cookies["django_language"] = "en"
    this_month = TODAY().replace(day=1)
    for month in (this_month, next_month(this_month), next_month(next_month(this_month))):
        with pytest.raises(ValidationError):
            services.compile_draft(mun_a, month)
        r = staff.post("/karool/manage/reports/", {"month": f"{month:%Y-%m}"})
        assert r.status_code == 200
        assert "has not ended" in r.content.decode() or "future" in r.content.decode()
    assert not MonthlyReport.objects.exists()
    assert staff.get(url(next_month(this_month), manage=True)).status_code == 404
    assert staff.get("/karool/reports/2026-13/").status_code == 404


def test_staff_list_shows_statuses_and_due_dates(staff, plan_a, mun_a):
    last = LAST()
    report = services.compile_draft(mun_a, previous_month(previous_month(last))).report
    html = staff.get("/karool/manage/reports/").content.decode()
    assert report.get_edit_url() in html
    assert f"{report.publish_due:%d.%m.%Y}" in html and f"{report.draft_due:%d.%m.%Y}" in html
    assert "badge overdue" in html  # its 25th has passed and it is still a draft
    r = staff.post("/karool/manage/reports/", {"month": f"{last:%Y-%m}"})
    assert r.status_code == 302 and r["Location"].endswith(f"/manage/reports/{last:%Y-%m}/")


# --- public pages -----------------------------------------------------------------------------------


def test_public_pages_show_published_reports_only(client, people, plan_a, mun_a):
    last = LAST()
    draft = services.compile_draft(mun_a, last).report
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(draft, "pdf/")).status_code == 404
    assert draft.title_ky not in client.get("/karool/reports/").content.decode()

    client.force_login(people["deputy_a"])  # insiders see a marked preview
    client.cookies["django_language"] = "en"
    r = client.get(url(draft))
    assert r.status_code == 200 and "not published yet" in r.content.decode()
    pdf = client.get(url(draft, "pdf/"))
    assert pdf.status_code == 200 and "ДОЛБООР" in pdf_text(pdf.content)
    client.logout()

    services.publish(people["staff_a"], draft)
    r = client.get(url(draft), HTTP_COOKIE="django_language=ky")
    html = r.content.decode()
    assert r.status_code == 200 and draft.title_ky in html and "pdf/" in html
    assert draft.title_ky in client.get("/karool/reports/").content.decode()

    home = client.get("/karool/").content.decode()  # the municipality's public home
    assert 'id="h-report"' in home and draft.get_absolute_url() in home


def test_a_report_in_kyrgyz_only_is_shown_to_russian_readers_with_a_note(
    client, people, plan_a, mun_a
):
    report = services.compile_draft(mun_a, LAST()).report
    report.title_ru = report.body_ru = ""
    report.save()
    services.publish(people["staff_a"], report)
    client.cookies["django_language"] = "ru"
    html = client.get(url(report)).content.decode()
    assert report.title_ky in html and 'lang="ky"' in html
    assert "Kyrgyz only" in html or "кыргыз" in html.lower()


def test_markdown_becomes_pdf_blocks():
    blocks = markdown_blocks(
        "Салам **калың** [шилтеме](https://x.kg)\n\n## Башкы\n\n- бир\n- эки\n\n1. биринчи\n"
    )
    kinds = [b["kind"] for b in blocks]
    assert kinds == ["p", "h2", "li", "li", "li"]
    assert {"t": "калың", "b": True} in blocks[0]["spans"]
    assert any(s.get("href") == "https://x.kg" for s in blocks[0]["spans"])
    assert blocks[-1]["marker"] == "1."


def test_hostile_text_cannot_break_the_pdf(plan_a, people, mun_a):
    report = services.compile_draft(mun_a, LAST()).report
    report.body_ky = '#set page(width: 1cm) ]) } " \\ $x$ <script>alert(1)</script> @ref'
    report.save()
    services.publish(people["staff_a"], report)
    with report.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    # typst syntax arrives as plain text (the "#" is Markdown's heading mark; nh3 drops <script>)
    flat = " ".join(text.split())
    assert 'set page(width: 1cm) ]) } " \\ $x$' in flat and "@ref" in flat
    assert "alert" not in flat


def test_edit_pages_need_manage_content(client, people, plan_a, mun_a):
    report = services.compile_draft(mun_a, LAST()).report
    client.force_login(people["deputy_a"])
    assert client.get("/karool/manage/reports/").status_code == 200
    assert client.get(url(report, manage=True)).status_code == 403
    r = client.post("/karool/manage/reports/", {"month": f"{LAST() - timedelta(days=40):%Y-%m}"})
    assert r.status_code == 403
    assert MonthlyReport.objects.count() == 1
