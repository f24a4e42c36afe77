"""Frequencies, cross-tabs, round changes and numeric summaries of questionnaire answers.

Every figure is one GROUP BY in the database (``Answer`` rows are flat, see
`jamaat.surveys.models`), so a page costs the same few queries for 100 or 100,000 responses.
Questions are addressed by their code across versions of a questionnaire; labels come from the
current version (an older version's option missing there is shown by its code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Min
from django.utils import translation
from django.utils.translation import gettext as _

from jamaat.surveys.models import Answer, Question, Response

T = Question.Type
CATEGORICAL = {T.SINGLE, T.MULTIPLE, T.RATING, T.YES_NO, T.VILLAGE, T.GENDER, T.AGE_GROUP}
NUMERIC = {T.NUMBER, T.RATING}
TEXTUAL = {T.TEXT, T.LONG_TEXT}
DEMOGRAPHICS = ("village", "gender", "age_group", "channel")
FILTER_KEYS = ("village", "gender", "age_group", "channel", "round")


def _lang_label(obj_ky: str, obj_ru: str, lang: str) -> str:
    return (obj_ru if lang == "ru" else obj_ky) or obj_ky or obj_ru


def clean_filters(params, questionnaire) -> dict:
    """Keep only known filter values from GET parameters (bad values are ignored)."""
    out = {}
    for key in FILTER_KEYS:
        value = (params.get(key) or "").strip()
        if not value:
            continue
        if key in ("village", "round"):
            if not value.isdigit():
                continue
            value = int(value)
        elif (
            key == "gender"
            and value not in Response.Gender.values
            or key == "age_group"
            and value not in Response.AgeGroup.values
            or key == "channel"
            and value not in Response.Channel.values
        ):
            continue
        out[key] = value
    return out


def _field(key: str) -> str:
    return {"village": "village_id", "round": "round_id", "year": "submitted_at__year"}.get(
        key, key
    )


def responses(questionnaire, filters: dict | None = None):
    qs = Response.objects.filter(questionnaire=questionnaire)
    for key, value in (filters or {}).items():
        qs = qs.filter(**{_field(key): value})
    return qs


def _filtered(qs, filters):
    for key, value in (filters or {}).items():
        qs = qs.filter(**{f"response__{_field(key)}": value})
    return qs


def _question_ids(questionnaire) -> dict[str, list[int]]:
    """Question code → ids of that question in every version (one query per questionnaire)."""
    cached = getattr(questionnaire, "_analysis_qids", None)
    if cached is None:
        cached = {}
        for pk, code in Question.objects.filter(version__questionnaire=questionnaire).values_list(
            "pk", "code"
        ):
            cached.setdefault(code, []).append(pk)
        questionnaire._analysis_qids = cached
    return cached


def answers(questionnaire, code: str, filters: dict | None = None):
    """Answers to question `code` in any version; filtering by question id uses the
    (question, option_code) index, so an unfiltered count is an index-only GROUP BY."""
    qs = Answer.objects.filter(question_id__in=_question_ids(questionnaire).get(code, []))
    return _filtered(qs, filters)


def option_labels(question, lang: str) -> dict[str, str]:
    """Option code → label for a question of the current version (demographics included), in
    `lang` whatever the page's language (the labels of an export or a report follow its lang)."""
    with translation.override(lang):
        return {code: str(label) for code, label in _option_labels(question, lang).items()}


def _option_labels(question, lang: str) -> dict:
    from jamaat.municipalities.models import Village

    if question.type == T.VILLAGE:
        return {
            str(v.pk): _lang_label(v.name_ky, getattr(v, "name_ru", ""), lang)
            for v in Village.objects.filter(
                municipality_id=question.version.questionnaire.municipality_id
            )
        }
    if question.type == T.YES_NO:
        return {"yes": _("yes"), "no": _("no")}
    if question.type == T.RATING:
        return {str(i): str(i) for i in range(1, 6)}
    if question.type == T.GENDER:
        return dict(Response.Gender.choices)
    if question.type == T.AGE_GROUP:
        return dict(Response.AgeGroup.choices)
    labels = {o.code: _lang_label(o.label_ky, o.label_ru, lang) for o in question.options.all()}
    if question.allow_other:
        labels.setdefault("other", _("other"))
    return labels


def demographic_labels(municipality, dimension: str, lang: str) -> dict[str, str]:
    from jamaat.municipalities.models import Village

    if dimension == "village":
        return {
            str(v.pk): _lang_label(v.name_ky, getattr(v, "name_ru", ""), lang)
            for v in Village.objects.filter(municipality=municipality)
        }
    return {
        "gender": dict(Response.Gender.choices),
        "age_group": dict(Response.AgeGroup.choices),
        "channel": dict(Response.Channel.choices),
    }[dimension]


@dataclass
class Bar:
    code: str
    label: str
    n: int
    pct: float


@dataclass
class QuestionResult:
    question: Question
    base: int  # responses that answered the question
    bars: list[Bar] = field(default_factory=list)
    numeric: dict | None = None
    matrix: list[tuple[str, list[Bar], float | None]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def _bars(counts: dict[str, int], labels: dict[str, str], base: int) -> list[Bar]:
    order = list(labels) + sorted(c for c in counts if c not in labels)
    return [
        Bar(
            c, str(labels.get(c, c) or _("(empty)")), counts.get(c, 0), _pct(counts.get(c, 0), base)
        )
        for c in order
        if c in counts or c in labels
    ]


def _pct(n, base) -> float:
    return round(100.0 * n / base, 1) if base else 0.0


def frequencies(questionnaire, question, filters=None, lang="ky") -> QuestionResult:
    """Counts and % of each answer (for multiple choice, % of respondents, not of ticks)."""
    qs = answers(questionnaire, question.code, filters)
    one_row_each = question.type not in (T.MULTIPLE, T.MATRIX)
    counts = {}
    if question.type in CATEGORICAL:
        counts = dict(
            qs.values("option_code").annotate(n=Count("id")).values_list("option_code", "n")
        )
    if one_row_each and question.type in CATEGORICAL:
        base = sum(counts.values())  # one answer row per response: no DISTINCT needed
    elif one_row_each:
        base = qs.count()
    else:
        base = qs.values("response_id").distinct().count()
    result = QuestionResult(question, base)
    if question.type == T.MATRIX:
        cells: dict[str, dict[str, int]] = {}
        for row in qs.values("row_code", "option_code").annotate(n=Count("id")):
            cells.setdefault(row["row_code"], {})[row["option_code"]] = row["n"]
        means = dict(qs.values("row_code").annotate(m=Avg("number")).values_list("row_code", "m"))
        scale = {str(i): str(i) for i in range(1, 6)}
        for r in question.rows:
            counts = cells.get(r["code"], {})
            label = _lang_label(r.get("label_ky", ""), r.get("label_ru", ""), lang) or r["code"]
            mean = means.get(r["code"])
            result.matrix.append(
                (label, _bars(counts, scale, sum(counts.values())), mean and round(mean, 2))
            )
        return result
    if question.type in CATEGORICAL:
        result.bars = _bars(counts, option_labels(question, lang), base)
    if question.type in NUMERIC:
        result.numeric = numeric_summary(qs)
    if question.type in TEXTUAL:
        result.texts = list(
            qs.exclude(value="").order_by("-id").values_list("value", flat=True)[:20]
        )
    return result


def numeric_summary(qs) -> dict | None:
    qs = qs.filter(number__isnull=False)
    agg = qs.aggregate(n=Count("id"), mean=Avg("number"), lo=Min("number"), hi=Max("number"))
    n = agg["n"]
    if not n:
        return None
    ordered = qs.order_by("number").values_list("number", flat=True)
    if n % 2:
        median = ordered[n // 2]
    else:
        pair = list(ordered[n // 2 - 1 : n // 2 + 1])
        median = sum(pair) / 2
    return {
        "n": n,
        "mean": round(agg["mean"], 2),
        "median": round(median, 2),
        "min": agg["lo"],
        "max": agg["hi"],
    }


def crosstab(questionnaire, question, dimension: str, filters=None, lang="ky") -> dict:
    """Rows: answer options; columns: values of `dimension`; cells: counts and column %."""
    if dimension not in DEMOGRAPHICS:
        raise ValueError(dimension)
    qs = answers(questionnaire, question.code, filters)
    dim_field = "response__village_id" if dimension == "village" else f"response__{dimension}"
    cells: dict[tuple[str, str], int] = {}
    for code, dim, n in qs.values_list("option_code", dim_field).annotate(n=Count("id")).order_by():
        cells[(code, "" if dim is None else str(dim))] = n
    col_base = {
        ("" if dim is None else str(dim)): n
        for dim, n in qs.values_list(dim_field)
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    }
    col_labels = demographic_labels(questionnaire.municipality, dimension, lang)
    columns = [
        (c, str(col_labels.get(c, c) if c else _("not given")), col_base[c])
        for c in [c for c in col_labels if c in col_base]
        + [c for c in col_base if c not in col_labels]
    ]
    labels = option_labels(question, lang) if question.type in CATEGORICAL else {}
    row_codes = [c for c in labels if any(k[0] == c for k in cells)] + sorted(
        {k[0] for k in cells} - set(labels)
    )
    rows = [
        (
            str(labels.get(code, code)),
            [
                (cells.get((code, c), 0), _pct(cells.get((code, c), 0), base))
                for c, _l, base in columns
            ],
        )
        for code in row_codes
    ]
    return {"columns": columns, "rows": rows, "dimension": dimension}


def round_change(questionnaire, question, round_a, round_b, filters=None, lang="ky") -> list[dict]:
    """Share of each answer in two rounds and the change in percentage points (b − a)."""
    filters = {k: v for k, v in (filters or {}).items() if k != "round"}
    a = frequencies(questionnaire, question, {**filters, "round": round_a.pk}, lang)
    b = frequencies(questionnaire, question, {**filters, "round": round_b.pk}, lang)
    by_a = {bar.code: bar for bar in a.bars}
    out = []
    for bar in b.bars:
        prev = by_a.get(bar.code)
        pa = prev.pct if prev else 0.0
        out.append({"label": bar.label, "a": pa, "b": bar.pct, "pp": round(bar.pct - pa, 1)})
    return out


def mean_score(questionnaire, filters=None) -> float | None:
    """Mean of all ratings (rating questions and matrix cells) — the satisfaction score, 1–5."""
    qs = Answer.objects.filter(
        response__questionnaire=questionnaire,
        question__type__in=[T.RATING, T.MATRIX],
        number__isnull=False,
    )
    m = _filtered(qs, filters).aggregate(m=Avg("number"))["m"]
    return round(m, 2) if m is not None else None


def all_results(questionnaire, filters=None, lang="ky") -> list[QuestionResult]:
    version = questionnaire.current_version()
    if version is None:
        return []
    return [frequencies(questionnaire, q, filters, lang) for q in version.ordered_questions()]
