"""Dynamic segments: definitions read from YAML and refused precisely, membership,
transitions, KPIs (expected values from scipy and statsmodels) and a segment against the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from scrm_lab.exceptions import DataFileError, ParameterError, SchemaError
from scrm_lab.unified._segment_rules import (
    OPERATORS,
    SegmentDefinitions,
    list_segment_files,
    load_segments,
)
from scrm_lab.unified._segments import (
    compare_segment,
    segment_kpis,
    segment_membership,
    segment_transitions,
    transition_matrix,
)

TWO = """\
version: 1
segments:
  - name: fans
    description: talk a lot
    rules:
      - {feature: mentions, op: ">=", value: 2}
      - {feature: sentiment, op: ">", value: 0}
  - name: buyers
    match: any
    rules:
      - {feature: orders, op: between, value: [3, 10]}
      - {feature: city, op: in, value: [Lyon, Nice]}
rest: others
"""

VIEW_COLUMNS = [
    "customer_id", "unified_customer_id", "city", "country", "birth_year", "n_profiles",
    "followers", "mentions", "positive", "negative", "net_sentiment", "replies_received",
    "influence", "interactions", "frequency", "recency", "T", "monetary_value", "rfm_r",
    "rfm_f", "rfm_m", "rfm_cell", "rfm_segment", "revenue", "probability_alive",
    "expected_purchases", "clv",
]  # fmt: skip


@pytest.fixture
def features():
    # customers a-d in period 1, a-c and e in period 2 (d leaves, e enters)
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "a", "b", "c", "e"],
            "period": [1, 1, 1, 1, 2, 2, 2, 2],
            "mentions": [3, 0, 2, np.nan, 0, 5, 1, 1],
            "sentiment": [0.5, 0.0, -0.2, 0.1, 0.3, 0.9, 0.4, 0.0],
            "orders": [1, 4, 0, 2, 3, 0, 1, 0],
            "city": ["Paris", "Lyon", "Nice", None, "Paris", "Lyon", "Lille", "Nice"],
        }
    )


def _write(tmp_path, text, name="segments.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- loading


def test_load_from_text_file_and_mapping_agree(tmp_path):
    from_text = load_segments(TWO)
    from_file = load_segments(_write(tmp_path, TWO))
    assert from_text.names == from_file.names == ("fans", "buyers", "others")
    assert from_text.segments == from_file.segments
    assert from_file.source.endswith("segments.yaml")
    assert from_text.source == "<text>"
    assert load_segments(from_file) is from_file
    fans, buyers = from_text.segments
    assert (fans.match, buyers.match, fans.description) == ("all", "any", "talk a lot")
    assert buyers.rules[0].value == (3, 10) and buyers.rules[1].value == ("Lyon", "Nice")
    table = from_text.to_frame()
    assert table["segment"].tolist() == ["fans", "buyers", "others"]
    assert table.loc[1, "rules"] == "orders between [3, 10] or city in ['Lyon', 'Nice']"


def test_rest_defaults_to_rest_and_version_is_optional():
    definitions = load_segments(
        {"segments": [{"name": "x", "rules": [{"feature": "f", "op": "is missing"}]}]}
    )
    assert definitions.names == ("x", "rest") and definitions.source == "<mapping>"


def test_every_operator_is_accepted():
    values = {"in": ["a"], "not in": [1, 2], "between": [0, 1], "==": "a", "!=": True}
    rules = [
        {"feature": "f", "op": op, **({} if op.startswith("is") else {"value": values.get(op, 1)})}
        for op in OPERATORS
    ]
    definitions = load_segments({"segments": [{"name": "all_ops", "rules": rules}]})
    assert [r.op for r in definitions.segments[0].rules] == list(OPERATORS)


def _one_rule(rule: str, extra: str = "") -> str:
    return (
        "segments:\n"
        "  - name: ok\n"
        "    rules: [{feature: mentions, op: '>', value: 1}]\n"
        "  - name: social_champions\n"
        f"{extra}"
        "    rules:\n"
        "      - {feature: rfm_f, op: '>=', value: 4}\n"
        f"      - {rule}\n"
    )


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{feature: rfm_f, op: '=>', value: 4}",
         r"unknown operator '=>'; expected one of \['==', .*\]\. Did you mean '>='\?"),
        ("{feature: rfm_f, op: '>=', value: high}",
         r"'>=' needs a finite number; found str 'high'"),
        ("{feature: rfm_f, op: '<', value: .nan}", r"'<' needs a finite number; found float nan"),
        ("{feature: city, op: in, value: Lyon}", r"'in' needs a non-empty list .*found str 'Lyon'"),
        ("{feature: city, op: not in, value: []}", r"'not in' needs a non-empty list"),
        ("{feature: city, op: in, value: [Lyon, 3]}", r"'in' has text and numbers in one list"),
        ("{feature: rfm_f, op: between, value: 4}", r"'between' needs a list of two numbers"),
        ("{feature: rfm_f, op: between, value: [5, 4]}", r"'between' has low 5 > high 4"),
        ("{feature: rfm_f, op: between, value: [a, b]}", r"'between' needs a list of two numbers"),
        ("{feature: rfm_f, op: '==', value: null}",
         r"'==' needs a number, text or true/false; found nothing \(use 'is missing'"),
        ("{feature: rfm_f, op: is missing, value: 1}", r"'is missing' takes no value"),
        ("{feature: rfm_f, op: '>='}", r"no 'value'; the operator '>=' needs one"),
        ("{op: '>=', value: 4}", r"no 'feature'; every rule needs 'feature' and 'op'"),
        ("{feature: rfm_f, value: 4}", r"no 'op'; every rule needs 'feature' and 'op'"),
        ("{feature: 3, op: '>=', value: 4}", r"feature is int 3; expected a column name"),
        ("{feature: rfm_f, op: '>=', valeu: 4}",
         r"unknown key 'valeu'; expected keys are \['feature', 'op', 'value'\]\. "
         r"Did you mean 'value'\?"),
        ("rfm_f >= 4", r"found str 'rfm_f >= 4'; expected a mapping"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_naming_file_segment_and_rule(tmp_path, rule, message):
    path = _write(tmp_path, _one_rule(rule))
    with pytest.raises(ParameterError, match=r"segments\.yaml, segment 'social_champions', "
                       rf"rule 2: {message}"):  # fmt: skip
        load_segments(path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    match: every\n", r"match is 'every'; expected one of \['all', 'any'\]"),
        ("    mtach: all\n", r"unknown key 'mtach'; .* Did you mean 'match'\?"),
        ("    description: [a]\n", r"description is a list; expected text"),
    ],
)
def test_a_bad_segment_is_refused_naming_file_and_segment(tmp_path, extra, message):
    path = _write(tmp_path, _one_rule("{feature: rfm_f, op: '<', value: 9}", extra))
    with pytest.raises(ParameterError, match=rf"segments\.yaml, segment 'social_champions': "
                       rf"{message}"):  # fmt: skip
        load_segments(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", r"segments\.yaml: found a list; expected a mapping with keys"),
        ("version: 1\n", r"segments\.yaml: 'segments' is nothing; expected a non-empty list"),
        ("segments: []\n", r"segments\.yaml: 'segments' is a list; expected a non-empty list"),
        ("version: 2\nsegments: [{name: a, rules: [{feature: f, op: is missing}]}]\n",
         r"segments\.yaml: version 2 is not supported; expected 1"),
        ("segment: []\n", r"segments\.yaml: unknown key 'segment'; .* Did you mean 'segments'\?"),
        ("segments: [{name: a, rules: [{feature: f, op: is missing}]},"
         " {name: a, rules: [{feature: g, op: is missing}]}]\n",
         r"segments\.yaml, segment 2: the name 'a' is used twice; expected distinct"),
        ("segments: [{name: 'social champions', rules: [{feature: f, op: is missing}]}]\n",
         r"segments\.yaml, segment 1: the name 'social champions' is not a simple identifier"),
        ("segments: [{name: yes, rules: [{feature: f, op: is missing}]}]\n",
         r"segments\.yaml, segment 1: the name bool True is not a simple identifier"),
        ("segments: [{rules: [{feature: f, op: is missing}]}]\n",
         r"segments\.yaml, segment 1: no 'name'; every segment needs one"),
        ("segments: [{name: a, rules: []}]\n",
         r"segments\.yaml, segment 'a': 'rules' is a list; expected a non-empty list of rules"),
        ("segments: [{name: a, rules: [{feature: f, op: is missing}]}]\nrest: a\n",
         r"segments\.yaml, rest: the catch-all name 'a' is also a segment's name"),
        ("segments: [{name: a, rules: [{feature: f, op: is missing}]}]\nrest: 9lives\n",
         r"segments\.yaml, rest: the catch-all name '9lives' is not a simple identifier"),
        ("segments: [a]\n", r"segments\.yaml, segment 1: found str 'a'; expected a mapping"),
    ],
)  # fmt: skip
def test_bad_definitions_are_refused_naming_the_file(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message):
        load_segments(_write(tmp_path, text))


def test_yaml_with_a_python_tag_is_refused(tmp_path):
    text = "segments: !!python/object/apply:os.system [echo hi]\n"
    with pytest.raises(DataFileError, match=r"segments\.yaml.*tag '!!python/object/apply"):
        load_segments(_write(tmp_path, text))
    with pytest.raises(DataFileError, match=r"given as text are not valid YAML.*!!python"):
        load_segments(text)


def test_files_that_cannot_be_read_are_refused(tmp_path):
    with pytest.raises(DataFileError, match=r"segment file '.*nowhere\.yaml' does not exist"):
        load_segments(tmp_path / "nowhere.yaml")
    with pytest.raises(DataFileError, match=r"does not exist; shipped segment files are "
                       r"\['default'\] Did you mean 'default'\?"):  # fmt: skip
        load_segments("defualt")
    with pytest.raises(
        DataFileError, match=r"given as text are not valid YAML \(line \d+, column \d+\)"
    ):
        load_segments("segments: [{name: a\n")
    with pytest.raises(ParameterError, match=r"'path_or_text' parameter of load_segments"):
        load_segments(3)


def test_the_shipped_file_is_found_wherever_we_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert list_segment_files() == ["default"]
    definitions = load_segments()
    assert definitions.source == "default.yaml" and definitions.rest == "everyone_else"
    assert 4 <= len(definitions.segments) <= 5
    used = {rule.feature for s in definitions.segments for rule in s.rules}
    assert used <= set(VIEW_COLUMNS)


# -------------------------------------------------------------------------- membership


def test_membership_is_the_first_segment_whose_rules_hold(features):
    membership = segment_membership(features, TWO)
    assert list(membership.columns) == ["customer_id", "period", "segment"]
    assert list(membership["segment"].cat.categories) == ["fans", "buyers", "others"]
    assert membership["segment"].cat.ordered
    # a: 3 mentions, sentiment 0.5 -> fans (its 1 order would not make it a buyer anyway)
    # b: 4 orders -> buyers; c: sentiment -0.2 fails fans, city Nice -> buyers (match any)
    # d: mentions missing, never satisfies ">=", 2 orders, city missing -> others
    # period 2: a 0 mentions but 3 orders -> buyers; b -> fans (fans comes first even
    # though Lyon would make b a buyer); c 1 mention, Lille, 1 order -> others;
    # e 1 mention, Nice -> buyers
    expected = ["fans", "buyers", "buyers", "others", "buyers", "fans", "others", "buyers"]
    assert membership["segment"].astype(str).tolist() == expected
    assert membership["customer_id"].tolist() == ["a", "b", "c", "d", "a", "b", "c", "e"]


def test_missing_values_never_satisfy_a_comparison():
    features = pd.DataFrame(
        {"customer_id": [1, 2, 3], "period": 1, "x": [1.0, np.nan, 3.0],
         "t": pd.array(["u", None, "v"], dtype="string")}
    )  # fmt: skip
    for op, value, expected in [
        ("!=", 1, [False, False, True]),
        ("not in", [1], [False, False, True]),
        ("<", 5, [True, False, True]),
    ]:
        definitions = load_segments(
            {"segments": [{"name": "hit", "rules": [{"feature": "x", "op": op, "value": value}]}]}
        )
        got = segment_membership(features, definitions)["segment"] == "hit"
        assert got.tolist() == expected, op
    text_rules = {
        "segments": [
            {"name": "hit", "rules": [{"feature": "t", "op": "!=", "value": "u"}]},
            {"name": "gap", "rules": [{"feature": "t", "op": "is missing"}]},
        ]
    }
    got = segment_membership(features, text_rules)["segment"].astype(str).tolist()
    assert got == ["rest", "gap", "hit"]


def test_membership_refuses_a_feature_not_in_the_table(features):
    text = TWO.replace("feature: sentiment", "feature: sentimnt")
    with pytest.raises(SchemaError, match=r"^<text>, segment 'fans', rule 2: feature 'sentimnt' "
                       r"is not a column of the feature table; available columns: .*"
                       r"Did you mean 'sentiment'\?"):  # fmt: skip
        segment_membership(features, text)


def test_membership_refuses_a_comparison_of_the_wrong_kind(features, tmp_path):
    path = _write(tmp_path, "segments: [{name: a, rules: [{feature: mentions, op: '>', value: 0},"
                  " {feature: city, op: '>=', value: 3}]}]\n")  # fmt: skip
    expected = (
        r"segments\.yaml, segment 'a', rule 2: 'city >= 3' compares numbers, but column 'city' "
        r"has dtype .*; expected a numeric"
    )
    with pytest.raises(SchemaError, match=expected):
        segment_membership(features, path)
    text = "segments: [{name: a, rules: [{feature: orders, op: '==', value: four}]}]"
    with pytest.raises(SchemaError, match=r"<text>, segment 'a', rule 1: .*compares text 'four' "
                       r"with the numeric column 'orders'"):  # fmt: skip
        segment_membership(features, text)
    text = "segments: [{name: a, rules: [{feature: city, op: in, value: [1, 2]}]}]"
    with pytest.raises(SchemaError, match=r"rule 1: .*compares a number with the text column "
                       r"'city'"):  # fmt: skip
        segment_membership(features, text)


def test_membership_refuses_bad_tables(features):
    with pytest.raises(SchemaError, match=r"column 'period' is not in the data"):
        segment_membership(features.drop(columns="period"), TWO)
    doubled = pd.concat([features, features.iloc[[0]]])
    with pytest.raises(SchemaError, match=r"customer 'a' appears more than once in period 1"):
        segment_membership(doubled, TWO)
    with pytest.raises(ParameterError, match=r"'features' parameter of segment_membership must"):
        segment_membership([1, 2], TWO)
    with pytest.raises(ParameterError, match=r"'definitions' parameter of segment_membership"):
        segment_membership(features, 3)


def test_the_shipped_segments_evaluate_on_the_customer_view_columns():
    rng = np.random.default_rng(7)
    n = 60
    view = pd.DataFrame({c: rng.integers(0, 6, n).astype(float) for c in VIEW_COLUMNS})
    view["customer_id"] = np.arange(n)
    view["period"] = "2024-03-31"
    for text_column in ("unified_customer_id", "city", "country", "rfm_cell", "rfm_segment"):
        view[text_column] = "x"
    view["net_sentiment"] = rng.uniform(-1, 1, n)
    view.loc[::7, "T"] = np.nan
    membership = segment_membership(view, "default")
    definitions = load_segments("default")
    assert list(membership["segment"].cat.categories) == list(definitions.names)
    # the first rule set written by hand for the first segment
    champions = (
        view["rfm_f"].between(4, 5) & (view["mentions"] >= 2) & (view["net_sentiment"] > 0.3)
    )
    assert ((membership["segment"] == "social_champions") == champions).all()
    kpis = segment_kpis(view, membership)
    assert set(kpis["segment"].astype(str)) == set(definitions.names)


# ------------------------------------------------------------------------- transitions


def test_transitions_count_moves_entries_and_exits(features):
    membership = segment_membership(features, TWO)
    moves = segment_transitions(membership)
    assert list(moves.columns) == [
        "period_from", "period_to", "segment_from", "segment_to", "n", "share"
    ]  # fmt: skip
    assert len(moves) == 4 * 4  # (3 segments + entered) x (3 segments + left), zeros kept
    observed = {
        (str(r.segment_from), str(r.segment_to)): r.n for r in moves.itertuples() if r.n > 0
    }
    # a fans->buyers, b buyers->fans, c buyers->others, d others->(left), e (entered)->buyers
    assert observed == {
        ("fans", "buyers"): 1, ("buyers", "fans"): 1, ("buyers", "others"): 1,
        ("others", "(left)"): 1, ("(entered)", "buyers"): 1,
    }  # fmt: skip
    share = moves.set_index(["segment_from", "segment_to"])["share"]
    assert share[("buyers", "fans")] == 0.5 and share[("buyers", "others")] == 0.5
    assert share[("buyers", "buyers")] == 0.0
    assert np.isnan(moves.loc[moves["segment_from"] == "(entered)", "share"]).sum() == 0
    assert "share" not in segment_transitions(membership, normalize=False).columns


def test_transitions_pair_each_period_with_the_next_and_pivot():
    membership = pd.DataFrame(
        {"customer_id": [1, 2, 1, 2, 1, 2], "period": ["2024-01", "2024-01", "2024-02",
                                                        "2024-02", "2024-03", "2024-03"],
         "segment": ["a", "b", "b", "b", "a", "a"]}
    )  # fmt: skip
    moves = segment_transitions(membership)
    pairs = moves[["period_from", "period_to"]].drop_duplicates().values.tolist()
    assert pairs == [["2024-01", "2024-02"], ["2024-02", "2024-03"]]
    matrix = transition_matrix(moves)  # the latest pair
    assert list(matrix.index) == ["a", "b", "(entered)"]
    assert list(matrix.columns) == ["a", "b", "(left)"]
    assert matrix.loc["b", "a"] == 1.0 and np.isnan(matrix.loc["a", "a"])  # a empty in 02
    counts = transition_matrix(moves, period_from="2024-01", value="n")
    assert counts.loc["a", "b"] == 1 and counts.loc["b", "b"] == 1 and counts.values.sum() == 2
    with pytest.raises(ParameterError, match=r"'period_from' parameter of transition_matrix must "
                       r"be one of \['2024-01', '2024-02'\]\. Got '2023-12'"):  # fmt: skip
        transition_matrix(moves, period_from="2023-12")
    with pytest.raises(SchemaError, match=r"transitions table is empty"):
        transition_matrix(segment_transitions(membership[membership["period"] == "2024-01"]))


def test_transitions_refuse_a_customer_twice_in_a_period():
    membership = pd.DataFrame({"customer_id": [1, 1], "period": [1, 1], "segment": ["a", "b"]})
    with pytest.raises(SchemaError, match=r"segment_transitions: membership has customer 1 twice"):
        segment_transitions(membership)
    with pytest.raises(SchemaError, match=r"column 'segment' is not in the data"):
        segment_transitions(membership.drop(columns="segment"))


# ------------------------------------------------------------------------------- KPIs


@pytest.fixture
def kpi_data():
    features = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 6, 1, 2],
            "period": [1, 1, 1, 1, 1, 1, 2, 2],
            "revenue": [10.0, 0.0, 25.0, 40.0, 5.0, np.nan, 0.0, 12.0],
            "clv": [100.0, 20.0, 150.0, 300.0, 60.0, 80.0, 90.0, 30.0],
            "positive": [3, 0, 4, 1, 0, 2, 1, 0],
            "negative": [1, 2, 0, 0, 1, 1, 0, 0],
            "bought": [True, False, True, True, True, False, False, True],
        }
    )
    membership = pd.DataFrame(
        {
            "customer_id": features["customer_id"],
            "period": features["period"],
            "segment": pd.Categorical(
                ["fans", "rest", "fans", "fans", "rest", "rest", "fans", "fans"],
                categories=["fans", "quiet", "rest"], ordered=True,
            ),
        }
    )  # fmt: skip
    return features, membership


def test_kpis_match_scipy_and_statsmodels(kpi_data):
    features, membership = kpi_data
    kpis = segment_kpis(features, membership, alpha=0.1)
    assert list(kpis.columns) == [
        "period", "segment", "kpi", "n", "estimate", "ci_low", "ci_high", "method"
    ]  # fmt: skip
    row = kpis.set_index(["period", "segment", "kpi"])
    fans = row.loc[(1, "fans")]
    assert fans.loc["size", "n"] == 3 and fans.loc["size", "estimate"] == 3
    low, high = proportion_confint(3, 6, alpha=0.1, method="wilson")
    assert fans.loc["share", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [0.5, low, high]
    )
    revenue = np.array([10.0, 25.0, 40.0])
    low, high = stats.t.interval(0.9, 2, loc=revenue.mean(), scale=stats.sem(revenue))
    assert fans.loc["revenue_mean", ["n", "estimate", "ci_low", "ci_high"]].tolist() == (
        pytest.approx([3, 25.0, low, high])
    )
    assert fans.loc["revenue_total", ["estimate", "ci_low", "ci_high"]].tolist() == (
        pytest.approx([75.0, 3 * low, 3 * high])
    )
    clv = np.array([100.0, 150.0, 300.0])
    low, high = stats.t.interval(0.9, 2, loc=clv.mean(), scale=stats.sem(clv))
    assert fans.loc["clv_mean", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [clv.mean(), low, high]
    )
    # conversion from revenue > 0: all three fans bought; rest: 0 and 5 (6 is missing)
    rest = row.loc[(1, "rest")]
    low, high = proportion_confint(1, 2, alpha=0.1, method="wilson")
    assert rest.loc["conversion", ["n", "estimate", "ci_low", "ci_high"]].tolist() == (
        pytest.approx([2, 0.5, low, high])
    )
    # net sentiment pooled: fans positive 3+4+1 = 8, negative 1 -> (8-1)/9
    low, high = proportion_confint(8, 9, alpha=0.1, method="wilson")
    assert fans.loc["net_sentiment", ["n", "estimate", "ci_low", "ci_high"]].tolist() == (
        pytest.approx([9, 7 / 9, 2 * low - 1, 2 * high - 1])
    )
    # an empty segment keeps its rows: size 0, no mean
    quiet = row.loc[(2, "quiet")]
    assert quiet.loc["size", "n"] == 0 and np.isnan(quiet.loc["revenue_mean", "estimate"])
    assert kpis["kpi"].drop_duplicates().tolist() == [
        "size", "share", "revenue_total", "revenue_mean", "conversion", "clv_mean",
        "net_sentiment",
    ]  # fmt: skip
    assert len(kpis) == 2 * 3 * 7


def test_kpis_with_a_bool_conversion_column_and_kpis_left_out(kpi_data):
    features, membership = kpi_data
    kpis = segment_kpis(
        features, membership, converted="bought", revenue=None, clv=None, positive=None
    )
    assert set(kpis["kpi"]) == {"size", "share", "conversion"}
    rest = kpis[(kpis["period"] == 1) & (kpis["segment"] == "rest") & (kpis["kpi"] == "conversion")]
    low, high = proportion_confint(1, 3, method="wilson")
    assert rest[["n", "estimate", "ci_low", "ci_high"]].values.tolist()[0] == pytest.approx(
        [3, 1 / 3, low, high]
    )


def test_kpis_refuse_bad_columns_and_tables(kpi_data):
    features, membership = kpi_data
    with pytest.raises(SchemaError, match=r"column 'revnue' is not in the data.*'revenue'"):
        segment_kpis(features, membership, revenue="revnue")
    text = features.assign(label="x")
    with pytest.raises(SchemaError, match=r"the converted column 'label' has dtype"):
        segment_kpis(text, membership, converted="label")
    with pytest.raises(SchemaError, match=r"the clv column 'label' has dtype .*expected numbers"):
        segment_kpis(text, membership, clv="label")
    with pytest.raises(SchemaError, match=r"column 'negative' has negative counts"):
        segment_kpis(features.assign(negative=-1), membership)
    extra = pd.concat([membership, pd.DataFrame({"customer_id": [9], "period": [1],
                                                 "segment": ["fans"]})])  # fmt: skip
    with pytest.raises(SchemaError, match=r"membership has customer 9 in period 1, which is not "
                       r"in the features"):  # fmt: skip
        segment_kpis(features, extra)
    with pytest.raises(SchemaError, match=r"the features have a customer more than once"):
        segment_kpis(pd.concat([features, features.iloc[[0]]]), membership)
    with pytest.raises(ParameterError, match=r"'alpha' parameter of segment_kpis must be"):
        segment_kpis(features, membership, alpha=1.5)


# -------------------------------------------------------------------- one against the rest


def test_compare_segment_matches_an_independent_ols(kpi_data):
    import statsmodels.api as sm

    features, membership = kpi_data
    result = compare_segment(features, membership, segment="fans", value="clv", period=1)
    assert result["period"].tolist() == [1]
    assert result.loc[0, "term"] == "fans - not fans"
    fans = np.array([100.0, 150.0, 300.0])
    others = np.array([20.0, 60.0, 80.0])
    design = sm.add_constant(np.r_[np.ones(3), np.zeros(3)])
    fit = sm.OLS(np.r_[fans, others], design).fit(cov_type="HC3")
    low, high = fit.conf_int(alpha=0.05)[1]
    assert result.loc[0, ["n", "estimate", "ci_low", "ci_high", "p_value"]].tolist() == (
        pytest.approx([6, fans.mean() - others.mean(), low, high, fit.pvalues[1]])
    )


def test_compare_segment_refusals(kpi_data):
    features, membership = kpi_data
    with pytest.raises(ParameterError, match=r"'segment' parameter of compare_segment must be one "
                       r"of the segments \['fans', 'quiet', 'rest'\]\. Got 'fan' instead\. "
                       r"Did you mean 'fans'\?"):  # fmt: skip
        compare_segment(features, membership, segment="fan", value="clv")
    with pytest.raises(ParameterError, match=r"'period' parameter of compare_segment must be one "
                       r"of the periods \[1, 2\]\. Got 3"):  # fmt: skip
        compare_segment(features, membership, segment="fans", value="clv", period=3)
    # period 2 (the default, the latest) has two fans and nobody else
    with pytest.raises(ParameterError, match=r"in period 2, 'not fans' has 0 customer\(s\) with "
                       r"a value of 'clv'; expected at least 2"):  # fmt: skip
        compare_segment(features, membership, segment="fans", value="clv")
    with pytest.raises(SchemaError, match=r"the value column 'label' has dtype"):
        compare_segment(features.assign(label="x"), membership, segment="fans", value="label")


def test_definitions_are_frozen():
    definitions = load_segments(TWO)
    assert isinstance(definitions, SegmentDefinitions)
    with pytest.raises(AttributeError):
        definitions.rest = "x"  # type: ignore[misc]
