""" "Show if" conditions: a tiny, safe expression language, parsed here and never `eval`-ed.

Grammar (both Jamaat's and the XLSForm subset are accepted, and may be mixed)::

    expr    := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand [("==" | "=" | "!=" | "<" | "<=" | ">" | ">=") operand
                        | "in" operand]
    operand := NUMBER | 'text' | "text" | code | ${code} | "(" expr ")"
             | selected "(" operand "," operand ")"

Examples: ``q3 == 'yes'``, ``q5 >= 3``, ``'water' in q7``, ``not (q1 = 'no' or q2 < 18)``,
``${q3} = 'yes' and selected(${q7}, 'water')``.

Values: an unanswered question is ``None``; a multiple choice is a list of option codes; a
matrix a dict; numbers and ratings are floats; everything else a string. Rules:

* ``a == b`` compares numbers numerically when both sides are numbers (or numeric text), else as
  text; unanswered equals only ``''``. ``!=`` is its negation.
* ``<`` ``<=`` ``>`` ``>=`` are false unless both sides are numbers.
* ``x in q`` is true when q is a list holding x, or q equals x (a single choice).
* A bare operand is true when answered (non-empty).

`to_text` writes the canonical Jamaat form, `to_xpath` the XLSForm ``relevant`` form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPARE_OPS = ("==", "!=", "<=", ">=", "<", ">")


class ConditionError(ValueError):
    pass


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Lit:
    value: str | float


@dataclass(frozen=True)
class Not:
    arg: object


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    left: object
    right: object


@dataclass(frozen=True)
class Compare:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class In:
    needle: object
    haystack: object


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>-?\d+(?:\.\d+)?)
      | '(?P<s1>[^']*)'
      | "(?P<s2>[^"]*)"
      | \$\{(?P<ref>[A-Za-z_][\w.\-]*)\}
      | (?P<ident>[A-Za-z_][\w\-]*)
      | (?P<op>==|!=|<=|>=|<|>|=|\(|\)|,)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "in", "selected"}


def _tokens(text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read the condition at “{text[pos : pos + 12]}”")
        pos = m.end()
        if m.group("num") is not None:
            out.append(("lit", float(m.group("num"))))
        elif m.group("s1") is not None:
            out.append(("lit", m.group("s1")))
        elif m.group("s2") is not None:
            out.append(("lit", m.group("s2")))
        elif m.group("ref") is not None:
            out.append(("var", m.group("ref")))
        elif m.group("ident") is not None:
            word = m.group("ident")
            out.append(("kw", word) if word in KEYWORDS else ("var", word))
        else:
            op = m.group("op")
            out.append(("op", "==" if op == "=" else op))
    return out


class _Parser:
    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, kind=None, value=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (value and tok[1] != value):
            want = value or kind or "more"
            got = "the end" if tok[0] is None else f"“{tok[1]}”"
            raise ConditionError(f"expected {want}, found {got}")
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            raise ConditionError("the condition is empty")
        node = self.expr()
        if self.i != len(self.tokens):
            raise ConditionError(f"unexpected “{self.peek()[1]}”")
        return node

    def expr(self):
        node = self.and_()
        while self.peek() == ("kw", "or"):
            self.i += 1
            node = BoolOp("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek() == ("kw", "and"):
            self.i += 1
            node = BoolOp("and", node, self.not_())
        return node

    def not_(self):
        if self.peek() == ("kw", "not"):
            self.i += 1
            return Not(self.not_())
        return self.compare()

    def compare(self):
        left = self.operand()
        kind, value = self.peek()
        if kind == "op" and value in COMPARE_OPS:
            self.i += 1
            return Compare(value, left, self.operand())
        if (kind, value) == ("kw", "in"):
            self.i += 1
            return In(left, self.operand())
        return left

    def operand(self):
        kind, value = self.take()
        if kind == "lit":
            return Lit(value)
        if kind == "var":
            return Var(value)
        if (kind, value) == ("op", "("):
            node = self.expr()
            self.take("op", ")")
            return node
        if (kind, value) == ("kw", "selected"):
            self.take("op", "(")
            haystack = self.operand()
            self.take("op", ",")
            needle = self.operand()
            self.take("op", ")")
            return In(needle, haystack)
        raise ConditionError(f"unexpected “{value}”")


def parse(text: str):
    return _Parser(text).parse()


def variables(node) -> set[str]:
    if isinstance(node, Var):
        return {node.name}
    if isinstance(node, Lit):
        return set()
    if isinstance(node, Not):
        return variables(node.arg)
    if isinstance(node, In):
        return variables(node.needle) | variables(node.haystack)
    return variables(node.left) | variables(node.right)


def check(text: str, known: set[str] | None = None) -> None:
    """Raise ConditionError (with a message for people) unless `text` is a valid condition."""
    node = parse(text)
    if known is not None:
        unknown = sorted(variables(node) - known)
        if unknown:
            raise ConditionError(f"unknown question code “{unknown[0]}”")


# --- evaluation -------------------------------------------------------------------------------


def _num(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _value(node, answers: dict):
    if isinstance(node, Var):
        return answers.get(node.name)
    if isinstance(node, Lit):
        return node.value
    return _truth(node, answers)


def _answered(value) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return True  # a number, 0 included


def _equal(a, b) -> bool:
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return a == b
    na, nb = _num(a), _num(b)
    if na is not None and nb is not None:
        return na == nb
    return _text(a) == _text(b)


def _truth(node, answers: dict) -> bool:
    if isinstance(node, BoolOp):
        if node.op == "and":
            return _truth(node.left, answers) and _truth(node.right, answers)
        return _truth(node.left, answers) or _truth(node.right, answers)
    if isinstance(node, Not):
        return not _truth(node.arg, answers)
    if isinstance(node, In):
        needle = _text(_value(node.needle, answers))
        haystack = _value(node.haystack, answers)
        if isinstance(haystack, list):
            return needle in [_text(x) for x in haystack]
        return haystack is not None and _text(haystack) == needle
    if isinstance(node, Compare):
        a, b = _value(node.left, answers), _value(node.right, answers)
        if node.op == "==":
            return _equal(a, b)
        if node.op == "!=":
            return not _equal(a, b)
        na, nb = _num(a), _num(b)
        if na is None or nb is None:
            return False
        return {"<": na < nb, "<=": na <= nb, ">": na > nb, ">=": na >= nb}[node.op]
    return _answered(_value(node, answers))


def evaluate(condition, answers: dict) -> bool:
    """True when `condition` (text or parsed) holds for `answers` (code → value)."""
    if isinstance(condition, str):
        if not condition.strip():
            return True
        condition = parse(condition)
    return _truth(condition, answers)


# --- writing ----------------------------------------------------------------------------------


def _lit(value, xpath: bool) -> str:
    if isinstance(value, float):
        return _text(value)
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ConditionError("a text with both kinds of quotes cannot be written")


def _write(node, xpath: bool) -> str:
    if isinstance(node, Var):
        return f"${{{node.name}}}" if xpath else node.name
    if isinstance(node, Lit):
        return _lit(node.value, xpath)
    if isinstance(node, Not):
        return f"not({_write(node.arg, xpath)})" if xpath else f"not ({_write(node.arg, xpath)})"
    if isinstance(node, BoolOp):
        return f"({_write(node.left, xpath)} {node.op} {_write(node.right, xpath)})"
    if isinstance(node, In):
        if xpath:
            return f"selected({_write(node.haystack, xpath)}, {_write(node.needle, xpath)})"
        return f"({_write(node.needle, xpath)} in {_write(node.haystack, xpath)})"
    op = "=" if (xpath and node.op == "==") else node.op
    return f"({_write(node.left, xpath)} {op} {_write(node.right, xpath)})"


def to_text(node) -> str:
    return _write(node, xpath=False)


def to_xpath(condition) -> str:
    """The XLSForm `relevant` expression for a condition (text or parsed)."""
    if isinstance(condition, str):
        if not condition.strip():
            return ""
        condition = parse(condition)
    return _write(condition, xpath=True)
