"""The monthly report as an A4 PDF (typst, vendored DejaVu fonts): Kyrgyz part, then Russian.

Typst does not read Markdown, so the report's Markdown is rendered and sanitised exactly as on
the web page (`render_markdown`), and that HTML is turned into a flat list of blocks of text
spans (heading, paragraph, list item, quote, table…) handed to the template as JSON data:
no user text is ever spliced into typst markup.
"""

from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

from jamaat.core.text import render_markdown
from jamaat.documents.typst import compile_pdf
from jamaat.reports import lang as L

TEMPLATE = Path(__file__).resolve().parent / "typst" / "monthly_report.typ"

_BLOCKS = {"p": "p", "h2": "h2", "h3": "h3", "h4": "h3", "li": "li", "pre": "pre"}


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[dict] = []
        self.current: dict | None = None
        self.bold = self.italic = self.code = 0
        self.href: list[str | None] = []
        self.lists: list[dict] = []  # {"ordered": bool, "n": int}
        self.quote = 0
        self.table: dict | None = None
        self.cell: list | None = None
        self.header_cell = False

    # block handling
    def _open(self, kind: str, **extra) -> None:
        self._close()
        self.current = {"kind": kind, "spans": [], "quote": self.quote > 0, **extra}

    def _close(self) -> None:
        if self.current is not None and (
            any(s.get("t", "").strip() or s.get("br") for s in self.current["spans"])
        ):
            spans = self.current["spans"]
            while spans and spans[-1].get("br"):
                spans.pop()
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            self._close()
            self.lists.append({"ordered": tag == "ol", "n": 0})
        elif tag == "li":
            depth = max(len(self.lists) - 1, 0)
            marker = "•"
            if self.lists:
                lst = self.lists[-1]
                lst["n"] += 1
                marker = f"{lst['n']}." if lst["ordered"] else ("•" if depth == 0 else "–")
            self._open("li", depth=depth, marker=marker)
        elif tag in _BLOCKS:
            if tag == "p" and self.current and self.current["kind"] == "li":
                if not self.current["spans"]:
                    return  # a "loose" list item: <li><p>…</p></li> stays one item
                self.current["spans"].append({"br": True})
                return
            self._open(_BLOCKS[tag])
        elif tag == "blockquote":
            self._close()
            self.quote += 1
        elif tag == "hr":
            self._close()
            self.blocks.append({"kind": "hr", "spans": []})
        elif tag == "table":
            self._close()
            self.table = {"kind": "table", "rows": [], "spans": []}
        elif tag == "tr" and self.table is not None:
            self.table["rows"].append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
            self.header_cell = tag == "th"
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "a":
            self.href.append(attrs.get("href"))
        elif tag == "br":
            self._spans().append({"br": True})

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag == "p" and self.current and self.current["kind"] == "li":
            return
        elif tag in _BLOCKS or tag == "li":
            self._close()
        elif tag == "blockquote":
            self._close()
            self.quote = max(0, self.quote - 1)
        elif tag == "table" and self.table is not None:
            if self.table["rows"]:
                self.blocks.append(self.table)
            self.table = None
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            if self.table["rows"]:
                self.table["rows"][-1].append(self.cell)
            self.cell = None
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "a" and self.href:
            self.href.pop()

    def _spans(self) -> list:
        if self.cell is not None:
            return self.cell
        if self.current is None:
            self._open("p")
        return self.current["spans"]

    def handle_data(self, data):
        if self.current is None and self.cell is None and not data.strip():
            return
        if not (self.current and self.current["kind"] == "pre"):
            data = " ".join(data.replace("\n", " ").split(" "))
        span = {"t": data}
        if self.bold or (self.cell is not None and self.header_cell):
            span["b"] = True
        if self.italic:
            span["i"] = True
        if self.code:
            span["code"] = True
        href = next((h for h in reversed(self.href) if h), None)
        if href:
            span["href"] = href
        self._spans().append(span)

    def close(self):
        super().close()
        self._close()


def markdown_blocks(text: str) -> list[dict]:
    parser = _Blocks()
    parser.feed(render_markdown(text))
    parser.close()
    return parser.blocks


_LABELS = {
    "ky": {
        "kicker": "Жергиликтүү өз алдынча башкаруу органынын ай сайын берилүүчү маалыматы",
        "published": "Жарыяланды",
        "draft": "ДОЛБООР",
        "page": "бет",
    },
    "ru": {
        "kicker": "Ежемесячная информация органа местного самоуправления",
        "published": "Опубликовано",
        "draft": "ПРОЕКТ",
        "page": "стр.",
    },
}


def report_data(report, draft: bool = False) -> dict:
    from django.utils import timezone

    municipality = report.municipality
    published = timezone.localtime(report.published_at).date() if report.published_at else None
    sections = []
    for lang in L.CONTENT_LANGS:
        title, body = getattr(report, f"title_{lang}"), getattr(report, f"body_{lang}")
        if not (title.strip() or body.strip()):
            continue
        labels = _LABELS[lang]
        sections.append(
            {
                "lang": lang,
                "place": L.capfirst(L.place_name(municipality, lang)),
                "kicker": labels["kicker"],
                "month": L.month_label(report.month, lang),
                "title": title.strip(),
                "blocks": markdown_blocks(body),
                "footer": (
                    f"{labels['published']}: {L.short_date(published, lang)}" if published else ""
                ),
                "draft": labels["draft"] if draft else "",
            }
        )
    return {
        "title": report.title_ky or report.title_ru,
        "url": f"{settings.SITE_URL}{report.get_absolute_url()}",
        "sections": sections,
    }


def render_report_pdf(report, draft: bool = False) -> bytes:
    return compile_pdf(TEMPLATE.read_text(encoding="utf-8"), report_data(report, draft))
