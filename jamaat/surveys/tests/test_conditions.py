"""The "show if" language: parsing, evaluation, both spellings, and that it never runs code."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamaat.surveys import conditions
from jamaat.surveys.conditions import BoolOp, Compare, ConditionError, In, Lit, Not, Var

CODES = ["q1", "q2", "q3", "water_q"]

words = st.sampled_from(["yes", "no", "water", "roads", "", "a b"])
numbers = st.integers(-5, 10).map(float)
literals = st.one_of(words, numbers).map(Lit)
variables = st.sampled_from(CODES).map(Var)
operands = st.one_of(literals, variables)
leaves = st.one_of(
    st.builds(Compare, st.sampled_from(conditions.COMPARE_OPS), operands, operands),
    st.builds(In, literals, variables),
    variables,
)
trees = st.recursive(
    leaves,
    lambda sub: st.one_of(
        st.builds(Not, sub), st.builds(BoolOp, st.sampled_from(["and", "or"]), sub, sub)
    ),
    max_leaves=8,
)
values = st.one_of(
    st.none(), words, numbers, st.lists(st.sampled_from(["water", "roads", "yes"]), max_size=3)
)
answer_sets = st.fixed_dictionaries(dict.fromkeys(CODES, values))


def reference(node, a):
    """An independent, direct reading of the rules in the module docstring."""

    def val(n):
        return a.get(n.name) if isinstance(n, Var) else n.value

    def num(x):
        if isinstance(x, float):
            return x
        if isinstance(x, str):
            try:
                return float(x)
            except ValueError:
                return None
        return None

    def txt(x):
        if x is None:
            return ""
        if isinstance(x, float) and x == int(x):
            return str(int(x))
        return str(x)

    def eq(x, y):
        if isinstance(x, list) or isinstance(y, list):
            return x == y
        if num(x) is not None and num(y) is not None:
            return num(x) == num(y)
        return txt(x) == txt(y)

    if isinstance(node, Var):
        return a.get(node.name) not in (None, "", [])
    if isinstance(node, Not):
        return not reference(node.arg, a)
    if isinstance(node, BoolOp):
        left, right = reference(node.left, a), reference(node.right, a)
        return (left and right) if node.op == "and" else (left or right)
    if isinstance(node, In):
        hay = val(node.haystack)
        needle = txt(val(node.needle))
        if isinstance(hay, list):
            return needle in hay
        return hay is not None and txt(hay) == needle
    x, y = val(node.left), val(node.right)
    if node.op == "==":
        return eq(x, y)
    if node.op == "!=":
        return not eq(x, y)
    if num(x) is None or num(y) is None:
        return False
    return {"<": num(x) < num(y), "<=": num(x) <= num(y), ">": num(x) > num(y),
            ">=": num(x) >= num(y)}[node.op]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(trees, answer_sets)
def test_written_conditions_read_back_and_mean_the_same(tree, answers):
    expected = reference(tree, answers)
    assert conditions.evaluate(tree, answers) == expected
    for text in (conditions.to_text(tree), conditions.to_xpath(tree)):
        again = conditions.parse(text)
        assert again == tree, text
        assert conditions.evaluate(text, answers) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_either_parses_or_is_refused_cleanly(text):
    try:
        node = conditions.parse(text)
    except ConditionError as exc:
        assert str(exc)
    else:
        conditions.evaluate(node, {})


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("q3 == 'yes'", {"q3": "yes"}, True),
        ("q3 == 'yes'", {"q3": "no"}, False),
        ("q3 == 'yes'", {}, False),
        ("q5 >= 3", {"q5": 4.0}, True),
        ("q5 >= 3", {"q5": 2.0}, False),
        ("q5 >= 3", {}, False),
        ("'water' in q7", {"q7": ["roads", "water"]}, True),
        ("'water' in q7", {"q7": ["roads"]}, False),
        ("not (q1 == 'no' or q2 < 18)", {"q1": "yes", "q2": 30.0}, True),
        ("not (q1 == 'no' or q2 < 18)", {"q1": "yes", "q2": 10.0}, False),
        ("${q3} = 'yes' and selected(${q7}, 'water')", {"q3": "yes", "q7": ["water"]}, True),
        ("${q3} != ''", {"q3": "x"}, True),
        ("${q3} != ''", {}, False),
        ("q1 = 'a' or q1 = 'b' and q2 = 'c'", {"q1": "a"}, True),  # and binds tighter
    ],
)
def test_examples(text, answers, expected):
    assert conditions.evaluate(text, answers) is expected


@pytest.mark.parametrize(
    "text",
    ["__import__('os').system('true')", "q1 ==", "(q1 == 'a'", "q1 == 'a' q2", "q1 + 1 > 2",
     "", "count(${q1}) > 1", "q1 == 'a'; drop"],
)  # fmt: skip
def test_refused(text):
    with pytest.raises(ConditionError):
        conditions.parse(text)


def test_unknown_code_is_named():
    with pytest.raises(ConditionError, match="q9"):
        conditions.check("q9 == 'x'", {"q1"})
