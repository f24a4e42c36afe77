"""The yearly analytical report (3.3): data gathered with GROUP BY queries, rendered as PDF
(typst, vendored DejaVu fonts: ң ө ү render) or DOCX (python-docx, charts as tables with bars).

``build(municipality, year, lang, fmt, progress=None) -> bytes``; `progress(pct)` is called as
the work advances (the background job stores it).
"""

from __future__ import annotations

import io
import re
from statistics import median

from django.db.models import Count, F
from django.utils import translation
from django.utils.translation import gettext as _

from jamaat.analysis import stats, topics
from jamaat.documents.typst import compile_pdf, compile_png
from jamaat.surveys.models import Answer, Question, Questionnaire

MAX_QUESTIONS = 40


def _label(obj, lang, field="label"):
    ky, ru = getattr(obj, f"{field}_ky", ""), getattr(obj, f"{field}_ru", "")
    return (ru if lang == "ru" else ky) or ky or ru


def appeals_stats(municipality, year: int, lang: str) -> dict:
    from jamaat.appeals.models import Appeal

    qs = Appeal.objects.filter(municipality=municipality, registered_at__year=year)
    total = qs.count()
    by_cat = [
        {
            "label": (r["category__name_ru"] if lang == "ru" else r["category__name_ky"]) or "—",
            "n": r["n"],
            "pct": stats._pct(r["n"], total),
        }
        for r in qs.values("category__name_ky", "category__name_ru")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    answered = qs.filter(answered_at__isnull=False)
    n_answered = answered.count()
    on_time = answered.filter(answered_at__date__lte=F("due_date")).count()
    # median days: durations of answered appeals, fetched as one column (a few thousand a year)
    days = [
        (a - r).total_seconds() / 86400
        for r, a in answered.values_list("registered_at", "answered_at").iterator()
    ]
    return {
        "total": total,
        "answered": n_answered,
        "on_time_pct": stats._pct(on_time, n_answered) if n_answered else None,
        "median_days": round(median(days), 1) if days else None,
        "by_category": by_cat,
        "texts": list(qs.order_by("-registered_at").values_list("text", flat=True)[:2000]),
    }


def gather(municipality, year: int, lang: str, progress=None) -> dict:
    from jamaat.municipalities.models import LocalIssue

    progress = progress or (lambda pct: None)
    with translation.override(lang):
        data = {
            "lang": lang,
            "municipality": municipality.name_in(lang),
            "year": year,
            "t": {
                "title": _("Yearly analytical report"),
                "findings": _("Key findings"),
                "questionnaires": _("Questionnaires"),
                "responses": _("responses"),
                "score": _("Satisfaction score (1–5)"),
                "prev": _("previous year"),
                "appeals": _("Appeals"),
                "total": _("Appeals registered"),
                "on_time": _("Answered on time"),
                "median_days": _("Median days to answer"),
                "by_category": _("By category"),
                "topics": _("Topics of appeals and open answers"),
                "mean": _("mean"),
                "median": _("median"),
                "none": _("No data for this year."),
                "change": _("Change vs previous year"),
            },
            "surveys": [],
            "findings": [],
        }
        qnrs = list(
            Questionnaire.objects.filter(
                municipality=municipality, responses__submitted_at__year=year
            )
            .distinct()
            .order_by("pk")
        )
        open_texts: list[str] = []
        for i, qn in enumerate(qnrs):
            year_f = {"year": year}
            n = stats.responses(qn, year_f).count()
            score = stats.mean_score(qn, year_f)
            prev_score = stats.mean_score(qn, {"year": year - 1})
            questions = []
            for res in stats.all_results(qn, year_f, lang)[:MAX_QUESTIONS]:
                q = res.question
                item = {"code": q.code, "label": _label(q, lang), "base": res.base}
                if res.bars:
                    item["bars"] = [{"label": b.label, "n": b.n, "pct": b.pct} for b in res.bars]
                if res.matrix:
                    item["matrix"] = [{"label": lab, "mean": m} for lab, _b, m in res.matrix]
                if res.numeric:
                    item["numeric"] = res.numeric
                if q.type in stats.TEXTUAL:
                    continue
                questions.append(item)
            open_texts += list(
                Answer.objects.filter(
                    response__questionnaire=qn,
                    response__submitted_at__year=year,
                    question__type__in=[Question.Type.TEXT, Question.Type.LONG_TEXT],
                )
                .exclude(value="")
                .values_list("value", flat=True)[:2000]
            )
            data["surveys"].append(
                {
                    "title": _label(qn, lang, "title"),
                    "responses": n,
                    "score": score,
                    "prev_score": prev_score,
                    "questions": questions,
                }
            )
            if score is not None:
                change = "" if prev_score is None else f" ({data['t']['prev']}: {prev_score})"
                data["findings"].append(
                    f"{data['surveys'][-1]['title']}: {data['t']['score']} {score}{change}"
                )
            progress(10 + int(50 * (i + 1) / max(len(qnrs), 1)))
        progress(60)
        ap = appeals_stats(municipality, year, lang)
        prev_total = appeals_stats(municipality, year - 1, lang)["total"]
        data["appeals"] = {k: v for k, v in ap.items() if k != "texts"}
        data["appeals"]["prev_total"] = prev_total
        if ap["total"]:
            data["findings"].append(
                f"{data['t']['total']}: {ap['total']} ({data['t']['prev']}: {prev_total}); "
                f"{data['t']['on_time']}: {ap['on_time_pct'] if ap['on_time_pct'] is not None else '—'}%"
            )
        progress(75)
        issues = list(LocalIssue.objects.filter(municipality=municipality))
        groups = topics.group(ap["texts"] + open_texts, issues, lang)
        data["topics"] = [
            {"label": g.label, "count": g.count, "quotes": [redact(q) for q in g.quotes]}
            for g in groups[:10]
        ]  # the report is published: quotes lose phone numbers and e-mail addresses
        if groups:
            top = ", ".join(f"{g.label} ({g.count})" for g in groups[:3] if g.code != "other")
            if top:
                top_issues = _("Top issues")
                data["findings"].insert(0, f"{top_issues}: {top}")
        progress(85)
    return data


_PHONE = re.compile(r"(?<![\w])\+?\d[\d\s()\-]{6,}\d")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")


def redact(text: str) -> str:
    """A resident's words fit for a published report: phone numbers and e-mail addresses are
    replaced by "…". (Names cannot be found reliably; quotes are short and chosen by topic.)"""
    return _PHONE.sub("…", _EMAIL.sub("…", text))


def render_pdf(data: dict) -> bytes:
    from pathlib import Path

    source = (Path(__file__).parent / "templates" / "analysis" / "report.typ").read_text("utf-8")
    return compile_pdf(source, data)


def _bar_charts(data: dict) -> list[bytes]:
    """PNG bar charts for the DOCX, in the order render_docx places them: each question with
    bars, then appeals by category. One typst compilation for all of them."""
    charts = [{"bars": q["bars"]} for s in data["surveys"] for q in s["questions"] if q.get("bars")]
    if data["appeals"]["by_category"]:
        charts.append({"bars": [
            {"label": c["label"], "n": c["n"], "pct": c["pct"]}
            for c in data["appeals"]["by_category"]
        ]})  # fmt: skip
    if not charts:
        return []
    from pathlib import Path

    source = (Path(__file__).parent / "templates" / "analysis" / "charts.typ").read_text("utf-8")
    return compile_png(source, {"charts": charts})


def render_docx(data: dict) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    t = data["t"]
    charts = _bar_charts(data)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    doc.add_heading(data["municipality"], 0)
    doc.add_paragraph(f"{t['title']} — {data['year']}")
    doc.add_heading(t["findings"], 1)
    for f in data["findings"] or [t["none"]]:
        doc.add_paragraph(f, style="List Bullet")
    for s in data["surveys"]:
        doc.add_heading(s["title"], 1)
        doc.add_paragraph(
            f"{s['responses']} {t['responses']}; {t['score']}: {s['score'] or '—'}"
            f" ({t['prev']}: {s['prev_score'] or '—'})"
        )
        for q in s["questions"]:
            doc.add_heading(f"{q['code']}. {q['label']}", 2)
            rows = [
                (b["label"], str(b["n"]), f"{b['pct']}%", "█" * int(b["pct"] / 5))
                for b in q.get("bars", [])
            ]
            rows += [(m["label"], "", str(m["mean"] or "—"), "") for m in q.get("matrix", [])]
            if q.get("numeric"):
                rows.append((t["mean"], str(q["numeric"]["n"]), str(q["numeric"]["mean"]), ""))
                rows.append((t["median"], "", str(q["numeric"]["median"]), ""))
            if q.get("bars"):
                doc.add_picture(io.BytesIO(charts.pop(0)), width=Cm(16))
            if rows:
                table = doc.add_table(rows=0, cols=4)
                table.style = "Table Grid"
                for r in rows:
                    cells = table.add_row().cells
                    for c, v in zip(cells, r, strict=True):
                        c.text = v
    a = data["appeals"]
    doc.add_heading(t["appeals"], 1)
    doc.add_paragraph(f"{t['total']}: {a['total']} ({t['prev']}: {a['prev_total']})")
    on_time = "—" if a["on_time_pct"] is None else f"{a['on_time_pct']}%"
    doc.add_paragraph(f"{t['on_time']}: {on_time}")
    doc.add_paragraph(
        f"{t['median_days']}: {a['median_days'] if a['median_days'] is not None else '—'}"
    )
    if a["by_category"]:
        doc.add_heading(t["by_category"], 2)
        doc.add_picture(io.BytesIO(charts.pop(0)), width=Cm(16))
        table = doc.add_table(rows=0, cols=3)
        table.style = "Table Grid"
        for c in a["by_category"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = c["label"], str(c["n"]), f"{c['pct']}%"
    doc.add_heading(t["topics"], 1)
    for tp in data["topics"]:
        doc.add_paragraph(f"{tp['label']}: {tp['count']}", style="List Bullet")
        for quote in tp["quotes"]:
            doc.add_paragraph(f"«{quote[:300]}»")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_pptx(data: dict) -> bytes:
    """Slides for the council: title, key findings, a bar chart per choice question, appeals, topics."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    t = data["t"]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = data["municipality"]
    slide.placeholders[1].text = f"{t['title']} — {data['year']}"

    def bullets(title: str, lines: list[str]) -> None:
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = title
        body = s.placeholders[1].text_frame
        body.text = lines[0] if lines else t["none"]
        for line in lines[1:]:
            body.add_paragraph().text = line
        for p in body.paragraphs:
            for r in p.runs:
                r.font.size = Pt(20)

    bullets(t["findings"], data["findings"])
    for survey in data["surveys"]:
        for q in survey["questions"]:
            if not q.get("bars"):
                continue
            s = prs.slides.add_slide(prs.slide_layouts[5])
            s.shapes.title.text = f"{q['code']}. {q['label']}"[:120]
            chart_data = CategoryChartData()
            chart_data.categories = [b["label"] for b in q["bars"]]
            chart_data.add_series("%", [b["pct"] for b in q["bars"]])
            chart = s.shapes.add_chart(
                XL_CHART_TYPE.BAR_CLUSTERED,
                Inches(0.7),
                Inches(1.6),
                Inches(12),
                Inches(5.4),
                chart_data,
            ).chart
            chart.has_legend = False
            chart.plots[0].has_data_labels = True
    a = data["appeals"]
    on_time = "—" if a["on_time_pct"] is None else f"{a['on_time_pct']}%"
    bullets(t["appeals"], [
        f"{t['total']}: {a['total']} ({t['prev']}: {a['prev_total']})",
        f"{t['on_time']}: {on_time}",
        f"{t['median_days']}: {a['median_days'] if a['median_days'] is not None else '—'}",
    ] + [f"{c['label']}: {c['n']} ({c['pct']}%)" for c in a["by_category"][:5]])  # fmt: skip
    bullets(t["topics"], [f"{tp['label']}: {tp['count']}" for tp in data["topics"][:8]])
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx, "pptx": render_pptx}


def build(municipality, year: int, lang: str, fmt: str, progress=None) -> bytes:
    progress = progress or (lambda pct: None)
    progress(5)
    data = gather(municipality, year, lang, progress)
    out = RENDERERS[fmt](data)
    progress(100)
    return out
