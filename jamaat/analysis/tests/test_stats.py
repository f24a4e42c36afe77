from jamaat.analysis import stats


def _bars(res):
    return {b.code: (b.n, b.pct) for b in res.bars}


def _q(dataset, code):
    return dataset["q"].current_version().questions.get(code=code)


def test_frequencies_and_filters(dataset):
    q = dataset["q"]
    water = _q(dataset, "water")
    res = stats.frequencies(q, water, lang="ru")
    assert res.base == 8
    assert _bars(res) == {"good": (4, 50.0), "bad": (4, 50.0)}
    assert [b.label for b in res.bars] == ["Хорошо", "Плохо"]
    r1 = stats.frequencies(q, water, {"round": dataset["r1"].pk})
    assert _bars(r1) == {"good": (3, 75.0), "bad": (1, 25.0)}
    assert _bars(stats.frequencies(q, water, {"channel": "paper"})) == {
        "good": (0, 0.0),
        "bad": (1, 100.0),
    }
    assert _bars(stats.frequencies(q, water, {"gender": "male"}))["bad"] == (1, 100.0)
    assert stats.frequencies(q, water, {"village": dataset["v2"].pk}).base == 1


def test_multiple_choice_is_share_of_respondents(dataset):
    res = stats.frequencies(dataset["q"], _q(dataset, "needs"), {"round": dataset["r1"].pk})
    assert _bars(res) == {"roads": (4, 100.0), "light": (1, 25.0)}


def test_numeric_and_matrix(dataset):
    q = dataset["q"]
    kids = stats.frequencies(q, _q(dataset, "kids"), {"round": dataset["r1"].pk})
    assert kids.numeric == {"n": 4, "mean": 2.75, "median": 2.0, "min": 2.0, "max": 5.0}
    score = stats.frequencies(q, _q(dataset, "score"))
    assert score.numeric["median"] == 2.0 + 1.0  # scores 4,4,4,2,4,1,1,1 → median (2+4)/2
    grid = stats.frequencies(q, _q(dataset, "grid"), lang="ru")
    assert [(label, mean) for label, _b, mean in grid.matrix] == [("Школа", 4.0), ("Больница", 2.0)]


def test_crosstab_by_gender(dataset):
    ct = stats.crosstab(dataset["q"], _q(dataset, "water"), "gender", {"round": dataset["r1"].pk})
    assert [(c, base) for c, _l, base in ct["columns"]] == [("female", 3), ("male", 1)]
    rows = dict(ct["rows"])
    assert rows["Жакшы"] == [(3, 100.0), (0, 0.0)]
    assert rows["Жаман"] == [(0, 0.0), (1, 100.0)]


def test_round_change_in_percentage_points(dataset):
    change = stats.round_change(dataset["q"], _q(dataset, "water"), dataset["r1"], dataset["r2"])
    assert {c["label"]: c["pp"] for c in change} == {"Жакшы": -50.0, "Жаман": 50.0}


def test_bad_filter_values_are_ignored(dataset):
    got = stats.clean_filters({"gender": "x", "village": "abc", "channel": "paper"}, dataset["q"])
    assert got == {"channel": "paper"}


def test_labels_follow_the_chosen_language_not_the_page(dataset):
    from django.utils import translation

    from jamaat.analysis import stats

    gender = dataset["q"].current_version().questions.get(code="gender")
    with translation.override("ky"):  # a Kyrgyz page asking for Russian labels
        labels = stats.option_labels(gender, "ru")
    assert labels == {"female": "женский", "male": "мужской"}
    with translation.override("ru"):  # and the other way round
        assert stats.option_labels(gender, "ky") == {"female": "аял", "male": "эркек"}
