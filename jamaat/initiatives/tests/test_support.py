"""Support: online with a code (right, wrong, expired, duplicate, too many), and on paper."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jamaat.initiatives import services
from jamaat.initiatives.models import Initiative, PaperSheet, Status, Support, SupportCode
from jamaat.initiatives.tests.conftest import PHONE, jpeg, make_initiative, pdf
from jamaat.messaging.codes import MemoryCodeSender, MessagingCodeSender
from jamaat.messaging.models import Channel, OutboxMessage, ProviderAccount

SUPPORTER = "+996 700 12 34 56"
SUPPORTER_E164 = "+996700123456"


@pytest.fixture
def initiative(mun_a):
    return make_initiative(mun_a, title="Спорт аянтчасы")


def ask_code(client, initiative, phone=SUPPORTER):
    return client.post(
        f"/karool/initiatives/{initiative.pk}/support/",
        {"phone": phone, "consent": "on", "consent_lang": "en"},
    )


def last_code() -> str:
    return MemoryCodeSender.sent[-1].code


def test_support_with_the_right_code_is_counted_and_shown(en, initiative):
    r = ask_code(en, initiative)
    assert r.status_code == 302
    pending = SupportCode.objects.get()
    assert r["Location"] == f"/karool/initiatives/{initiative.pk}/support/{pending.token}/"
    sent = MemoryCodeSender.sent[-1]
    assert sent.phone == SUPPORTER_E164 and len(sent.code) == 6 and sent.code.isdigit()
    assert sent.code in sent.text and " 10 " in sent.text
    assert sent.language == "ky"  # the English UI is not a content language: Kyrgyz
    assert sent.code not in pending.code_hash  # hashed at rest
    page = en.get(r["Location"]).content.decode()
    assert "+996 ••• •• 34 56" in page

    r = en.post(r["Location"], {"code": f" {sent.code[:3]} {sent.code[3:]} "})
    assert r.status_code == 302
    assert r["Location"] == f"/karool/initiatives/{initiative.pk}/#support"
    support = Support.objects.get()
    assert support.phone == SUPPORTER_E164
    assert "count my support once" in support.consent_text
    initiative.refresh_from_db()
    assert initiative.support_online == 1
    html = en.get(r["Location"]).content.decode()
    assert "Thank you! Your support is counted." in html
    assert '<p class="big">1</p>' in html
    assert "700" not in html


def test_wrong_code_says_how_many_attempts_are_left(en, initiative):
    location = ask_code(en, initiative)["Location"]
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    r = en.post(location, {"code": wrong})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Wrong code. You have 4 more attempts." in html
    assert f'value="{wrong}"' in html  # what was typed stays
    assert not Support.objects.exists()
    r = en.post(location, {"code": wrong})
    assert "3 more attempts" in r.content.decode()
    # the right code still works within the attempts
    assert en.post(location, {"code": right}).status_code == 302
    assert Support.objects.count() == 1


def test_five_wrong_codes_lock_the_code(en, initiative):
    location = ask_code(en, initiative)["Location"]
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        en.post(location, {"code": wrong})
    r = en.post(location, {"code": wrong})
    assert "that was the last attempt" in r.content.decode()
    r = en.post(location, {"code": right})  # even the right code is refused now
    assert "Too many wrong codes" in r.content.decode()
    assert not Support.objects.exists()
    assert "Send a new code" in r.content.decode()


def test_expired_code_is_refused_and_a_new_one_can_be_sent(en, initiative):
    location = ask_code(en, initiative)["Location"]
    right = last_code()
    SupportCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = en.post(location, {"code": right})
    html = r.content.decode()
    assert "The code has expired" in html
    assert not Support.objects.exists()
    # the resend form carries the phone: nothing to type again
    assert f'name="phone" value="{SUPPORTER_E164}"' in html
    r = ask_code(en, initiative, phone=SUPPORTER_E164)
    assert r["Location"] != location
    assert SupportCode.objects.count() == 2
    assert en.post(r["Location"], {"code": last_code()}).status_code == 302
    assert Support.objects.count() == 1


def test_expires_after_ten_minutes(initiative):
    pending = services.start_support(initiative, SUPPORTER, language="ky", consent_text="c")
    assert pending.expires_at - pending.created_at == timedelta(minutes=10)


def test_duplicate_support_from_the_same_phone(en, initiative):
    location = ask_code(en, initiative)["Location"]
    en.post(location, {"code": last_code()})
    sent_before = len(MemoryCodeSender.sent)
    r = ask_code(en, initiative, phone="0700123456")  # the same number, written differently
    html = r.content.decode()
    assert r.status_code == 200
    assert "This phone number has already supported this initiative." in html
    assert 'value="0700123456"' in html  # the phone stays filled
    assert len(MemoryCodeSender.sent) == sent_before  # no code sent
    assert Support.objects.count() == 1
    # the same confirmation link again does not count twice
    r = en.post(location, {"code": last_code()})
    assert "already supported" in r.content.decode()
    initiative.refresh_from_db()
    assert initiative.support_online == 1


def test_same_phone_may_support_another_initiative(en, mun_a, initiative):
    other = make_initiative(mun_a, title="Көпүрө")
    en.post(ask_code(en, initiative)["Location"], {"code": last_code()})
    en.post(ask_code(en, other)["Location"], {"code": last_code()})
    assert Support.objects.count() == 2


def test_asking_again_within_a_minute_sends_no_second_code(en, initiative):
    first = ask_code(en, initiative)["Location"]
    second = ask_code(en, initiative)["Location"]
    assert first == second
    assert len(MemoryCodeSender.sent) == 1


def test_bad_phone_is_explained(en, initiative):
    r = ask_code(en, initiative, phone="12-34")
    assert "Enter a Kyrgyz mobile number" in r.content.decode()
    assert 'value="12-34"' in r.content.decode()
    assert not SupportCode.objects.exists()


def test_support_closed_once_implemented_or_rejected(en, mun_a):
    done = make_initiative(mun_a, status=Status.IMPLEMENTED)
    r = ask_code(en, done)
    assert "Support is closed" in r.content.decode()
    assert not SupportCode.objects.exists()
    assert "Support is closed" in en.get(done.get_absolute_url()).content.decode()


def test_code_rate_limit_per_ip(en, mun_a, settings):
    settings.INITIATIVES_CODE_LIMIT = (2, 3600)
    for n in range(2):
        assert ask_code(en, mun_a_initiative(mun_a, n)).status_code == 302
    r = ask_code(en, mun_a_initiative(mun_a, 3))
    assert r.status_code == 429
    assert "Too many codes" in r.content.decode()


def mun_a_initiative(mun_a, n):
    return make_initiative(mun_a, title=f"Демилге {n}")


def test_unknown_token_is_404(en, initiative):
    assert en.get(f"/karool/initiatives/{initiative.pk}/support/nope/").status_code == 404


# --- the messaging adapter --------------------------------------------------------------------


def test_code_goes_by_whatsapp_when_the_provider_is_ready(en, mun_a, initiative, settings):
    settings.PHONE_CODE_SENDER = "jamaat.messaging.codes.MessagingCodeSender"
    settings.PHONE_CODE_WHATSAPP_TEMPLATE = "jamaat_code"
    ProviderAccount.objects.create(
        municipality=mun_a,
        provider=Channel.WHATSAPP,
        token="wa-token",
        phone_number_id="123",
        whatsapp_template="jamaat_news",
    )
    r = ask_code(en, initiative)
    message = OutboxMessage.objects.get()
    assert message.provider == "whatsapp"
    assert message.recipient == SUPPORTER_E164
    assert message.payload["template"] == "jamaat_code"
    code = message.payload["params"][0]
    assert len(code) == 6 and code in message.body
    assert not MemoryCodeSender.sent  # not the SMS sender
    assert "by WhatsApp" in en.get(r["Location"]).content.decode()
    assert en.post(r["Location"], {"code": code}).status_code == 302
    assert Support.objects.get().delivery == "whatsapp"


def test_without_a_ready_messenger_the_sms_sender_gets_the_code(mun_a, initiative, settings):
    settings.PHONE_CODE_SENDER = "jamaat.messaging.codes.MessagingCodeSender"
    pending = services.start_support(initiative, SUPPORTER, language="ru", consent_text="c")
    assert pending.delivery == "sms"
    assert not OutboxMessage.objects.exists()
    assert MemoryCodeSender.sent[-1].phone == SUPPORTER_E164
    assert MemoryCodeSender.sent[-1].language == "ru"


def test_console_sender_logs_the_code(mun_a, initiative, settings, caplog):
    settings.PHONE_CODE_SENDER = "jamaat.messaging.codes.ConsoleCodeSender"
    with caplog.at_level("WARNING", logger="jamaat.messaging.codes"):
        services.start_support(
            initiative, SUPPORTER, language="ky", consent_text="c", code="135790"
        )
    assert "135790" in caplog.text


def test_a_failing_sender_loses_nothing(en, initiative, settings, monkeypatch):
    from jamaat.messaging import codes

    def fail(self, **kw):
        raise codes.CodeNotSent("gateway down")

    monkeypatch.setattr(MemoryCodeSender, "send_code", fail)
    r = ask_code(en, initiative)
    html = r.content.decode()
    assert r.status_code == 200
    assert "We could not send the code just now." in html
    assert f'value="{SUPPORTER}"' in html
    assert not SupportCode.objects.exists()
    assert isinstance(codes.code_sender(), MessagingCodeSender)


# --- paper support ---------------------------------------------------------------------------


def test_paper_support_with_scans_adds_to_the_public_count(staff, en, client, initiative, people):
    en.post(ask_code(en, initiative)["Location"], {"code": last_code()})
    r = staff.post(
        f"/karool/manage/initiatives/{initiative.pk}/paper-support/",
        {
            "p-count": "37",
            "p-collected_on": timezone.localdate().isoformat(),
            "p-note": "Жыйында чогултулду",
            "p-sheets": [pdf("sheet-1.pdf"), jpeg("sheet-2.jpg")],
        },
    )
    assert r.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.support_online, initiative.support_paper) == (1, 37)
    sheets = list(PaperSheet.objects.order_by("pk"))
    assert [s.content_type for s in sheets] == ["application/pdf", "image/jpeg"]
    assert sheets[0].file.name.startswith("private/")
    # the public page: 38 in all, split; the scans are not public
    public = en.get(initiative.get_absolute_url()).content.decode()
    assert '<p class="big">38</p>' in public
    assert "1 online, 37 on paper" in public
    assert "sheet-1" not in public
    assert en.get(f"/media/{sheets[0].file.name}").status_code == 404
    # staff download them
    staff_page = staff.get(initiative.manage_url()).content.decode()
    url = f"/karool/manage/initiatives/{initiative.pk}/sheets/{sheets[0].pk}/"
    assert url in staff_page
    download = staff.get(url)
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    anonymous = en.get(url)
    assert anonymous.status_code == 302


def test_paper_support_refuses_bad_files_and_keeps_the_count(staff, initiative, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = staff.post(
        f"/karool/manage/initiatives/{initiative.pk}/paper-support/",
        {
            "p-count": "12",
            "p-collected_on": timezone.localdate().isoformat(),
            "p-sheets": SimpleUploadedFile("list.exe", b"MZ\x90\x00", "application/octet-stream"),
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "is not a photo (JPEG, PNG, WebP) or a PDF" in html
    assert 'value="12"' in html
    initiative.refresh_from_db()
    assert initiative.support_paper == 0
    r = staff.post(
        f"/karool/manage/initiatives/{initiative.pk}/paper-support/",
        {"p-count": "12", "p-collected_on": timezone.localdate().isoformat()},
    )
    assert "Attach the scanned sheets" in r.content.decode()


def test_support_counts_are_recounted_not_guessed(mun_a, initiative, people):
    services.add_paper_support(
        people["staff_a"], initiative, 5, timezone.localdate(), files=[pdf_clean()]
    )
    services.add_paper_support(
        people["staff_a"], initiative, 7, timezone.localdate(), files=[pdf_clean()]
    )
    Initiative.objects.filter(pk=initiative.pk).update(support_paper=999)
    services.recount(initiative)
    assert Initiative.objects.get(pk=initiative.pk).support_paper == 12
    assert initiative.phone == PHONE


def pdf_clean():
    from jamaat.core.uploads import CleanFile

    return CleanFile("s.pdf", b"%PDF-1.4 x", "application/pdf")
