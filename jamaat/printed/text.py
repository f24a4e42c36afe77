"""The simple text format of printed materials, and turning a news post's Markdown into it.

Paragraphs are separated by an empty line; a line starting with "- " (or "• ", "* ") is a
bullet point; a line indented under a bullet continues it. Other line breaks are kept.
"""

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff\ud800-\udfff\ufffe\uffff]")
_BULLET = re.compile(r"^\s{0,3}[-•*+–]\s+")


def clean(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


def blocks(text: str) -> list[dict]:
    """[{"kind": "p", "lines": [...]}, {"kind": "list", "items": [[line, ...], ...]}, ...]"""
    out: list[dict] = []
    for para in re.split(r"\n\s*\n", clean(text).strip()):
        current = None
        for raw in para.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if _BULLET.match(raw):
                if current is None or current["kind"] != "list":
                    current = {"kind": "list", "items": []}
                    out.append(current)
                current["items"].append([_BULLET.sub("", raw).strip()])
            elif current is not None and current["kind"] == "list" and raw[:1].isspace():
                current["items"][-1].append(line)  # an indented line continues the bullet
            else:
                if current is None or current["kind"] != "p":
                    current = {"kind": "p", "lines": []}
                    out.append(current)
                current["lines"].append(line)
    return out


_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EM = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_STRIKE = re.compile(r"~~(.+?)~~")
_CODE = re.compile(r"`+([^`]*)`+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def _link(m: re.Match) -> str:
    label, url = m.group(1), m.group(2).strip("<>")
    return label if label == url or url.startswith("#") else f"{label} ({url})"


def markdown_to_text(markdown: str) -> str:
    """A news post's Markdown as plain paragraphs and bullets (emphasis and links unwrapped)."""
    lines = []
    for line in clean(markdown).split("\n"):
        if _RULE.match(line):
            lines.append("")
            continue
        heading = _HEADING.match(line)
        if heading:
            lines += ["", heading.group(1), ""]
            continue
        line = _QUOTE.sub("", line)
        if re.match(r"^\s{0,3}[*+]\s+", line):
            line = re.sub(r"^\s{0,3}[*+]\s+", "- ", line)
        lines.append(line)
    text = "\n".join(lines)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(_link, text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(lambda m: m.group(1) or m.group(2), text)
    text = _STRIKE.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = text.replace("&nbsp;", "\u00a0").replace("&amp;", "&")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
