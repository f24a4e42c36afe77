"""CSV and XLSX export of frequencies, with labels in Kyrgyz or Russian."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jamaat.analysis import stats


def table(questionnaire, filters, lang: str) -> list[list]:
    """One flat table: question code, question, answer, count, percent (matrix rows expanded)."""
    with translation.override(lang):
        header = [_("Code"), _("Question"), _("Answer"), _("Count"), _("Percent")]
        rows: list[list] = [header]
        for res in stats.all_results(questionnaire, filters, lang):
            q = res.question
            label = (q.label_ru if lang == "ru" else q.label_ky) or q.label_ky or q.label_ru
            for bar in res.bars:
                rows.append([q.code, label, bar.label, bar.n, bar.pct])
            for row_label, bars, _mean in res.matrix:
                for bar in bars:
                    rows.append([q.code, f"{label} — {row_label}", bar.label, bar.n, bar.pct])
            if res.numeric:
                for key, name in (("mean", _("mean")), ("median", _("median"))):
                    rows.append([q.code, label, name, res.numeric["n"], res.numeric[key]])
    return rows


def _safe(value):
    """Text that a spreadsheet would read as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(rows) -> bytes:
    rows = [[_safe(v) for v in row] for row in rows]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Cyrillic correctly


def to_xlsx(rows, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = (title or "results")[:31]
    for row in rows:
        ws.append([_safe(str(v) if not isinstance(v, int | float) else v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 30
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
