"""Appeals and Open311 rows of the access matrix (jamaat/core/tests/test_access_matrix.py)."""

from jamaat.appeals import ratelimit, services
from jamaat.appeals.models import Appeal
from jamaat.municipalities.models import LocalIssue

O311 = "/open311/v2"


def _category(municipality):
    return LocalIssue.objects.filter(municipality=municipality, code="water").first()


def _appeal(t):
    appeal = Appeal.objects.filter(municipality=t.municipality, text="MATRIX-APPEAL").first()
    return appeal or services.register(
        t.municipality,
        channel=Appeal.Channel.PAPER,
        category=_category(t.municipality),
        text="MATRIX-APPEAL",
        applicant_name="Матрица",
        phone="0555123456",
    )


def fingerprint():
    # Open311 POST is public and answers 200: the online, untouched appeal it creates is left out,
    # so refused staff writes (status, assignment, answer, paper registration) are still caught.
    return tuple(
        Appeal.objects.exclude(
            channel=Appeal.Channel.ONLINE,
            status=Appeal.Status.REGISTERED,
            assigned_to__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "status", "assigned_to", "answer", "channel", "text")
    )


def rows(m):
    Row, needs, public, u, C, DONE = m.Row, m.needs, m.public, m.u, m.C, m.DONE

    def done_rule(_w):
        return DONE

    def new_data(w, t):
        ratelimit.reset("127.0.0.1")
        return {
            "kind": "request", "category": str(_category(t.municipality).pk), "village": "",
            "text": "MATRIX-ONLINE", "applicant_name": "Айбек", "phone": "0555 12 34 56",
            "email": "", "language": "ky", "consent": "on", "website": "",
        }  # fmt: skip

    def new_done(w, t):
        assert Appeal.objects.filter(municipality=t.municipality, text="MATRIX-ONLINE").exists()

    def register_data(w, t):
        return {
            "channel": "paper", "kind": "complaint",
            "category": str(_category(t.municipality).pk), "text": "MATRIX-PAPER",
            "applicant_name": "Бермет", "phone": "0700 11 22 33", "language": "ru",
        }  # fmt: skip

    def register_done(w, t):
        assert Appeal.objects.filter(municipality=t.municipality, text="MATRIX-PAPER").exists()

    def detail_url(w, t):
        return f"/{t.slug}/manage/appeals/{_appeal(t).pk}/"

    def answer_data(w, t):
        return {"action": "answer", "answer": "MATRIX-ANSWER"}

    def answer_done(w, t):
        assert Appeal.objects.filter(municipality=t.municipality, answer="MATRIX-ANSWER").exists()

    def status_url(w, t):
        _appeal(t)  # made here: the URL is built before the database's fingerprint is taken
        return f"/{t.slug}/appeals/status/"

    def status_data(w, t):
        # The status check is a POST (the check code is a secret) that writes nothing: 200.
        appeal = _appeal(t)
        return {"number": appeal.number, "code": appeal.check_code}

    def jur(w):
        return w.t("A").slug

    def o311_post_data(w, t):
        ratelimit.reset("127.0.0.1")
        return {
            "jurisdiction_id": jur(w), "service_code": "water",
            "description": "Суу жок", "phone": "0555123456",
        }  # fmt: skip

    def o311_detail(w, t):
        return f"{O311}/requests/{_appeal(w.t('A')).number}.json?jurisdiction_id={jur(w)}"

    return [
        Row("appeal_new", "<slug>/appeals/new/", "GET", public, u("appeals/new/")),
        Row("appeal_new", "<slug>/appeals/new/", "POST", done_rule, u("appeals/new/"),
            data=new_data, done=new_done),
        Row("appeal_status", "<slug>/appeals/status/", "GET", public, u("appeals/status/")),
        Row("appeal_status", "<slug>/appeals/status/", "POST", public, status_url,
            data=status_data),
        Row("appeal_stats", "<slug>/appeals/stats/", "GET", public, u("appeals/stats/")),
        Row("appeals_manage", "<slug>/manage/appeals/", "GET", needs(C), u("manage/appeals/")),
        Row("appeal_register", "<slug>/manage/appeals/new/", "GET", needs(C),
            u("manage/appeals/new/")),
        Row("appeal_register", "<slug>/manage/appeals/new/", "POST", needs(C, DONE),
            u("manage/appeals/new/"), data=register_data, done=register_done),
        Row("appeal_detail", "<slug>/manage/appeals/<pk>/", "GET", needs(C), detail_url),
        Row("appeal_detail", "<slug>/manage/appeals/<pk>/", "POST", needs(C, DONE), detail_url,
            data=answer_data, done=answer_done),
        Row("o311_discovery", "open311/v2/discovery.<fmt>", "GET", public,
            lambda w, t: f"{O311}/discovery.json", per_municipality=False),
        Row("o311_services", "open311/v2/services.<fmt>", "GET", public,
            lambda w, t: f"{O311}/services.json?jurisdiction_id={jur(w)}",
            per_municipality=False),
        Row("o311_service", "open311/v2/services/<code>.<fmt>", "GET", public,
            lambda w, t: f"{O311}/services/water.json?jurisdiction_id={jur(w)}",
            per_municipality=False),
        Row("o311_requests", "open311/v2/requests.<fmt>", "GET", public,
            lambda w, t: f"{O311}/requests.json?jurisdiction_id={jur(w)}",
            per_municipality=False),
        Row("o311_requests", "open311/v2/requests.<fmt>", "POST", public,
            lambda w, t: f"{O311}/requests.json", per_municipality=False, data=o311_post_data),
        Row("o311_request", "open311/v2/requests/<request_id>.<fmt>", "GET", public,
            o311_detail, per_municipality=False),
    ]  # fmt: skip
