"""XLSForm: every sample imported or refused by name, export → pyxform → import round trips."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jamaat.surveys import services, xlsform
from jamaat.surveys.models import Questionnaire
from jamaat.surveys.template import LSG_ASSESSMENT

# A copy of ../shared/xlsform-samples (SOURCES.md names each file's origin), so the tests run
# from any clone; when the shared folder is beside the repo, the copy must hold the same files.
SAMPLES = Path(__file__).resolve().parent / "xlsform_samples"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "xlsform-samples"

EXPECTED = {
    "multi_lingual_form.xlsx": 5,
    "cascading_select.xlsx": "cascading select (choice_filter) of “selected_county” (row 3)",
    "childrens_survey.xlsx": "repeat group “children” (row 4) is not supported",
    "choice_filter_test.xlsx": "cascading select (choice_filter) of “county” (row 3)",
    "good_eats_multilang.xlsx": "type “photo” of “food_photo” (row 8)",
    "household.xlsx": "repeat group “man” (row 3) is not supported",
    "loop.xlsx": "“begin loop over toilet_type” of “loop_toilet_types” (row 3)",
    "transportation.xlsx": "“begin loop over transport_types”",
    "tutorial_w_repeats.xlsx": "type “image” of “picture” (row 4)",
    "xlsform_spec_test.xlsx": "a condition on the group “everything” (row 3)",
}

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted below are the English ones (the UI's default is Kyrgyz)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_sample_is_imported_or_refused_by_name(mun_a, name):
    expected = EXPECTED[name]
    before = Questionnaire.objects.count()
    if isinstance(expected, int):
        q = xlsform.import_xlsform(SAMPLES / name, mun_a)
        assert len(q.current_version().ordered_questions()) == expected
        assert q.status == "draft"
    else:
        with pytest.raises(xlsform.XLSFormError) as exc:
            xlsform.import_xlsform(SAMPLES / name, mun_a)
        assert expected in str(exc.value)
        assert Questionnaire.objects.count() == before  # never half-imported


def test_samples_cover_every_file():
    assert {p.name for p in SAMPLES.glob("*.xlsx")} == set(EXPECTED)
    if SHARED.exists():
        for shared in SHARED.glob("*.xlsx"):
            assert (SAMPLES / shared.name).read_bytes() == shared.read_bytes(), shared.name


def test_multilingual_labels_go_to_ky_and_ru(mun_a):
    q = xlsform.import_xlsform(SAMPLES / "multi_lingual_form.xlsx", mun_a)
    first = q.current_version().ordered_questions()[0]
    assert first.label_ky and first.label_ru


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken"])
def test_malformed_files_are_refused_clearly(mun_a, content):
    with pytest.raises(xlsform.XLSFormError):
        xlsform.import_xlsform(content, mun_a)
    assert not Questionnaire.objects.exists()


def test_template_round_trip_through_pyxform(mun_a, people):
    q = services.create_questionnaire(people["staff_a"], mun_a, LSG_ASSESSMENT)
    content = xlsform.export_xlsform(q)
    assert "<h:html" in xlsform.to_xform(content)
    again = xlsform.import_xlsform(content, mun_a)
    assert _shape(again) == _shape(q)


def test_commands(mun_a, people, tmp_path, capsys):
    q = services.create_questionnaire(people["staff_a"], mun_a, LSG_ASSESSMENT)
    out = tmp_path / "form.xlsx"
    call_command("export_xlsform", str(q.pk), "-o", str(out))
    call_command("import_xlsform", str(out), "--municipality", mun_a.slug)
    new_id = int(capsys.readouterr().out.strip().splitlines()[-1])
    assert _shape(Questionnaire.objects.get(pk=new_id)) == _shape(q)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nonsense")
    with pytest.raises(CommandError, match="not an .xlsx"):
        call_command("import_xlsform", str(bad), "--municipality", mun_a.slug)


def _canon(text):
    from jamaat.surveys import conditions

    return conditions.to_text(conditions.parse(text)) if text else ""


def _shape(q):
    return [
        (s.title_ky, s.title_ru, [
            (x.code, x.type, x.required, _canon(x.show_if), x.label_ky, x.label_ru, x.hint_ky,
             x.hint_ru, x.allow_other,
             x.integer_only, x.min_value, x.max_value, x.rows,
             [(o.code, o.label_ky, o.label_ru) for o in x.options.all()])
            for x in s.questions.all()
        ])
        for s in q.current_version().ordered_sections()
    ]  # fmt: skip


codes = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda c: "__" not in c)
labels = st.text(st.characters(categories=["L", "N"], include_characters=" ңөүЁ"),
                 min_size=1, max_size=20).map(str.strip).filter(bool)  # fmt: skip
options = st.lists(st.tuples(codes.filter(lambda c: c != "other"), labels, labels), min_size=1,
                   max_size=4, unique_by=lambda t: t[0])  # fmt: skip
simple_types = st.sampled_from(["single", "multiple", "rating", "yes_no", "number", "date", "text",
                                "long_text", "matrix", "gender", "age_group"])  # fmt: skip


@st.composite
def questionnaires(draw):
    n = draw(st.integers(1, 6))
    qcodes = draw(st.lists(codes, min_size=n, max_size=n, unique=True))
    sections, earlier = [], []
    for i, code in enumerate(qcodes):
        if i == 0 or draw(st.booleans()):
            sections.append({"title_ky": draw(labels), "title_ru": draw(labels), "questions": []})
        t = draw(simple_types)
        item = {"code": code, "type": t, "required": draw(st.booleans()),
                "label_ky": draw(labels), "label_ru": draw(labels),
                "hint_ky": draw(st.just("") | labels), "hint_ru": draw(st.just("") | labels)}  # fmt: skip
        if t in ("single", "multiple"):
            item["options"] = [
                {"code": c, "label_ky": a, "label_ru": b} for c, a, b in draw(options)
            ]
            item["allow_other"] = draw(st.booleans())
        if t == "matrix":
            item["rows"] = [{"code": c, "label_ky": a, "label_ru": b} for c, a, b in draw(options)]
        if t == "number":
            item["integer_only"] = draw(st.booleans())
            lo = draw(st.none() | st.integers(-10, 10))
            item["min_value"] = None if lo is None else Decimal(lo)
            item["max_value"] = None if lo is None else Decimal(lo + draw(st.integers(0, 50)))
        if earlier and draw(st.booleans()):
            ref = draw(st.sampled_from(earlier))
            item["show_if"] = draw(st.sampled_from([
                f"{ref} == 'yes'", f"({ref} >= 3)", f"('a1' in {ref})", f"not ({ref} != 'x')",
                f"(({ref} == 'a') or ({ref} < 2))"]))  # fmt: skip
        earlier.append(code)
        sections[-1]["questions"].append(item)
    return {"title_ky": draw(labels), "title_ru": draw(labels), "sections": sections,
            "description_ky": draw(st.just("") | labels),
            "description_ru": draw(st.just("") | labels)}  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=questionnaires())
def test_export_import_round_trip(mun_a, data):
    q = services.create_questionnaire(None, mun_a, data)
    content = xlsform.export_xlsform(q)
    xlsform.to_xform(content)  # pyxform converts it
    again = xlsform.import_xlsform(content, mun_a)
    want = _shape(q)
    assert _shape(again) == want
    head = ("title_ky", "title_ru", "description_ky", "description_ru")
    assert [getattr(again, f) for f in head] == [getattr(q, f) for f in head]
    assert load_workbook(io.BytesIO(content)).sheetnames == ["survey", "choices", "settings"]
