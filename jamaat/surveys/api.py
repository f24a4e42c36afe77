"""Questionnaires in the API: the open list, answering (POST, anonymous) and results.

* ``GET /municipalities/{slug}/questionnaires/``: published questionnaires with their rounds and
  questions (both languages).
* ``POST /questionnaires/{id}/responses/``: JSON ``{"answers": {...}, "language": "ky"}`` (the
  nested form of `jamaat.surveys.services`), accepted only while a round is open: 201 with the new
  id; invalid answers (or answers to no question of the form) → 400 ``{"detail", "errors":
  {code: message}}``; closed → 409; over the per-address daily limit → 429; a
  questionnaire that confirms answers by phone → 403 (it is answered on the website only).
* ``GET /questionnaires/{id}/results/``: per-question counts (``?round=ID`` for one round);
  public only when the municipality made the results public, else `Perm.VIEW_INTERNAL`.
"""

import json
from datetime import datetime

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from jamaat.api.common import municipality_or_404, set_cache
from jamaat.core.access import Perm, has_perm
from jamaat.surveys import ratelimit as limits
from jamaat.surveys import services
from jamaat.surveys.models import Answer, Questionnaire, Response

router = Router(tags=["questionnaires"])


class RoundOut(Schema):
    id: int
    name: str
    opens_at: datetime
    closes_at: datetime


class QuestionOut(Schema):
    code: str
    type: str
    required: bool
    show_if: str
    label_ky: str
    label_ru: str
    options: list[dict]
    rows: list[dict]


class QuestionnaireOut(Schema):
    id: int
    title_ky: str
    title_ru: str
    status: str
    version: int
    results_public: bool
    requires_phone: bool
    rounds: list[RoundOut]
    questions: list[QuestionOut]


class CreatedOut(Schema):
    id: int


class InvalidOut(Schema):
    detail: str
    errors: dict[str, str]


class ErrorOut(Schema):
    detail: str


@router.get(
    "/municipalities/{slug}/questionnaires/",
    response=list[QuestionnaireOut],
    summary="Published questionnaires",
    description="Published and closed questionnaires of the municipality with their rounds and "
    "the questions of the current version (codes, types, conditions, options).",
    operation_id="list_questionnaires",
)
def list_questionnaires(request: HttpRequest, response: HttpResponse, slug: str):
    municipality = municipality_or_404(slug)
    set_cache(request, response)
    items = (
        Questionnaire.objects.for_municipality(municipality)
        .exclude(status=Questionnaire.Status.DRAFT)
        .prefetch_related("rounds", "versions")
    )
    village_options = [(str(v.pk), str(v)) for v in municipality.villages.all()]
    out = []
    for q in items:
        version = max(q.versions.all(), key=lambda v: v.number)
        questions = version.ordered_questions()
        out.append(
            {
                "id": q.pk, "title_ky": q.title_ky, "title_ru": q.title_ru, "status": q.status,
                "version": version.number, "results_public": q.results_public,
                "requires_phone": q.requires_phone,
                "rounds": list(q.rounds.all()),
                "questions": [
                    {"code": x.code, "type": x.type, "required": x.required,
                     "show_if": x.show_if, "label_ky": x.label_ky, "label_ru": x.label_ru,
                     "options": [{"code": c, "label": str(lbl)} for c, lbl in
                                 (village_options if x.type == "village" else services.fixed_options(x))],
                     "rows": x.rows}
                    for x in questions
                ],
            }
        )  # fmt: skip
    return out


@router.post(
    "/questionnaires/{int:qid}/responses/",
    response={
        201: CreatedOut,
        400: InvalidOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        429: ErrorOut,
    },  # fmt: skip
    summary="Answer a questionnaire",
    description='Anonymous. Body: `{"answers": {code: value}, "language": "ky"}`. '
    "Accepted only while a round is open; at most SURVEYS_RESPONSES_PER_IP_PER_DAY (30) a day "
    "from one address (429 after that). An answer to no question of the form is named in "
    "`errors`. A village question's options are the municipality's villages. A questionnaire with `requires_phone` is answered on "
    "the website only (a code is sent to the resident's phone): 403 here.",
    operation_id="submit_response",
)
def submit(request: HttpRequest, qid: int):
    q = (
        Questionnaire.objects.exclude(status=Questionnaire.Status.DRAFT)
        .select_related("municipality")
        .filter(pk=qid)
        .first()
    )
    if q is None:
        raise HttpError(404, f"No questionnaire {qid}.")
    if q.requires_phone:
        return Status(
            403,
            {
                "detail": "This questionnaire asks residents to confirm their answers with a code "
                f"sent to their phone: answer it on the website, {q.get_absolute_url()}"
            },
        )
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return Status(400, {"detail": "The body must be JSON.", "errors": {}})
    answers = body.get("answers") if isinstance(body, dict) else None
    if not isinstance(answers, dict):
        return Status(
            400, {"detail": "'answers' must be an object.", "errors": {"answers": "required"}}
        )
    version = q.current_version()
    questions = version.ordered_questions()
    known = {x.code for x in questions}
    unknown = {
        str(name): "No such question in this questionnaire."
        for name in answers
        if str(name).split("__", 1)[0] not in known
    }
    if unknown:
        return Status(400, {"detail": "Some answers are invalid.", "errors": unknown})
    rnd = q.open_round()
    if rnd is not None and limits.answers_limited(request, rnd.pk):
        return Status(
            429, {"detail": "Too many answers from your address today. Please try again tomorrow."}
        )
    try:
        r = services.submit_response(
            version, answers, channel=Response.Channel.ONLINE, round=rnd,
            language=str(body.get("language") or "ky"), questions=questions,
        )  # fmt: skip
    except services.RoundClosed as exc:
        return Status(409, {"detail": str(exc)})
    except services.InvalidResponse as exc:
        return Status(400, {"detail": "Some answers are invalid.", "errors": exc.errors})
    limits.count_answer(request, rnd.pk)
    return Status(201, {"id": r.pk})


@router.get(
    "/questionnaires/{int:qid}/results/",
    response={200: dict, 404: ErrorOut},
    summary="Results of a questionnaire",
    description="Counts per question and option (matrix: per row and rating; numbers: count and "
    "mean). Public only when the municipality made the results public.",
    operation_id="questionnaire_results",
)
def results(request: HttpRequest, response: HttpResponse, qid: int, round: int | None = None):
    q = Questionnaire.objects.select_related("municipality").filter(pk=qid).first()
    if q is None or not (
        (q.results_public and q.status != Questionnaire.Status.DRAFT)
        or has_perm(request.user, q.municipality, Perm.VIEW_INTERNAL)
    ):
        raise HttpError(404, f"No questionnaire {qid}.")
    municipality_or_404(q.municipality.slug)
    set_cache(request, response)
    responses = Response.objects.filter(questionnaire=q)
    answers = Answer.objects.filter(response__questionnaire=q)
    if round is not None:
        responses = responses.filter(round_id=round)
        answers = answers.filter(response__round_id=round)
    counts: dict = {}
    for code, row, option, n in (
        answers.values_list("question_code", "row_code", "option_code")
        .annotate(n=Count("id"))
        .order_by("question_code", "row_code", "option_code")
    ):
        key = f"{row}:{option}" if row else (option or "answered")
        counts.setdefault(code, {})[key] = n
    return {"id": q.pk, "responses": responses.count(), "round": round, "questions": counts}
